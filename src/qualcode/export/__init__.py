"""Export: the coded workbook and the matrices behind it."""

from .matrices import code_by_attribute, code_by_interview, coded_frame, cooccurrence, frequencies
from .workbook import write_coded_workbook

__all__ = ["write_coded_workbook", "coded_frame", "code_by_interview", "code_by_attribute",
           "frequencies", "cooccurrence"]
