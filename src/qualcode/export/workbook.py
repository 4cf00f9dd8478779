"""The coded workbook: what a researcher opens after a coding pass.

Sheets: Segments (one row a segment, one column a code, evidence, reviewed or machine),
Code x interview, Code x role (segments, interviewees, share), Theme frequencies, Codebook,
About. Written in write-only mode (tens of thousands of rows in seconds), styled, with
frozen panes and filters, labels in the codebook's language, and saved atomically.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..codebook import Codebook
from ..store import Store, now
from ._i18n import t
from ._xlsx import (
    TOP,
    WRAP,
    atomic_save,
    cell,
    header_cells,
    print_setup,
    row_height,
    set_widths,
    write_table,
)
from .matrices import code_by_attribute, code_by_interview, coded_frame, frequencies

Progress = Callable[[int, int, str], None]
PCT = "0.0%"
CENTER = Alignment(horizontal="center", vertical="top")


def write_coded_workbook(store: Store, path: str | Path, codebook: Codebook | None = None,
                         progress: Progress | None = None, attribute: str = "role",
                         extra_sheets: Callable[[Workbook, Any], None] | None = None,
                         skip_unchanged: bool = True) -> Path:
    """Write the coded workbook from the store's latest state; returns the path written.

    ``extra_sheets(workbook, frame)`` lets later stages (summaries) add their sheets. Without
    it, the summary sheets are recomputed from the latest state when ``summarize`` has run on
    this project, so a coding pass or a review import never drops them. When the file exists
    and the content would be identical, it is left as it is (``skip_unchanged``).
    """
    cb = codebook or store.codebook()
    lang = cb.language
    frame = coded_frame(store, cb)
    path = Path(path)
    if extra_sheets is None:
        # The summaries package builds on this one (it reads coded_frame), hence the late import.
        from ..summaries import latest_summary_sheets

        extra_sheets = latest_summary_sheets(store, cb, frame, path.parent)
    key = f"workbook:{path.resolve()}"
    fingerprint = _fingerprint(frame, cb, attribute, extra_sheets, store.meta("summaries:settings"))
    if skip_unchanged and path.exists() and store.meta(key) == fingerprint:
        return path  # same content as the file already there: nothing to rewrite
    wb = Workbook(write_only=True)
    attrs = list(frame.columns[9:frame.columns.get_loc(cb.ids[0])])
    _segments_sheet(wb, frame, cb, attrs, lang, progress)
    _by_interview_sheet(wb, frame, cb, lang)
    _by_attribute_sheet(wb, frame, cb, attribute, lang)
    _frequencies_sheet(wb, frame, cb, attribute, lang)
    _codebook_sheet(wb, cb, lang)
    if extra_sheets:
        extra_sheets(wb, frame)
    _about_sheet(wb, store, cb, frame, lang)
    written = atomic_save(wb, path)
    store.set_meta(f"workbook:{written.resolve()}", fingerprint)
    return written


def _fingerprint(frame: Any, cb: Codebook, attribute: str, extra: Any, settings: str | None) -> str:
    """What the workbook shows, hashed: rewriting an identical workbook is skipped."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256(f"{cb.version}|{attribute}|{getattr(extra, '__qualname__', extra)}|{settings}".encode())
    h.update(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes())
    h.update(",".join(map(str, frame.columns)).encode())
    return h.hexdigest()


def _segments_sheet(wb: Workbook, frame: Any, cb: Codebook, attrs: list[str], lang: str,
                    progress: Progress | None) -> None:
    ws = wb.create_sheet(t("segments", lang))
    fixed = [t("segment_id", lang), t("interview", lang), t("speaker", lang), *attrs,
             t("question", lang), t("text", lang)]
    code_cols = [cb.label(c, lang) for c in cb.ids]
    header = [*fixed, *code_cols, t("status", lang), t("evidence", lang)]
    print_setup(ws)
    widths = [24, 20, 12, *[12] * len(attrs), 40, 70, *[12] * len(cb.ids), 10, 45]
    set_widths(ws, widths)
    ws.freeze_panes = "C2"  # segment and interview stay visible while scrolling
    ws.row_dimensions[1].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    q_col, t_col = len(fixed) - 2, len(fixed) - 1
    first_code = len(fixed) + 1
    n = len(frame)
    for k, r in enumerate(frame.to_dict("records")):
        applied = [c for c in cb.ids if r[c]]
        reviewed = any(r[f"{c}__reviewed"] for c in cb.ids)
        evidence = " | ".join(f"{cb.label(c, lang)}: {r[f'{c}__evidence']}" for c in applied
                              if r[f"{c}__evidence"])
        cells = [cell(ws, r["segment_id"], alignment=TOP), cell(ws, r["source_id"], alignment=TOP),
                 cell(ws, r["speaker"], alignment=TOP)]
        cells += [cell(ws, r[a], alignment=TOP) for a in attrs]
        cells += [cell(ws, r["question"], alignment=WRAP), cell(ws, r["text"], alignment=WRAP)]
        cells += [cell(ws, 1 if r[c] else None, alignment=CENTER) for c in cb.ids]
        cells += [cell(ws, t("reviewed", lang) if reviewed else t("machine", lang), alignment=TOP),
                  cell(ws, evidence, alignment=WRAP)]
        ws.row_dimensions[k + 2].height = row_height(
            [(r["question"], widths[q_col]), (r["text"], widths[t_col]), (evidence, widths[-1])])
        ws.append(cells)
        if progress and k % 2000 == 0:
            progress(k, n, "workbook")
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{max(n + 1, 2)}"
    for j, c in enumerate(cb.ids):
        col = get_column_letter(first_code + j)
        fill = PatternFill("solid", fgColor=_tint(cb.code(c).color))
        ws.conditional_formatting.add(f"{col}2:{col}{max(n + 1, 2)}",
                                      FormulaRule(formula=[f"{col}2=1"], fill=fill,
                                                  font=Font(bold=True)))
    if progress:
        progress(n, n, "workbook")


def _by_interview_sheet(wb: Workbook, frame: Any, cb: Codebook, lang: str) -> None:
    ws = wb.create_sheet(t("by_interview", lang))
    m = code_by_interview(frame, cb)
    cols = list(m.columns)
    header = [t("code", lang), t("label", lang), *cols, t("total", lang)]
    rows = [[c, cb.label(c, lang), *[int(m.loc[c, s]) for s in cols], int(m.loc[c].sum()) if cols else 0]
            for c in cb.ids]
    totals = [t("total", lang), "", *[int(m[s].sum()) for s in cols], int(m.values.sum()) if cols else 0]
    write_table(ws, header, [*rows, totals], widths=[18, 34, *[11] * len(cols), 9], freeze="C2")


def _by_attribute_sheet(wb: Workbook, frame: Any, cb: Codebook, attr: str, lang: str) -> None:
    ws = wb.create_sheet(t("by_role", lang))
    mats = code_by_attribute(frame, cb, attr)
    vals = list(mats["segments"].columns)
    totals = mats.get("totals")
    print_setup(ws)
    ws.print_title_rows = None
    set_widths(ws, [18, 34, *[14] * len(vals)])
    ws.freeze_panes = "C1"
    blocks = [("segments_by", mats["segments"], None), ("interviewees_by", mats["interviewees"], None),
              ("share_by", mats["share"], PCT)]
    for key, m, fmt in blocks:
        ws.append([cell(ws, t(key, lang, attr=attr), font=Font(bold=True, size=12, color="1F3864"))])
        hdr = [t("code", lang), t("label", lang), *[_with_n(v, totals) for v in vals]]
        ws.append(header_cells(ws, hdr))
        for c in cb.ids:
            ws.append([cell(ws, c), cell(ws, cb.label(c, lang)),
                       *[cell(ws, _num(m.loc[c, v]), number_format=fmt) for v in vals]])
        ws.append([])


def _frequencies_sheet(wb: Workbook, frame: Any, cb: Codebook, attr: str, lang: str) -> None:
    ws = wb.create_sheet(t("frequencies", lang))
    f = frequencies(frame, cb, attr)
    share_cols = [c for c in f.columns if c.startswith("share_")]
    header = [t("code", lang), t("label", lang), t("n_segments", lang), t("pct_segments", lang),
              t("n_interviews", lang), t("pct_interviews", lang), t("n_reviewed", lang),
              *[t("share_of", lang, v=c[len("share_"):]) for c in share_cols]]
    rows = [[c, cb.label(c, lang), int(f.loc[c, "segments"]), float(f.loc[c, "segments_pct"]),
             int(f.loc[c, "interviews"]), float(f.loc[c, "interviews_pct"]), int(f.loc[c, "reviewed"]),
             *[float(f.loc[c, s]) for s in share_cols]] for c in cb.ids]
    fmts = {3: PCT, 5: PCT, **{7 + k: PCT for k in range(len(share_cols))}}
    write_table(ws, header, rows, widths=[18, 34, 11, 12, 11, 12, 12, *[13] * len(share_cols)],
                number_formats=fmts, freeze="C2")


def _codebook_sheet(wb: Workbook, cb: Codebook, lang: str) -> None:
    ws = wb.create_sheet(t("codebook", lang))
    header = [t("code", lang), t("label", lang), t("parent", lang), t("definition", lang),
              t("include", lang), t("exclude", lang), t("examples", lang), t("lexicon", lang),
              t("threshold", lang), t("color", lang)]
    rows = [[c.id, c.text("label", lang), c.parent or "", c.text("definition", lang),
             "\n".join(c.text("include", lang)), "\n".join(c.text("exclude", lang)),
             "\n".join(c.text("examples", lang)[:5]), sum(len(v) for v in c.lexicon.values()),
             c.threshold, c.color] for c in cb.codes]
    write_table(ws, header, rows, widths=[18, 30, 14, 60, 45, 45, 50, 10, 9, 10],
                wrap=(3, 4, 5, 6), freeze="C2")


def _about_sheet(wb: Workbook, store: Store, cb: Codebook, frame: Any, lang: str) -> None:
    ws = wb.create_sheet(t("about", lang))
    passes = store.passes()
    last = passes[-1] if passes else {}
    n_reviewed = int(sum(frame[f"{c}__reviewed"].sum() for c in cb.ids)) if len(frame) else 0
    rows = [("qualcode", "coded workbook"), ("written_at", now()), ("project_id", store.project_id),
            ("codebook", f"{cb.name} {cb.version}"), ("codebook_file", cb.path),
            ("last_pass", f"#{last.get('id', '')} {last.get('coder_version', '')} {last.get('finished_at', '')}"),
            ("passes", len(passes)), ("interviews", int(frame["source_id"].nunique()) if len(frame) else 0),
            ("segments", len(frame)), ("reviewed_codings", n_reviewed),
            ("unit", "segment = one unit of respondent speech (see pass parameters)")]
    write_table(ws, ["key", "value"], rows, widths=[20, 90], freeze=None, autofilter=False,
                title=cb.title.get(lang) or cb.name)


def _with_n(v: str, totals: Any) -> str:
    if totals is not None and v in totals.columns:
        return f"{v} (n={int(totals[v].iloc[0])})"
    return str(v)


def _num(x: Any) -> Any:
    x = float(x)
    return int(x) if x.is_integer() else x if not math.isnan(x) else None


def _tint(hex_color: str, amount: float = 0.65) -> str:
    """A light tint of a code's colour, readable behind black text."""
    h = hex_color.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{int(c + (255 - c) * amount):02X}" for c in rgb)
