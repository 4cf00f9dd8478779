"""Summary sheets of the coded workbook: Summary (with native Excel charts), Co-occurrence,
Quotes. Write-only sheets, in the codebook's language, numbers taken from :class:`Summaries`.

The charts are real Excel charts (openpyxl ``BarChart``) that read the cells of the matrices
written on the same sheet, so a researcher can restyle them or copy them into a report.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .._i18n import attribute_label, fmt_int, fmt_pct, tr
from .._xlsx import (
    HEADER_FILL,
    HEADER_FONT,
    ROTATED,
    TOP,
    WRAP,
    as_number,
    cell,
    fit_height,
    full_text_comment,
    header_cells,
    header_width,
    print_setup,
    question_tail,
    rotated_header_height,
    rotated_header_width,
    row_height,
    set_widths,
    wrap_words,
)
from ..analysis import Summaries

PCT = "0.0%"
BLOCK_FONT = Font(bold=True, size=12, color="1F3864")
TITLE_FONT = Font(bold=True, size=14, color="1F3864")
HEAT = {"start_type": "num", "start_value": 0, "start_color": "FFFFFF",
        "end_type": "max", "end_color": "8EA9DB"}  # light enough for black text


def add_summary_sheets(wb: Workbook, s: Summaries) -> None:
    """Append the Summary, Co-occurrence and Quotes sheets to a write-only workbook."""
    summary_sheet(wb, s)
    cooccurrence_sheet(wb, s)
    quotes_sheet(wb, s)


def summary_sheet(wb: Workbook, s: Summaries) -> Worksheet:
    lang = s.lang
    ws = wb.create_sheet(tr("summary.sheet_summary", lang))
    values = list(s.matrix.columns) if s.attribute else []
    nv = len(values)
    print_setup(ws)
    ws.print_title_rows = None
    header = [tr("summary.code", lang), tr("summary.theme", lang), tr("summary.segments", lang), tr("summary.pct_segments", lang),
              tr("summary.interviewees", lang), tr("summary.pct_interviewees", lang), tr("summary.confirmed", lang),
              *[tr("summary.segments_of", lang, v=v) for v in values], *[tr("summary.share_of", lang, v=v) for v in values],
              tr("summary.summary", lang), tr("summary.terms", lang)]
    label_w = min(46, max([30, *(len(t.label) * 1.05 + 2 for t in s.themes)]))  # labels on one line
    widths = [18, label_w, 10, 11, 12, 12, 12, *[11] * (2 * nv), 90, 50]
    widths = [max(w, header_width(h)) for w, h in zip(widths, header)]
    # the blocks below put attribute values ("recruteur (n=2)") as headers over columns C...
    groups = [g for th in s.themes[:1] for g in th.groups]
    value_w = max((header_width(f"{g.value} (n={g.total})") for g in groups), default=0)
    n_vals = max((sum(1 for g in groups if g.attribute == a) for a in {g.attribute for g in groups}), default=0)
    widths = [max(w, value_w) if 2 <= j < 2 + n_vals else w for j, w in enumerate(widths)]
    set_widths(ws, widths)
    ws.freeze_panes = "C5"
    ws.append([cell(ws, f"{tr('summary.report_title', lang)} · {s.title}", font=TITLE_FONT)])
    ws.append([cell(ws, _corpus_line(s))])
    ws.append([])
    ws.row_dimensions[4].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    for k, th in enumerate(s.themes):
        terms = ", ".join(t.term for t in th.terms)
        ws.row_dimensions[5 + k].height, over = fit_height([(th.paragraph, widths[-2]), (terms, widths[-1]),
                                                            (th.label, widths[1])])
        seg_by = {g.value: g for g in th.groups_for(s.attribute)} if s.attribute else {}
        row = [cell(ws, th.code_id, alignment=TOP), cell(ws, th.label, alignment=WRAP),
               cell(ws, th.segments, alignment=TOP), cell(ws, th.segments_pct, number_format=PCT, alignment=TOP),
               cell(ws, th.interviews, alignment=TOP),
               cell(ws, th.interviews_pct, number_format=PCT, alignment=TOP), cell(ws, th.reviewed, alignment=TOP)]
        row += [cell(ws, seg_by[v].segments if v in seg_by else 0, alignment=TOP) for v in values]
        row += [cell(ws, seg_by[v].share if v in seg_by else 0.0, number_format=PCT, alignment=TOP)
                for v in values]
        row += [cell(ws, th.paragraph, alignment=WRAP), cell(ws, terms, alignment=WRAP)]
        if over:
            row[-2].comment = full_text_comment(th.paragraph)
        ws.append(row)
    if not s.attribute or not nv:
        return ws
    ws.append([])
    n = len(s.themes)
    row = 4 + n + 2  # the next row to be written (1-based)
    attr = s.attribute
    chart_col = get_column_letter(nv + 5)

    counts_at = row
    row = _matrix_block(ws, s, tr("summary.matrix_counts", lang, attr=attr), s.matrix, None, row, totals=True)
    share_at = row
    row = _matrix_block(ws, s, tr("summary.share_title", lang, attr=attr), s.share, PCT, row,
                        header_n=s.group_totals)
    row = _matrix_block(ws, s, tr("summary.matrix_row", lang, attr=attr), s.matrix_row_pct, PCT, row)
    row = _matrix_block(ws, s, tr("summary.matrix_col", lang, attr=attr), s.matrix_col_pct, PCT, row,
                        header_n=s.group_segments)
    for other in dict.fromkeys(g.attribute for t in s.themes for g in t.groups):
        if other == attr:
            continue  # every other attribute worth a breakdown: share of interviewees
        values = [g.value for g in s.themes[0].groups_for(other)]
        share = pd.DataFrame({v: {t.code_id: g.share for t in s.themes for g in t.groups_for(other) if g.value == v}
                              for v in values})
        totals = {g.value: g.total for g in s.themes[0].groups_for(other)}
        row = _matrix_block(ws, s, tr("summary.share_title", lang, attr=other), share, PCT, row, header_n=totals)

    first = _bar_chart(ws, tr("summary.chart_segments_by", lang, attr=attr), counts_at + 1, n, nv,
                       tr("summary.segments", lang), None)
    ws.add_chart(first, f"{chart_col}{counts_at}")
    below = counts_at + int(first.height / 0.53) + 2  # rows are about 0.53 cm high
    ws.add_chart(_bar_chart(ws, tr("summary.chart_share_by", lang, attr=attr), share_at + 1, n, nv,
                            tr("summary.pct_interviewees", lang), "0%"), f"{chart_col}{below}")
    return ws


def _matrix_block(ws: Worksheet, s: Summaries, title: str, m: pd.DataFrame, fmt: str | None, row: int,
                  totals: bool = False, header_n: dict[str, int] | None = None) -> int:
    """A titled code x value block; returns the next free row. Row ``row + 1`` is its header."""
    lang = s.lang
    values = list(m.columns)
    ws.append([cell(ws, title, font=BLOCK_FONT)])
    names = [f"{v} (n={fmt_int(header_n[v], lang)})" if header_n and v in header_n else str(v) for v in values]
    ws.row_dimensions[row + 1].height = row_height([(x, 10) for x in names])
    ws.append(header_cells(ws, [tr("summary.code", lang), tr("summary.theme", lang), *names,
                                *([tr("summary.total", lang)] if totals else [])]))
    for th in s.themes:
        vals = [float(m.loc[th.code_id, v]) if fmt else int(m.loc[th.code_id, v]) for v in values]
        ws.append([cell(ws, th.code_id), cell(ws, th.label),
                   *[cell(ws, x, number_format=fmt) for x in vals],
                   *([cell(ws, int(sum(vals)))] if totals else [])])
    first, last = row + 2, row + 1 + len(s.themes)
    if values and len(s.themes):
        ref = f"C{first}:{get_column_letter(2 + len(values))}{last}"
        ws.conditional_formatting.add(ref, ColorScaleRule(**HEAT))
    ws.append([])
    return last + 2


def _bar_chart(ws: Worksheet, title: str, header_row: int, n: int, nv: int, y_title: str,
               y_format: str | None) -> BarChart:
    """A clustered bar chart: one cluster per theme (first on top, labels readable), one bar
    per attribute value."""
    ch = BarChart()
    ch.type = "bar"
    ch.grouping = "clustered"
    ch.x_axis.scaling.orientation = "maxMin"  # themes in table order, top to bottom
    ch.gapWidth = 60
    ch.title = title
    ch.y_axis.title = y_title
    ch.x_axis.delete = False  # openpyxl >= 3.1 hides axes unless told otherwise
    ch.y_axis.delete = False
    if y_format:
        ch.y_axis.number_format = y_format
        ch.y_axis.scaling.min = 0
        ch.y_axis.scaling.max = 1
    data = Reference(ws, min_col=3, max_col=2 + nv, min_row=header_row, max_row=header_row + n)
    cats = Reference(ws, min_col=2, max_col=2, min_row=header_row + 1, max_row=header_row + n)
    ch.add_data(data, titles_from_data=True)
    ch.set_categories(cats)
    ch.height, ch.width = max(7.5, 0.32 * n * nv + 3.5), 18.0
    ch.legend.position = "b"
    return ch


def cooccurrence_sheet(wb: Workbook, s: Summaries) -> Worksheet:
    """Code x code, labelled by theme (rotated headers) with each code's total in its own column:
    an empty diagonal, so the colour scale shows the pairs and not the totals."""
    lang = s.lang
    ws = wb.create_sheet(tr("summary.sheet_cooc", lang))
    print_setup(ws)
    ws.print_title_rows = None
    ids = [t.code_id for t in s.themes]
    labels = {t.code_id: t.label for t in s.themes}
    heads = [wrap_words(labels[c], 20) for c in ids]
    code_w = [max(rotated_header_width(h), 7) for h in heads]
    if code_w:  # the first code column also holds the pairs' Jaccard below
        code_w[0] = max(code_w[0], header_width(tr("summary.jaccard", lang)))
    widths = [20, 34, header_width(tr("summary.together", lang), 10), *code_w]
    set_widths(ws, widths)
    diag = PatternFill("solid", fgColor="D9D9D9")
    row = 1
    for title, m, fmt in ((tr("summary.cooc_counts", lang), s.cooc_counts, None),
                          (tr("summary.cooc_jaccard", lang), s.cooc_jaccard, "0.00")):
        ws.append([cell(ws, title, font=BLOCK_FONT)])
        ws.row_dimensions[row + 1].height = max([rotated_header_height(h) for h in heads] + [30])
        ws.append([*header_cells(ws, [tr("summary.code", lang), tr("summary.theme", lang), tr("summary.segments", lang)]),
                   *[cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=ROTATED) for h in heads]])
        for a in ids:
            vals = [None if a == b else (float(m.loc[a, b]) if fmt else int(m.loc[a, b])) for b in ids]
            ws.append([cell(ws, a), cell(ws, labels[a]), cell(ws, int(s.cooc_counts.loc[a, a])),
                       *[cell(ws, v, number_format=fmt, fill=diag if a == b else None)
                         for v, b in zip(vals, ids)]])
        if ids:
            ref = f"D{row + 2}:{get_column_letter(3 + len(ids))}{row + 1 + len(ids)}"
            ws.conditional_formatting.add(ref, ColorScaleRule(**HEAT))
        ws.append([])
        row += len(ids) + 3
    # the pairs: both codes in column A, both themes in column B (one line each), then the figures
    ws.append([cell(ws, tr("summary.cooc_pairs", lang), font=BLOCK_FONT)])
    header = [tr("summary.code", lang), tr("summary.theme", lang), tr("summary.together", lang), tr("summary.jaccard", lang)]
    ws.row_dimensions[row + 1].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    for k, (a, b, n, j) in enumerate(s.top_pairs(n=15)):
        pair = f"{labels[a]}\n{labels[b]}"
        ws.row_dimensions[row + 2 + k].height = row_height([(pair, widths[1]), (f"{a}\n{b}", widths[0])])
        ws.append([cell(ws, f"{a}\n{b}", alignment=WRAP), cell(ws, pair, alignment=WRAP),
                   cell(ws, n, alignment=TOP), cell(ws, j, number_format="0.00", alignment=TOP)])
    return ws


def quotes_sheet(wb: Workbook, s: Summaries) -> Worksheet:
    """One row a quote: the theme, the question asked, the quote, who said it."""
    lang = s.lang
    ws = wb.create_sheet(tr("summary.sheet_quotes", lang))
    print_setup(ws)
    attrs = s.attributes
    names = [attribute_label(a, lang, capital=True) for a in attrs]
    header = [tr("summary.theme", lang), tr("summary.rank", lang), tr("summary.question", lang), tr("summary.quote", lang),
              tr("summary.interview", lang), *names, tr("summary.status", lang), tr("summary.code", lang), tr("summary.segment", lang)]
    widths = [26, 7, 34, 70, 20, *[max(12, header_width(x)) for x in names], 10, 18, 24]
    widths = [max(w, header_width(h)) for w, h in zip(widths, header)]
    set_widths(ws, widths)
    ws.freeze_panes = "C2"
    ws.append(header_cells(ws, header))
    center = Alignment(horizontal="center", vertical="top")
    n = 0
    for th in s.themes:
        for k, q in enumerate(th.quotes, start=1):
            question = question_tail(q.question, 200)
            ws.row_dimensions[n + 2].height = fit_height([(q.text, widths[3]), (question, widths[2]),
                                                          (th.label, widths[0])])[0]
            status = tr("summary.reviewed", lang) if q.reviewed else tr("summary.machine", lang)
            ws.append([cell(ws, th.label, alignment=WRAP), cell(ws, k, alignment=center),
                       cell(ws, question, alignment=WRAP, font=Font(italic=True, color="595959")),
                       cell(ws, q.text, alignment=WRAP), cell(ws, q.source_id, alignment=TOP),
                       *[cell(ws, as_number(q.attributes.get(a, "")), alignment=TOP) for a in attrs],
                       cell(ws, status, alignment=TOP), cell(ws, th.code_id, alignment=TOP),
                       cell(ws, q.segment_id, alignment=TOP)])
            n += 1
    if n:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"
    return ws


def _corpus_line(s: Summaries) -> str:
    lang = s.lang
    return tr("summary.corpus", lang, i=fmt_int(s.n_interviews, lang), s=fmt_int(s.n_segments, lang),
              c=fmt_int(s.n_coded, lang), cp=fmt_pct(s.n_coded / max(s.n_segments, 1), lang),
              u=fmt_int(s.n_uncoded, lang), up=fmt_pct(s.n_uncoded / max(s.n_segments, 1), lang),
              r=fmt_int(s.n_reviewed, lang))
