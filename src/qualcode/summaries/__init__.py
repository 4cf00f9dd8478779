"""Theme summaries: how often each theme comes up, with whom, in whose words.

:func:`summarize` is a pure function of the coded frame and returns :class:`Summaries` (the
data model is :mod:`qualcode.analysis`'s); rendering is separate (:func:`add_summary_sheets`
for the coded workbook, :mod:`qualcode.report` for HTML and Markdown).
:func:`qualcode.report.summarize_project` regenerates everything from a project database, as
``qualcode summarize`` does.
"""

from ..analysis import (
           Association,
           GroupCount,
           Quote,
           Summaries,
           Term,
           ThemeSummary,
           default_attribute,
)
from ._compute import paragraph, summarize
from ._sheets import add_summary_sheets

__all__ = ["summarize", "add_summary_sheets", "default_attribute", "paragraph", "Summaries", "ThemeSummary",
           "Quote", "Term", "GroupCount", "Association"]
