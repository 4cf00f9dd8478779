"""Review in Excel: export a workbook made for reviewing, import every decision back.

    from qualcode.review import export_review_workbook, import_reviews
    export_review_workbook(store, "outputs/review-marie.xlsx", reviewer="Marie")
    result = import_reviews(store, ["outputs/review-marie.xlsx"])  # all or nothing
"""

from ._export import ExportResult, export_review_workbook
from ._import import FileSummary, ImportResult, import_reviews

__all__ = ["export_review_workbook", "ExportResult", "import_reviews", "ImportResult", "FileSummary"]
