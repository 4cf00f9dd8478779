"""``qualcode summarize`` as a library call: from the project database to the files.

Regenerates, from the latest state (human decisions over machine ones), the coded workbook
with its Summary, Co-occurrence and Quotes sheets (plus the emergent topics when
``qualcode topics`` has run), the HTML and Markdown report and its PNG charts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codebook import Codebook
from ..errors import QualcodeError
from ..export import coded_frame, write_coded_workbook
from ..store import Store
from ._compute import summarize
from ._model import Summaries
from ._sheets import add_summary_sheets

Progress = Callable[[int, int, str], None]
WORKBOOK_NAME = "coded.xlsx"
TOPICS_JSON = "topics.json"
SETTINGS_KEY = "summaries:settings"  # store meta: how the last summarize was asked for


@dataclass
class SummarizeResult:
    summaries: Summaries
    workbook: Path | None
    html: Path | None
    markdown: Path | None
    figures: dict[str, Path] = field(default_factory=dict)
    topics: Any = None  # the TopicResult included, when topics were run


def summarize_project(db: str | Path = "qualcode.db", out: str | Path = "outputs", *,
                      by: str | None = None, lang: str | None = None, codebook: Codebook | None = None,
                      workbook: bool = True, report: bool = True, n_quotes: int = 4,
                      progress: Progress | None = None) -> SummarizeResult:
    """Regenerate the summaries, the coded workbook's summary sheets and the report."""
    out = Path(out)
    with Store(db, create=False) as store:
        cb = codebook or store.codebook()
        if progress:
            progress(0, 3, "summaries")
        frame = coded_frame(store, cb)
        s = summarize(frame, cb, attribute=by, lang=lang, n_quotes=n_quotes)
        s.project_id = store.project_id
        # every later rewrite of the coded workbook recomputes the summaries with these settings
        store.set_meta(SETTINGS_KEY, json.dumps({"by": by, "lang": lang, "n_quotes": n_quotes}))
        if progress:
            progress(1, 3, "summaries")
        topics = load_topics(out, store.project_id)
        wb_path = None
        if workbook:
            wb_path = write_coded_workbook(store, out / WORKBOOK_NAME, codebook=cb, progress=progress,
                                           attribute=s.attribute or "role",
                                           extra_sheets=_sheets_hook(s, topics), skip_unchanged=False)
    if progress:
        progress(2, 3, "summaries")
    html = md = None
    figures: dict[str, Path] = {}
    if report:
        from ..report import write_report

        files = write_report(s, out, topics, source=str(db), progress=progress)
        html, md, figures = files.html, files.markdown, files.figures
    if progress:
        progress(3, 3, "summaries")
    return SummarizeResult(s, wb_path, html, md, figures, topics)


def load_topics(out: Path, project_id: str) -> Any:
    """The topics saved by ``qualcode topics`` in ``out``, if they are this project's."""
    p = Path(out) / TOPICS_JSON
    if not p.exists():
        return None
    from ..topics._model import TopicResult

    res = TopicResult.load(p)
    if res is None or (res.project_id and project_id and res.project_id != project_id):
        return None
    return res


def latest_summary_sheets(store: Store, codebook: Codebook, frame: Any,
                           out: Path) -> Callable[[Any, Any], None] | None:
    """The summary (and topics) sheets as ``summarize`` last asked for them, recomputed from
    ``frame`` (the latest state); None when ``summarize`` has never run on this project.

    The coded workbook calls this on every rewrite (a coding pass, a review import), so its
    summary sheets never vanish nor go stale.
    """
    raw = store.meta(SETTINGS_KEY)
    if not raw:
        return None
    try:
        opts = json.loads(raw)
        s = summarize(frame, codebook, attribute=opts.get("by"), lang=opts.get("lang"),
                      n_quotes=int(opts.get("n_quotes") or 4))
    except (ValueError, TypeError, QualcodeError):  # e.g. the breakdown attribute is gone
        s = summarize(frame, codebook)
    s.project_id = store.project_id
    return _sheets_hook(s, load_topics(Path(out), store.project_id))


def _sheets_hook(s: Summaries, topics: Any) -> Callable[[Any, Any], None]:
    def add(wb: Any, _frame: Any) -> None:
        add_summary_sheets(wb, s)
        if topics is not None:
            from ..topics._sheets import add_topics_sheet

            add_topics_sheet(wb, topics, s.lang)

    return add
