"""``qualcode summarize`` as a library call: the one place that writes the report.

From the latest state (human decisions over machine ones) it regenerates the theme summaries,
the coded workbook with its Summary, Co-occurrence and Quotes sheets, and the HTML and
Markdown report with its PNG charts; the emergent topics are read from the ``topics.json``
that ``qualcode topics`` saved (:func:`qualcode.topics.load_topics`), never recomputed.
``qualcode topics`` calls it too, for the report alone, once its topics are saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .._files import DEFAULT_DB, DEFAULT_OUT, WORKBOOK_NAME
from ..analysis import Summaries, coded_frame
from ..codebook import Codebook
from ..export.workbook import SUMMARY_SETTINGS, summary_sheets, write_coded_workbook
from ..model import Progress
from ..store import Store
from ..summaries import summarize
from ..topics import TopicResult, load_topics


@dataclass
class SummarizeResult:
    summaries: Summaries
    workbook: Path | None
    html: Path | None
    markdown: Path | None
    figures: dict[str, Path] = field(default_factory=dict)
    topics: TopicResult | None = None  # the topics included, when `qualcode topics` has run


def summarize_project(db: str | Path = DEFAULT_DB, out: str | Path = DEFAULT_OUT, *,
                      by: str | None = None, lang: str | None = None, codebook: Codebook | None = None,
                      workbook: bool = True, report: bool = True, n_quotes: int = 4,
                      remember: bool = True, progress: Progress | None = None) -> SummarizeResult:
    """Regenerate the summaries, the coded workbook's summary sheets and the report.

    ``remember``: every later rewrite of the coded workbook (a coding pass, a review import)
    recomputes its summary sheets with these settings; ``qualcode topics``, which only
    refreshes the report, passes False.
    """
    from . import write_report

    out = Path(out)
    with Store(db, create=False) as store:
        cb = codebook or store.codebook()
        if progress:
            progress(0, 3, "summaries")
        frame = coded_frame(store, cb)
        s = summarize(frame, cb, attribute=by, lang=lang, n_quotes=n_quotes)
        s.project_id = store.project_id
        if remember:
            store.set_meta(SUMMARY_SETTINGS, json.dumps({"by": by, "lang": lang, "n_quotes": n_quotes}))
        if progress:
            progress(1, 3, "summaries")
        topics = load_topics(out, store.project_id)
        wb_path = None
        if workbook:
            wb_path = write_coded_workbook(store, out / WORKBOOK_NAME, codebook=cb, progress=progress,
                                           attribute=s.attribute or "role",
                                           extra_sheets=summary_sheets(s, topics), skip_unchanged=False)
    if progress:
        progress(2, 3, "summaries")
    html = md = None
    figures: dict[str, Path] = {}
    if report:
        files = write_report(s, out, topics, source=str(db), progress=progress)
        html, md, figures = files.html, files.markdown, files.figures
    if progress:
        progress(3, 3, "summaries")
    return SummarizeResult(s, wb_path, html, md, figures, topics)
