"""The Emergent topics sheet (in ``topics.xlsx`` and, after ``qualcode summarize``, in the
coded workbook), with a native bar chart of topic sizes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .._i18n import tr
from .._xlsx import (
    TOP,
    WRAP,
    atomic_save,
    cell,
    fit_height,
    full_text_comment,
    header_cells,
    header_width,
    print_setup,
    row_height,
    set_widths,
)
from ._model import TopicResult

if TYPE_CHECKING:
    import pandas as pd

TITLE_FONT = Font(bold=True, size=14, color="1F3864")


def add_topics_sheet(wb: Workbook, res: TopicResult, lang: str) -> Worksheet:
    """Append the topics sheet to a write-only workbook."""
    ws = wb.create_sheet(tr("summary.sheet_topics", lang))
    print_setup(ws)
    ws.print_title_rows = None
    values = sorted({v for t in res.topics for v in t.groups})
    header = [tr("summary.draft_code", lang), tr("summary.topic_label", lang), tr("summary.size", lang), tr("summary.interviewees", lang),
              *[tr("summary.segments_of", lang, v=v) for v in values], tr("summary.keywords", lang),
              *[f"{tr('summary.examples', lang)} {k}" for k in (1, 2, 3)]]
    widths = [15, 40, 10, 12, *[11] * len(values), 50, 70, 70, 70]
    widths = [max(w, header_width(h)) for w, h in zip(widths, header)]
    set_widths(ws, widths)
    ws.freeze_panes = "C4"
    intro = res.intro(lang)
    ws.append([cell(ws, tr("summary.emergent", lang), font=TITLE_FONT)])
    ws.append([cell(ws, intro)])
    ws.row_dimensions[3].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    for k, t in enumerate(res.topics):
        ex = [f"{q.text}\n— {q.source_id} · {q.segment_id}" for q in t.examples[:3]]
        ws.row_dimensions[4 + k].height = fit_height([(e, 70) for e in ex])[0]
        ws.append([cell(ws, t.code_id, alignment=TOP), cell(ws, t.label, alignment=TOP),
                   cell(ws, t.size, alignment=TOP), cell(ws, t.interviews, alignment=TOP),
                   *[cell(ws, t.groups.get(v, 0), alignment=TOP) for v in values],
                   cell(ws, ", ".join(k for k, _ in t.keywords), alignment=WRAP),
                   *[_example(ws, e, 70) for e in ex], *[cell(ws, "") for _ in range(3 - len(ex))]])
    n = len(res.topics)
    if n:
        ch = BarChart()
        ch.type = "bar"
        ch.grouping = "clustered"
        ch.title = tr("summary.chart_topics", lang)
        ch.x_axis.delete = False
        ch.y_axis.delete = False
        ch.add_data(Reference(ws, min_col=3, max_col=3, min_row=3, max_row=3 + n), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=1, max_col=1, min_row=4, max_row=3 + n))
        ch.x_axis.scaling.orientation = "maxMin"  # largest topic on top, as in the table
        ch.legend = None
        ch.height, ch.width = max(7.0, 0.6 * n + 2), 16.0
        ws.add_chart(ch, f"{get_column_letter(len(header) + 2)}3")
    return ws


def _example(ws: Worksheet, text: str, width: float) -> WriteOnlyCell:
    """An example quote; one longer than its capped row keeps its whole text in a comment."""
    c = cell(ws, text, alignment=WRAP)
    if fit_height([(text, width)])[1]:
        c.comment = full_text_comment(text)
    return c


def write_topics_workbook(res: TopicResult, path: str | Path, lang: str, segments: pd.DataFrame | None = None) -> Path:
    """``topics.xlsx``: the topics sheet, and one row per clustered segment with its topic."""
    wb = Workbook(write_only=True)
    add_topics_sheet(wb, res, lang)
    if segments is not None:
        ws = wb.create_sheet(tr("summary.segments", lang))
        print_setup(ws)
        set_widths(ws, [15, 18, 16, 100])
        ws.freeze_panes = "A2"
        row = 2
        ws.append(header_cells(ws, [tr("summary.draft_code", lang), tr("summary.segment", lang), tr("summary.interview", lang),
                                    tr("summary.quote", lang)]))
        text = dict(zip(segments["segment_id"].astype(str), segments["text"].astype(str)))
        src = dict(zip(segments["segment_id"].astype(str), segments["source_id"].astype(str)))
        for t in res.topics:
            for sid in t.segment_ids:
                ws.row_dimensions[row].height = row_height([(text.get(sid, ""), 100)])
                row += 1
                ws.append([cell(ws, t.code_id), cell(ws, sid), cell(ws, src.get(sid, "")),
                           cell(ws, text.get(sid, ""), alignment=WRAP)])
    return atomic_save(wb, Path(path))
