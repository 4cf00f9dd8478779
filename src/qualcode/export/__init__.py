"""Export: the coded workbook (the matrices behind it are :mod:`qualcode.analysis`'s)."""

from ..analysis import code_by_attribute, code_by_interview, coded_frame, cooccurrence, frequencies
from .workbook import WORKBOOK_NAME, write_coded_workbook, write_project_workbook

__all__ = ["write_coded_workbook", "write_project_workbook", "WORKBOOK_NAME", "coded_frame", "code_by_interview", "code_by_attribute",
           "frequencies", "cooccurrence"]
