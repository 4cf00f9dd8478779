"""The coded workbook: what a researcher opens after a coding pass.

Sheets: Segments (one row a segment, one column a code, evidence, reviewed or machine),
Code x interview, Code x role (segments, interviewees, share), Theme frequencies, Codebook,
About. Written in write-only mode (tens of thousands of rows in seconds), styled, with
frozen panes and filters, labels in the codebook's language, and saved atomically.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .._files import WORKBOOK_NAME
from .._i18n import attribute_label, evidence_text, format_time, tr
from .._xlsx import (
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    ROTATED,
    TOP,
    WRAP,
    as_number,
    atomic_save,
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
    write_table,
)
from ..analysis import (
    CodedState,
    Summaries,
    code_by_attribute,
    code_by_interview,
    code_matrix,
    coded_state,
    frequencies,
)
from ..codebook import Codebook
from ..errors import QualcodeError
from ..model import Progress
from ..store import Store, now, project_status

if TYPE_CHECKING:
    import pandas as pd

    from ..topics import TopicResult

ExtraSheets = Callable[[Workbook, "pd.DataFrame"], None]  # adds sheets to the coded workbook
SUMMARY_SETTINGS = "summaries:settings"  # store meta: how the last `summarize` was asked for
PCT = "0.0%"
CENTER = Alignment(horizontal="center", vertical="top")
ID_FILL = PatternFill("solid", fgColor="EDEDED")


def write_project_workbook(db: str | Path, out: str | Path, codebook: Codebook | None = None,
                           progress: Progress | None = None) -> Path:
    """Write ``out/coded.xlsx`` from the project database ``db``, as a coding pass leaves it."""
    with Store(db, create=False) as store:
        return write_coded_workbook(store, Path(out) / WORKBOOK_NAME, codebook=codebook, progress=progress)


def write_coded_workbook(store: Store, path: str | Path, codebook: Codebook | None = None,
                         progress: Progress | None = None, attribute: str = "role",
                         extra_sheets: ExtraSheets | None = None,
                         skip_unchanged: bool = True) -> Path:
    """Write the coded workbook from the store's latest state; returns the path written.

    ``extra_sheets(workbook, frame)`` adds sheets (:func:`summary_sheets`). Without
    it, the summary sheets are recomputed from the latest state when ``summarize`` has run on
    this project, so a coding pass or a review import never drops them. When the file exists
    and the content would be identical, it is left as it is (``skip_unchanged``).
    """
    cb = codebook or store.codebook()
    lang = cb.language
    state = coded_state(store, cb)
    frame = state.frame()
    path = Path(path)
    if extra_sheets is None:
        extra_sheets = latest_summary_sheets(store, cb, frame, path.parent)
    key = f"workbook:{path.resolve()}"
    fingerprint = _fingerprint(frame, cb, attribute, extra_sheets, store.meta(SUMMARY_SETTINGS))
    if skip_unchanged and path.exists() and store.meta(key) == fingerprint:
        return path  # same content as the file already there: nothing to rewrite
    wb = Workbook(write_only=True)
    _segments_sheet(wb, state, cb, lang, progress)
    _by_interview_sheet(wb, frame, cb, lang)
    _by_attribute_sheet(wb, frame, cb, attribute, lang)
    _frequencies_sheet(wb, frame, cb, attribute, lang)
    _codebook_sheet(wb, cb, lang)
    _disputes_sheet(wb, store, cb, state, lang)
    if extra_sheets:
        extra_sheets(wb, frame)
    _about_sheet(wb, store, cb, frame, lang)
    written = atomic_save(wb, path)
    store.set_meta(f"workbook:{written.resolve()}", fingerprint)
    return written


def latest_summary_sheets(store: Store, codebook: Codebook, frame: pd.DataFrame,
                          out: Path) -> ExtraSheets | None:
    """The summary (and topics) sheets as ``summarize`` last asked for them, recomputed from
    ``frame`` (the latest state), with the topics saved in ``out``; None when ``summarize`` has
    never run on this project.

    The coded workbook calls this on every rewrite (a coding pass, a review import), so its
    summary sheets never vanish nor go stale.
    """
    from ..summaries import summarize  # lazy: numpy and scikit-learn only when summaries exist
    from ..topics import load_topics

    raw = store.meta(SUMMARY_SETTINGS)
    if not raw:
        return None
    try:
        opts = json.loads(raw)
        s = summarize(frame, codebook, attribute=opts.get("by"), lang=opts.get("lang"),
                      n_quotes=int(opts.get("n_quotes") or 4))
    except (ValueError, TypeError, QualcodeError):  # e.g. the breakdown attribute is gone
        s = summarize(frame, codebook)
    s.project_id = store.project_id
    return summary_sheets(s, load_topics(Path(out), store.project_id))


def summary_sheets(s: Summaries, topics: TopicResult | None) -> ExtraSheets:
    """An ``extra_sheets`` hook adding the summary sheets of ``s`` and, when given, the emergent
    topics sheet."""
    from ..summaries import add_summary_sheets
    from ..topics import add_topics_sheet

    def add(wb: Workbook, _frame: pd.DataFrame) -> None:
        add_summary_sheets(wb, s)
        if topics is not None:
            add_topics_sheet(wb, topics, s.lang)

    return add


def _fingerprint(frame: pd.DataFrame, cb: Codebook, attribute: str, extra: ExtraSheets | None,
                 settings: str | None) -> str:
    """What the workbook shows, hashed: rewriting an identical workbook is skipped."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256(f"{cb.version}|{attribute}|{getattr(extra, '__qualname__', extra)}|{settings}".encode())
    h.update(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes())
    h.update(",".join(map(str, frame.columns)).encode())
    return h.hexdigest()


def _segments_sheet(wb: Workbook, state: CodedState, cb: Codebook, lang: str,
                    progress: Progress | None) -> None:
    """Who said it, what was said and the codes first (the first screen); context, evidence,
    other attributes and ids after. Code headers are rotated so that seven codes fit beside
    the text; rows are capped in height and a longer text is whole in a comment."""
    ws = wb.create_sheet(tr("workbook.segments", lang))
    attr_key = {name: key for key, name in state.attribute_columns.items()}  # column -> attribute
    attrs = list(attr_key)
    first_attr = ["role"] if "role" in attrs else []
    others = [a for a in attrs if a not in first_attr]
    segments = state.segments
    code_heads = [wrap_words(cb.label(c, lang), 20) for c in cb.ids]
    # the segment id first but narrow (a key to the row, clipped, for filtering and lookups)
    cols: list[tuple[str, str, float]] = [("segment", tr("workbook.segment_id", lang), header_width(tr("workbook.segment_id", lang)))]
    cols += [("interview", tr("workbook.interview", lang), _fit(
        [s.source_id for s in segments], tr("workbook.interview", lang), 10, 24))]
    cols += [(f"attr:{a}", attribute_label(a, lang, capital=True),
              _fit([s.attribute(attr_key[a]) for s in segments], attribute_label(a, lang, capital=True), 6, 16))
             for a in first_attr]
    cols += [("text", tr("workbook.text", lang), 58)]
    cols += [(f"code:{c}", h, rotated_header_width(h)) for c, h in zip(cb.ids, code_heads)]
    cols += [("status", tr("workbook.status", lang), header_width(tr("workbook.status", lang), 9)),
             ("question", tr("workbook.question", lang), 40), ("evidence", tr("workbook.evidence", lang), 50),
             ("memos", tr("workbook.memos", lang), 35)]
    cols += [(f"attr:{a}", attribute_label(a, lang, capital=True),
              _fit([s.attribute(attr_key[a]) for s in segments], attribute_label(a, lang, capital=True), 6, 24))
             for a in others]
    cols += [("speaker", tr("workbook.speaker", lang), _fit([s.speaker for s in segments], tr("workbook.speaker", lang), 8, 20))]
    keys = [k for k, _, _ in cols]
    widths = [w for _, _, w in cols]
    pos = {k: j for j, k in enumerate(keys)}
    print_setup(ws, widths=widths, title_cols=f"A:{get_column_letter(pos['text'] + 1)}")
    set_widths(ws, widths)
    ws.freeze_panes = f"{get_column_letter(pos['text'] + 1)}2"  # who said it stays in view
    ws.row_dimensions[1].height = max(
        [rotated_header_height(h) for h in code_heads] +
        [row_height([(h, w)]) for k, h, w in cols if not k.startswith("code:")])
    ws.append([cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL,
                    alignment=ROTATED if k.startswith("code:") else HEADER_ALIGN) for k, h, _ in cols])
    n = len(segments)
    long_fill = PatternFill("solid", fgColor="FFF2CC")
    for k, seg in enumerate(segments):
        codes = [seg.code(c) for c in cb.ids]
        sep = tr("punct.colon", lang)
        evidence = "\n".join(f"{cb.label(c, lang)}{sep}{evidence_text(e.shown_evidence, lang)}"
                             for c, e in zip(cb.ids, codes) if e.shown_evidence)
        question = question_tail(seg.question)
        memos = " | ".join(dict.fromkeys(e.memo for e in codes if e.memo))
        status = (tr("workbook.disputed", lang) if any(e.disputed for e in codes)
                  else tr("workbook.reviewed", lang) if any(e.reviewed for e in codes) else tr("workbook.machine", lang))
        values: dict[str, Any] = {"interview": cell(ws, seg.source_id, alignment=TOP),
                                  "text": cell(ws, seg.text, alignment=WRAP),
                                  "status": cell(ws, status, alignment=TOP),
                                  "memos": cell(ws, memos or None, alignment=WRAP),
                                  "question": cell(ws, question, alignment=WRAP),
                                  "evidence": cell(ws, evidence, alignment=WRAP),
                                  "speaker": cell(ws, seg.speaker, alignment=TOP),
                                  "segment": cell(ws, seg.id, alignment=TOP, fill=ID_FILL)}
        for a in attrs:
            values[f"attr:{a}"] = cell(ws, as_number(seg.attribute(attr_key[a])), alignment=TOP)
        for c, e in zip(cb.ids, codes):
            values[f"code:{c}"] = cell(ws, 1 if e.applied else None, alignment=CENTER)
        height, _ = fit_height([(seg.text, widths[pos["text"]]), (question, widths[pos["question"]]),
                                (evidence, widths[pos["evidence"]]), (memos, widths[pos["memos"]])])
        for key, full in (("text", seg.text), ("question", seg.question), ("evidence", evidence),
                          ("memos", memos)):
            if full and (full != (question if key == "question" else full)
                         or row_height([(full, widths[pos[key]])]) > height):
                values[key].comment = full_text_comment(full)  # never cut: the whole text is here
                values[key].fill = long_fill
        ws.row_dimensions[k + 2].height = height
        ws.append([values[key] for key in keys])
        if progress and k % 2000 == 0:
            progress(k, n, "workbook")
    last = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A1:{last}{max(n + 1, 2)}"
    for c in cb.ids:
        col = get_column_letter(pos[f"code:{c}"] + 1)
        fill = PatternFill("solid", fgColor=_tint(cb.code(c).color))
        ws.conditional_formatting.add(f"{col}2:{col}{max(n + 1, 2)}",
                                      FormulaRule(formula=[f"{col}2=1"], fill=fill,
                                                  font=Font(bold=True)))
    if progress:
        progress(n, n, "workbook")


def _fit(values: list[Any], header: str, lo: float, hi: float) -> float:
    """A column width from its content: the longest value (within bounds), and never narrower
    than the header's longest word."""
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return max(header_width(header, lo), min(hi, longest * 1.05 + 1.5))


def _by_interview_sheet(wb: Workbook, frame: pd.DataFrame, cb: Codebook, lang: str) -> None:
    """Interviews as rows, codes as columns (scales to hundreds of interviews), shaded counts."""
    ws = wb.create_sheet(tr("workbook.interviews_as_rows", lang))
    m = code_by_interview(frame, cb)
    interviews = list(m.columns)
    role = ("role" in frame.columns and frame.groupby("source_id")["role"].first().to_dict()) or {}
    heads = [wrap_words(cb.label(c, lang), 20) for c in cb.ids]
    fixed = [tr("workbook.interview", lang)] + ([attribute_label("role", lang, capital=True)] if role else [])
    widths = [_fit(interviews, fixed[0], 10, 30)] + ([_fit(list(role.values()), fixed[-1], 6, 16)] if role else [])
    widths += [rotated_header_width(h) for h in heads] + [header_width(tr("workbook.total", lang), 8)]
    print_setup(ws)
    set_widths(ws, widths)
    ws.print_title_rows = "2:2"
    ws.freeze_panes = f"{get_column_letter(len(fixed) + 1)}3"
    ws.append([cell(ws, tr("workbook.matrix_note", lang), font=Font(italic=True, color="595959"))])
    ws.row_dimensions[2].height = max([rotated_header_height(h) for h in heads] + [30])
    ws.append([*header_cells(ws, fixed),
               *[cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=ROTATED) for h in heads],
               *header_cells(ws, [tr("workbook.total", lang)])])
    for s in interviews:
        ws.append([cell(ws, s, alignment=TOP), *([cell(ws, role.get(s), alignment=TOP)] if role else []),
                   *[cell(ws, int(m.loc[c, s]) or None, alignment=CENTER) for c in cb.ids],
                   cell(ws, int(m[s].sum()), alignment=CENTER, font=Font(bold=True))])
    bold = Font(bold=True)
    ws.append([cell(ws, tr("workbook.total", lang), font=bold), *([cell(ws, "")] if role else []),
               *[cell(ws, int(m.loc[c].sum()), font=bold, alignment=CENTER) for c in cb.ids],
               cell(ws, int(m.values.sum()) if interviews else 0, font=bold, alignment=CENTER)])
    if interviews:
        a = get_column_letter(len(fixed) + 1)
        b = get_column_letter(len(fixed) + len(cb.ids))
        ws.conditional_formatting.add(f"{a}3:{b}{len(interviews) + 2}", ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="max", end_color="5B9BD5"))
        ws.auto_filter.ref = f"A2:{get_column_letter(len(widths))}{len(interviews) + 2}"


def _by_attribute_sheet(wb: Workbook, frame: pd.DataFrame, cb: Codebook, attr: str, lang: str) -> None:
    ws = wb.create_sheet(tr("workbook.by_role", lang))
    mats = code_by_attribute(frame, cb, attr)
    vals = list(mats["segments"].columns)
    totals = mats.get("totals")
    print_setup(ws)
    ws.print_title_rows = None
    set_widths(ws, [18, 34, *[14] * len(vals)])
    ws.freeze_panes = "C1"
    blocks = [("workbook.segments_by", mats["segments"], None), ("workbook.interviewees_by", mats["interviewees"], None),
              ("workbook.share_by", mats["share"], PCT)]
    for key, m, fmt in blocks:
        ws.append([cell(ws, tr(key, lang, attr=attr), font=Font(bold=True, size=12, color="1F3864"))])
        hdr = [tr("workbook.code", lang), tr("workbook.label", lang), *[_with_n(v, totals) for v in vals]]
        ws.append(header_cells(ws, hdr))
        for c in cb.ids:
            ws.append([cell(ws, c), cell(ws, cb.label(c, lang)),
                       *[cell(ws, _num(m.loc[c, v]), number_format=fmt) for v in vals]])
        ws.append([])


def _frequencies_sheet(wb: Workbook, frame: pd.DataFrame, cb: Codebook, attr: str, lang: str) -> None:
    ws = wb.create_sheet(tr("workbook.frequencies", lang))
    f = frequencies(frame, cb, attr)
    share_cols = [c for c in f.columns if c.startswith("share_")]
    header = [tr("workbook.code", lang), tr("workbook.label", lang), tr("workbook.n_segments", lang), tr("workbook.pct_segments", lang),
              tr("workbook.n_interviews", lang), tr("workbook.pct_interviews", lang), tr("workbook.n_reviewed", lang),
              *[tr("workbook.share_of", lang, v=c[len("share_"):]) for c in share_cols]]
    rows = [[c, cb.label(c, lang), int(f.loc[c, "segments"]), float(f.loc[c, "segments_pct"]),
             int(f.loc[c, "interviews"]), float(f.loc[c, "interviews_pct"]), int(f.loc[c, "reviewed"]),
             *[float(f.loc[c, s]) for s in share_cols]] for c in cb.ids]
    fmts = {3: PCT, 5: PCT, **{7 + k: PCT for k in range(len(share_cols))}}
    write_table(ws, header, rows, widths=[18, 34, 11, 12, 11, 12, 12, *[13] * len(share_cols)],
                number_formats=fmts, freeze="C2")


def _codebook_sheet(wb: Workbook, cb: Codebook, lang: str) -> None:
    ws = wb.create_sheet(tr("workbook.codebook", lang))
    header = [tr("workbook.code", lang), tr("workbook.label", lang), tr("workbook.parent", lang), tr("workbook.definition", lang),
              tr("workbook.include", lang), tr("workbook.exclude", lang), tr("workbook.examples", lang), tr("workbook.lexicon", lang),
              tr("workbook.threshold", lang), tr("workbook.color", lang)]
    rows = [[c.id, c.text("label", lang), c.parent or "", c.text("definition", lang),
             "\n".join(c.text("include", lang)), "\n".join(c.text("exclude", lang)),
             "\n".join(c.text("examples", lang)[:5]), sum(len(v) for v in c.lexicon.values()),
             c.threshold, c.color] for c in cb.codes]
    write_table(ws, header, rows, widths=[18, 30, 14, 60, 45, 45, 50, 10, 9, 10],
                wrap=(3, 4, 5, 6), freeze="C2")


def _about_sheet(wb: Workbook, store: Store, cb: Codebook, frame: pd.DataFrame, lang: str) -> None:
    ws = wb.create_sheet(tr("workbook.about", lang))
    passes = store.passes()
    machine = [p for p in passes if p.get("kind") == "machine"]
    last = machine[-1] if machine else {}
    n_reviewed = int(code_matrix(frame, cb.ids, "reviewed").to_numpy().sum()) if len(frame) else 0
    status = project_status(store)
    last_pass = tr("workbook.last_pass_value", lang, id=last.get("id", ""), date=format_time(last.get("finished_at"), lang),
                  coder=last.get("coder", "")) if last else ""
    rows = [(tr("workbook.about_what", lang), tr("workbook.about_coded", lang)),
            (tr("workbook.written_at", lang), format_time(now(), lang)),
            (tr("workbook.project", lang), store.project_id),
            (tr("workbook.codebook_version", lang), f"{cb.name} {cb.version}"),
            (tr("workbook.codebook_file", lang), cb.path),
            (tr("workbook.last_pass", lang), last_pass),
            (tr("workbook.passes", lang), len(passes)),
            (tr("workbook.n_interviews", lang), int(frame["source_id"].nunique()) if len(frame) else 0),
            (tr("workbook.n_segments", lang), len(frame)),
            (tr("workbook.reviewed_codings", lang), n_reviewed),
            (tr("workbook.stale_decisions", lang), len(status.stale)),
            (tr("workbook.orphaned_decisions", lang), sum(status.orphaned.values())),
            (tr("workbook.disagreements", lang), status.disputes),
            (tr("workbook.unit", lang), tr("workbook.unit_value", lang))]
    write_table(ws, [tr("workbook.item", lang), tr("workbook.value", lang)], rows, widths=[32, 80], freeze=None,
                autofilter=False, title=cb.title.get(lang) or cb.name, wrap=(1,))


def _disputes_sheet(wb: Workbook, store: Store, cb: Codebook, state: CodedState, lang: str) -> None:
    """Désaccords: every cell where reviewers disagree, who said what, and their memos.

    The cells come from :meth:`Store.disputes`, not from the coded state, so that a dispute on
    a code the codebook no longer has is still shown (by its id)."""
    ws = wb.create_sheet(tr("workbook.disputes", lang))
    yes, no = tr("workbook.yes", lang), tr("workbook.no", lang)
    rows = []
    for seg, code, who in store.disputes():
        coded = state.segment(seg)
        if coded is None:
            continue
        sep = tr("punct.colon", lang)
        lines = "\n".join(f"{r}{sep}{yes if v else no}" + (f" — {m}" if m else "")
                          for r, (v, m) in sorted(who.items()))
        shown = sum(v for v, _ in who.values()) * 2 >= len(who)
        rows.append((seg, coded.source_id, cb.label(code, lang) if code in cb.ids else code, coded.text, lines,
                     yes if shown else no))
    header = [tr("workbook.segment_id", lang), tr("workbook.interview", lang), tr("workbook.code", lang), tr("workbook.text", lang),
              tr("workbook.decisions", lang), tr("workbook.applied_now", lang)]
    write_table(ws, header, rows or [(tr("workbook.no_disputes", lang), "", "", "", "", "")],
                widths=[24, _fit([s.source_id for s in state.segments], tr("workbook.interview", lang), 12, 28), 26, 70, 45, 10],
                wrap=(0, 1, 2, 3, 4), title=tr("workbook.disputes_note", lang))


def _with_n(v: str, totals: pd.DataFrame | None) -> str:
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
