"""Theme summaries: how often each theme comes up, with whom, in whose words.

:func:`summarize` is a pure function of the coded frame and returns :class:`Summaries`;
rendering is separate (:func:`add_summary_sheets` for the coded workbook, :mod:`qualcode.report`
for HTML and Markdown). :func:`summarize_project` regenerates everything from a project
database, as ``qualcode summarize`` does.
"""

from ._compute import default_attribute, paragraph, summarize
from ._model import Association, GroupCount, Quote, Summaries, Term, ThemeSummary
from ._project import SummarizeResult, latest_summary_sheets, summarize_project
from ._sheets import add_summary_sheets

__all__ = ["summarize", "summarize_project", "SummarizeResult", "add_summary_sheets", "latest_summary_sheets",
           "default_attribute", "paragraph", "Summaries", "ThemeSummary", "Quote", "Term",
           "GroupCount", "Association"]
