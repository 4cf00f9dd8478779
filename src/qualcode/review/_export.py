"""Write the review workbook: one row a segment, machine proposals, decision dropdowns.

Decision cells are empty unless the reviewer already has decisions in the project (they are
pre-filled so that a re-export shows the current state) or ``prefill=True`` (every undecided
cell gets the machine's proposal, so an untouched row imports as "I confirm the machine").
Written in write-only mode: tens of thousands of rows in seconds.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .._i18n import attribute_label, evidence_text, tr
from .._xlsx import (
    HEADER_ALIGN,
    ROTATED,
    TOP,
    WRAP,
    atomic_save,
    cell,
    clean,
    fit_height,
    full_text_comment,
    header_width,
    print_setup,
    question_tail,
    rotated_header_height,
    rotated_header_width,
    row_height,
    wrap_words,
)
from ..codebook import Codebook
from ..errors import ConfigError
from ..model import Progress, Segment
from ..store import ADJUDICATOR, REVIEWER, Effective, StaleDecision, Store, text_sha
from . import _layout as L
from ._files import backup, target_for

EXCEL_MAX_COLUMNS = 16_384  # columns in a sheet, Excel and LibreOffice Calc alike


GREY = PatternFill("solid", fgColor="EDEDED")
EDIT = PatternFill("solid", fgColor="FFF9E5")
HEAD_GREY = PatternFill("solid", fgColor="595959")
HEAD_DARK = PatternFill("solid", fgColor="1F3864")
HEAD_CODE_A = PatternFill("solid", fgColor="2F5597")
HEAD_CODE_B = PatternFill("solid", fgColor="4472C4")
LONG = PatternFill("solid", fgColor="FFF2CC")  # a text longer than its capped row: whole in a comment
WHITE_BOLD = Font(bold=True, color="FFFFFF")
QUESTION_CHARS = 160  # the end of the interviewer's turn, where the question is; the rest in a comment
HEAD_SIZE = 9  # rotated code headers: three per code, the label repeated, so a smaller font
SMALL_WHITE_BOLD = Font(bold=True, color="FFFFFF", size=HEAD_SIZE)
BOLD = Font(bold=True)
AGREE = PatternFill("solid", fgColor="C6EFCE")
DISAGREE = PatternFill("solid", fgColor="F8CBAD")
INVALID = PatternFill("solid", fgColor="FF7C80")
UNLOCKED = Protection(locked=False)
CENTER = Alignment(horizontal="center", vertical="top")


@dataclass
class ExportResult:
    """What ``export_review_workbook`` wrote."""

    path: Path
    rows: int
    codes: int
    prefilled: int  # decision cells pre-filled (the reviewer's earlier decisions, or --prefill)
    backup: Path | None  # copy of the file that was there before, if any
    export_id: str


def export_review_workbook(
    store: Store,
    path: str | Path,
    *,
    reviewer: str | None = None,
    prefill: bool = False,
    protect: bool = False,
    sources: Sequence[str] | None = None,
    only_proposed: bool = False,
    sample: int | None = None,
    seed: int = 0,
    order: str = "document",
    adjudicate: bool = False,
    codebook: Codebook | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a review workbook for the project's active segments; returns what was written.

    ``sources`` keeps only those interviews, ``only_proposed`` only segments where the machine
    applied at least one code, ``sample`` draws that many segments at random (``seed``).
    ``order="uncertain"`` puts first the segments whose review teaches most (uncertain or
    split proposals, codes the learner has few examples of); the default keeps document order.
    ``protect`` locks every cell but decisions, memo and reviewer name (Excel then refuses to
    sort, filters still work), so the default leaves the sheet unprotected and relies on the
    hidden key to detect edits. An existing file is copied to ``name.bak-<time>.xlsx`` first;
    a file open in Excel or LibreOffice is never overwritten (a dated name is used instead).

    ``adjudicate`` writes only the cells where reviewers disagree, with who said what: its
    decisions are stored as the adjudicator's (``reviewer``) and settle those cells. A
    reviewer's decisions whose words changed since (stale) come in a second sheet, old text
    beside new, to confirm or change.
    """
    cb = codebook or store.codebook()
    lang = cb.language if cb.language in ("fr", "en") else "en"
    yes, no = L.decision_values(lang)
    if sources is not None:
        unknown = sorted(set(sources) - set(store.source_shas()))
        if unknown:
            known = sorted(store.source_shas())
            raise ConfigError(f"interview(s) {', '.join(unknown)} not in the project {store.path}; known "
                              f"ids include {', '.join(known[:5])}{' ...' if len(known) > 5 else ''}")
    machine = store.machine_codings()
    if order not in ("document", "uncertain"):
        raise ConfigError(f"order {order!r} is not known; use 'document' or 'uncertain'")
    segs = _select(store.segments(sources), cb, machine, only_proposed, sample, seed)
    reviews: dict[str, dict[str, dict[str, tuple[bool, str]]]] = {}
    if adjudicate:
        for seg_id, code, who in store.disputes():
            reviews.setdefault(seg_id, {})[code] = who
        segs = [s for s in segs if s.id in reviews]
    if order == "uncertain":
        from ..coders.priority import store_priority

        prio = store_priority(store)
        segs = sorted(segs, key=lambda s: -prio.get(s.id, 0.0))  # stable: ties keep document order
    role = ADJUDICATOR if adjudicate else REVIEWER
    mine = _reviewer_decisions(store, reviewer, role) if reviewer else {}
    attrs = _attribute_keys(segs)
    cols = _columns(cb, attrs, lang, segs, adjudicate)
    if len(cols) > EXCEL_MAX_COLUMNS:  # Excel and Calc would drop the columns beyond
        raise ConfigError(
            f"the review workbook would need {len(cols):,} columns ({len(cb.ids):,} codes x 3, "
            f"{len(attrs)} attributes), more than the {EXCEL_MAX_COLUMNS:,} a spreadsheet holds; "
            f"review at most {(EXCEL_MAX_COLUMNS - len(cols) + 3 * len(cb.ids)) // 3:,} codes at "
            "a time: split the codebook into several files, or keep the child codes in another one")
    index = {c.key: j for j, c in enumerate(cols)}
    export_id = uuid.uuid4().hex[:12]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(tr("review.sheet", lang))
    _sheet_view(ws, cols, index)  # write-only: views and widths go out before the first row
    ws.append([cell(ws, tr("review.reviewer", lang), font=BOLD),
               _editable(ws, reviewer or None, fill=PatternFill("solid", fgColor="FFEB9C"))])
    ws.append([cell(ws, tr("review.instructions", lang, yes=yes, no=no), font=Font(italic=True, color="595959"))])
    ws.row_dimensions[L.HEADER_ROW].height = max(
        [rotated_header_height(c.header, HEAD_SIZE) for c in cols if c.code] +
        [row_height([(c.header, c.width)]) for c in cols if not c.code])
    ws.append([_header(ws, c, cb) for c in cols])
    sizing = [(index[k], cols[index[k]].width) for k in (L.TEXT, L.QUESTION)]

    mk = _cell_styles(ws)
    n, prefilled = len(segs), 0
    meta_rows: list[list[str]] = []
    for k, s in enumerate(segs):
        sha = text_sha(s.text)
        row, pre = _row(mk, s, sha, cols, cb, machine, mine, prefill, lang, reviews.get(s.id, {}))
        prefilled += len(pre)
        # spreadsheet programs do not grow rows on opening: size each to its answer and question,
        # capped; a text that needs more stays whole in a comment, and its cell is flagged
        height, _ = fit_height((row[j].value if row[j] is not None else None, w) for j, w in sizing)
        for key, full in ((L.TEXT, s.text), (L.QUESTION, s.question), (L.EVIDENCE, None)):
            c = row[index[key]]
            if c is None or not c.value:
                continue
            full = full or str(c.value)
            if full != c.value or row_height([(full, cols[index[key]].width)]) > height:
                c.comment = full_text_comment(full)
                if key == L.TEXT:
                    c.fill = LONG
        ws.row_dimensions[L.FIRST_ROW + k].height = height
        ws.append(row)
        meta_rows.append(["row", s.id, sha, ";".join(f"{c}={v}" for c, v in pre.items())])
        if progress and k % 2000 == 0:
            progress(k, n, "review")

    _finish_sheet(ws, cols, index, cb, n, lang, protect)
    stale_cols: list[L.Column] = []
    if reviewer and not adjudicate:
        stale = [d for d in store.stale_decisions() if d.coder == reviewer and d.role == REVIEWER
                 and (sources is None or d.source_id in sources)]
        if stale:
            stale_cols = _stale_sheet(wb, stale, cb, lang, meta_rows)
    _readme_sheet(wb, lang)
    _codebook_sheet(wb, cb, lang)
    meta = {"format": L.FORMAT, "format_version": L.FORMAT_VERSION, "project_id": store.project_id,
            "codebook_version": cb.version, "codebook_name": cb.name, "language": lang,
            "exported_at": datetime.now(timezone.utc).isoformat(), "export_id": export_id, "sheet": ws.title,
            "header_row": str(L.HEADER_ROW), "reviewer_cell": L.REVIEWER_CELL,
            "reviewer_label": tr("review.reviewer", lang),
            "reviewer_at_export": reviewer or "", "yes": yes, "no": no,
            "prefill": "machine" if prefill else ("reviewer" if reviewer else "none"),
            "rows": str(n), "role": role, "clear": L.clear_value(lang)}
    if stale_cols:
        meta["stale_sheet"] = tr("review.stale_sheet", lang)
    _meta_sheet(wb, meta, cols, meta_rows, stale_cols)

    dest = target_for(Path(path))
    saved_backup = backup(dest) if dest.exists() else None
    written = atomic_save(wb, dest)
    if progress:
        progress(n, n, "review")
    return ExportResult(path=written, rows=n, codes=len(cb.ids), prefilled=prefilled,
                        backup=saved_backup, export_id=export_id)


def _select(segs: list[Segment], cb: Codebook, machine: dict[tuple[str, str], Effective],
            only_proposed: bool, sample: int | None, seed: int) -> list[Segment]:
    if only_proposed:
        segs = [s for s in segs if any((e := machine.get((s.id, c))) and e.applied for c in cb.ids)]
    if sample is not None and sample < len(segs):
        keep = set(random.Random(seed).sample(range(len(segs)), sample))
        segs = [s for k, s in enumerate(segs) if k in keep]
    return segs


def _reviewer_decisions(store: Store, reviewer: str, role: str = REVIEWER
                        ) -> dict[tuple[str, str], tuple[bool, str]]:
    """The reviewer's current decisions and memos, to pre-fill a re-export."""
    return {(c.segment_id, c.code_id): (c.applied, c.memo or "")
            for c in store.human_codings(roles=(role,)) if c.coder == reviewer}


def _stale_sheet(wb: Workbook, stale: list[StaleDecision], cb: Codebook, lang: str,
                 meta_rows: list[list[str]]) -> list[L.Column]:
    """"À revoir": the reviewer's decisions whose words changed, old text beside the new one,
    the earlier decision pre-filled; a row counts only when its Confirm cell says yes."""
    yes, no = L.decision_values(lang)
    groups: dict[tuple[str, str], list[StaleDecision]] = {}
    for d in stale:
        target = d.candidate.id if d.candidate else ""
        groups.setdefault((target, d.segment_id), []).append(d)
    codes = [c for c in cb.ids if any(d.code_id == c for d in stale)]
    codes += sorted({d.code_id for d in stale} - set(codes))  # codes no longer in the codebook

    def col(key: str, width: float) -> L.Column:
        return L.Column(key, tr(f"review.{key}", lang), width)

    cols = [col(L.SEGMENT, 16), col(L.INTERVIEW, 14), col(L.OLD_TEXT, 50), col(L.NEW_TEXT, 50)]
    for c in codes:
        lab = cb.label(c, lang) if c in cb.ids else c
        cols += [L.Column(f"{L.BEFORE}:{c}", L.code_header(lab, c, L.BEFORE, lang), 10),
                 L.Column(f"{L.DECISION}:{c}", L.code_header(lab, c, L.DECISION, lang), 13)]
    cols += [col(L.MEMO, 30), col(L.CONFIRM, 12), col(L.KEY, 14)]
    ws = wb.create_sheet(tr("review.stale_sheet", lang))
    index = {c.key: j for j, c in enumerate(cols)}
    for j, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(j)].width = c.width
        if c.kind == L.KEY:
            ws.column_dimensions[get_column_letter(j)].hidden = True
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = row_height((c.header, c.width) for c in cols)
    ws.append([cell(ws, c.header, font=WHITE_BOLD, fill=HEAD_DARK, alignment=HEADER_ALIGN) for c in cols])
    mk = _cell_styles(ws)
    for k, ((target, _old_id), ds) in enumerate(groups.items()):
        cand = ds[0].candidate
        sha = text_sha(cand.text) if cand else ""
        row: list = [None] * len(cols)
        row[index[L.SEGMENT]] = mk(target or ds[0].segment_id, "id")
        row[index[L.INTERVIEW]] = mk(ds[0].source_id, "top")
        row[index[L.OLD_TEXT]] = mk(ds[0].old_text, "wrap")
        row[index[L.NEW_TEXT]] = mk(cand.text if cand else tr("review.gone", lang), "wrap")
        for d in ds:
            value = yes if d.applied else no
            row[index[f"{L.BEFORE}:{d.code_id}"]] = mk(value, "center")
            if cand:
                row[index[f"{L.DECISION}:{d.code_id}"]] = mk(value, "decision")
        memo = " | ".join(dict.fromkeys(d.memo for d in ds if d.memo))
        row[index[L.MEMO]] = mk(memo or None, "memo")
        row[index[L.CONFIRM]] = mk(None, "decision") if cand else None
        row[index[L.KEY]] = mk(L.row_key(target, sha) if cand else "", "id")
        ws.row_dimensions[k + 2].height = row_height(
            [(ds[0].old_text, 50), (cand.text if cand else "", 50)])
        ws.append(row)
        if cand:
            meta_rows.append(["stale", target, sha, ";".join(f"{d.code_id}={d.id}" for d in ds)])
    last = k + 2 if groups else 2
    dv = DataValidation(type="list", formula1=f'"{yes},{no},{L.clear_value(lang)}"', allow_blank=True)
    confirm = DataValidation(type="list", formula1=f'"{yes}"', allow_blank=True)
    for c in codes:
        letter = get_column_letter(index[f"{L.DECISION}:{c}"] + 1)
        dv.add(f"{letter}2:{letter}{last}")
    letter = get_column_letter(index[L.CONFIRM] + 1)
    confirm.add(f"{letter}2:{letter}{last}")
    ws.data_validations.append(dv)
    ws.data_validations.append(confirm)
    return cols


def _row_memo(seg_id: str, cb: Codebook, mine: dict[tuple[str, str], tuple[bool, str]]) -> str:
    """The memo of a row's earlier decisions (distinct memos joined, in code order)."""
    memos = [mine[(seg_id, c)][1] for c in cb.ids if (seg_id, c) in mine and mine[(seg_id, c)][1]]
    return " | ".join(dict.fromkeys(memos))


def _attribute_keys(segs: list[Segment]) -> list[str]:
    seen: dict[str, None] = {}
    for s in segs:
        for k in s.attributes:
            seen.setdefault(str(k), None)
    return (["role"] if "role" in seen else []) + [k for k in seen if k != "role"]


def _columns(cb: Codebook, attrs: list[str], lang: str, segs: Sequence[Segment] = (),
             adjudicate: bool = False) -> list[L.Column]:
    """Frozen context (segment, interview, role, question, answer), the memo beside the answer
    (and, to adjudicate, who decided what), then per code the machine's proposal (its evidence
    in a comment), confidence and decision side by side, all evidence, other attributes, key.

    Widths come from the content (ids, roles) and from the headers' longest words; each code's
    three columns have rotated headers, so seven codes fit on a screen beside the text."""
    def col(key: str, width: float) -> L.Column:
        return L.Column(key, tr(f"review.{key}", lang), max(width, header_width(tr(f"review.{key}", lang))))

    def fit(values: list[str], lo: float, hi: float) -> float:
        return max(lo, min(hi, max((len(v) for v in values), default=0) * 1.05 + 1.5))

    roles = [str(s.attributes.get("role", "")) for s in segs]
    cols = [col(L.SEGMENT, 8), col(L.INTERVIEW, fit([s.source_id for s in segs], 9, 20))]
    if "role" in attrs:
        name = attribute_label("role", lang)
        cols.append(L.Column("attr:role", name, max(header_width(name), fit(roles, 6, 12))))
    # the question, then the answer, then the reviewer's memo beside it; the codes after
    cols += [col(L.QUESTION, 26), col(L.TEXT, 52), col(L.MEMO, 26)]
    if adjudicate:
        cols.append(col(L.REVIEWS, 40))
    for c in cb.ids:
        lab = cb.label(c, lang)
        for kind, minimum in ((L.MACHINE, 5.0), (L.CONF, 5.5), (L.DECISION, 8.0)):
            header = wrap_words(L.code_header(lab, c, kind, lang), 20)  # breaks at spaces only
            cols.append(L.Column(f"{kind}:{c}", header, max(minimum, rotated_header_width(header, HEAD_SIZE))))
    cols.append(col(L.EVIDENCE, 32))  # all codes' evidence in one place, also on each proposal
    cols += [L.Column(f"attr:{a}", attribute_label(a, lang), header_width(attribute_label(a, lang), 12))
             for a in attrs if a != "role"]
    cols += [col(L.SPEAKER, 12), col(L.TIMESTAMP, 11), col(L.KEY, 14)]
    # a participants column named like one of ours ("Texte", "Segment") must not be taken for it
    taken = {L.norm_header(c.header) for c in cols if c.kind != L.ATTR}
    return [L.Column(c.key, f"{c.header} (participant)", c.width)
            if c.kind == L.ATTR and L.norm_header(c.header) in taken else c for c in cols]


def _header(ws, c: L.Column, cb: Codebook):
    """Ids in grey; each code's three columns rotated, in one shade per code (alternating) so
    that they read as a group; decisions dark. Never the code's colour: orange and green mean
    disagreement and agreement in the decision cells."""
    fill, font, align = HEAD_DARK, WHITE_BOLD, HEADER_ALIGN
    if c.kind in (L.SEGMENT, L.KEY):
        fill = HEAD_GREY
    elif c.kind in (L.MACHINE, L.CONF, L.DECISION):
        align, font = ROTATED, SMALL_WHITE_BOLD
        odd = cb.ids.index(c.code) % 2
        fill = HEAD_DARK if c.kind == L.DECISION else (HEAD_CODE_A if odd else HEAD_CODE_B)
    return cell(ws, c.header, font=font, fill=fill, alignment=align)


def _editable(ws, value, fill: PatternFill = EDIT):
    c = cell(ws, value, fill=fill, alignment=TOP)
    c.protection = UNLOCKED
    return c


def _cell_styles(ws) -> _Cells:
    mk = _Cells(ws)
    mk.define("id", fill=GREY, alignment=TOP)
    mk.define("top", alignment=TOP)
    mk.define("wrap", alignment=WRAP)
    mk.define("question", alignment=WRAP, font=Font(italic=True, color="595959"))
    mk.define("center", alignment=CENTER)
    mk.define("conf", alignment=CENTER, number_format="0.00")
    mk.define("decision", fill=EDIT, alignment=CENTER, locked=False)
    mk.define("memo", fill=EDIT, alignment=WRAP, locked=False)
    return mk


def _row(mk: _Cells, s: Segment, sha: str, cols: list[L.Column], cb: Codebook,
         machine: dict[tuple[str, str], Effective], mine: dict[tuple[str, str], tuple[bool, str]],
         prefill: bool, lang: str, reviews: dict[str, dict[str, tuple[bool, str]]] | None = None
         ) -> tuple[list, dict[str, str]]:
    yes, no = L.decision_values(lang)
    pre: dict[str, str] = {}
    out: list = []
    for c in cols:
        kind, code = c.kind, c.code
        if kind == L.SEGMENT:
            out.append(mk(s.id, "id"))
        elif kind == L.KEY:
            out.append(mk(L.row_key(s.id, sha), "id"))
        elif kind == L.INTERVIEW:
            out.append(mk(s.source_id, "top"))
        elif kind == L.TEXT:
            out.append(mk(s.text, "wrap"))
        elif kind == L.QUESTION:
            out.append(mk(question_tail(s.question, QUESTION_CHARS), "question") if s.question else None)
        elif kind == L.EVIDENCE:
            ev = _evidence(s.id, cb, machine, lang)
            out.append(mk(ev, "wrap") if ev else None)
        elif kind == L.REVIEWS:
            lines = [f"{cb.label(code, lang)}: " + " · ".join(
                f"{who} {yes if v else no}" + (f" ({m})" if m else "") for who, (v, m) in sorted(by.items()))
                for code, by in (reviews or {}).items()]
            out.append(mk("\n".join(lines), "wrap") if lines else None)
        elif kind == L.MACHINE:
            e = machine.get((s.id, code))
            c = mk(yes if e.applied else no, "center") if e else None
            if c is not None and e.evidence:  # the proposal's evidence, beside its decision
                c.comment = full_text_comment(evidence_text("; ".join(e.evidence), lang))
            out.append(c)
        elif kind == L.CONF:
            e = machine.get((s.id, code))
            conf = e.confidence if e and e.confidence is not None else None
            out.append(mk(round(conf, 3), "conf") if conf is not None else None)
        elif kind == L.DECISION:
            value = None
            if (s.id, code) in mine:
                value = yes if mine[(s.id, code)][0] else no
            elif prefill:
                e = machine.get((s.id, code))
                value = yes if e and e.applied else no
            if value is not None:
                pre[code] = value
            out.append(mk(value, "decision"))
        elif kind == L.MEMO:
            out.append(mk(_row_memo(s.id, cb, mine) or None, "memo"))
        else:
            v = {L.SPEAKER: s.speaker, L.TIMESTAMP: s.timestamp}.get(kind) if kind != "attr" \
                else s.attributes.get(code)
            out.append(mk(str(v), "top") if v is not None and v != "" else None)
    return out, pre


def _evidence(seg_id: str, cb: Codebook, machine: dict[tuple[str, str], Effective], lang: str) -> str:
    """Why the machine proposed each code, one line a code, in the workbook's language."""
    sep = tr("punct.colon", lang)
    parts = []
    for c in cb.ids:
        e = machine.get((seg_id, c))
        if e and e.evidence:
            txt = f"{cb.label(c, lang)}{sep}{evidence_text('; '.join(e.evidence), lang)}"
            parts.append(txt if e.applied else f"({txt} — {tr('review.below', lang)})")
    return "\n".join(parts)


def _sheet_view(ws, cols: list[L.Column], index: dict[str, int]) -> None:
    for j, c in enumerate(cols, start=1):
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = c.width
        if c.kind == L.KEY:
            dim.hidden = True
    frozen = index[L.TEXT] + 1  # segment, interview, role, question and answer stay in view
    ws.freeze_panes = f"{get_column_letter(frozen + 1)}{L.FIRST_ROW}"
    print_setup(ws, widths=[0 if c.kind == L.KEY else c.width for c in cols],
                title_cols=f"A:{get_column_letter(frozen)}")  # several pages across, context repeated
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"


def _finish_sheet(ws, cols: list[L.Column], index: dict[str, int], cb: Codebook, n: int,
                  lang: str, protect: bool) -> None:
    yes, no = L.decision_values(lang)
    first, last = L.FIRST_ROW, L.FIRST_ROW + max(n, 1) - 1
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{get_column_letter(len(cols))}{last}"

    dv = DataValidation(type="list", formula1=f'"{yes},{no},{L.clear_value(lang)}"', allow_blank=True,
                        showErrorMessage=True, showInputMessage=True,
                        errorTitle=tr("review.dv_title", lang), error=tr("review.dv_error", lang, yes=yes, no=no),
                        promptTitle=tr("review.dv_title", lang), prompt=tr("review.dv_prompt", lang, yes=yes, no=no))
    for c in cb.ids:
        d = get_column_letter(index[f"{L.DECISION}:{c}"] + 1)
        m = get_column_letter(index[f"{L.MACHINE}:{c}"] + 1)
        dv.add(f"{d}{first}:{d}{last}")
        tint = PatternFill("solid", fgColor=_tint(cb.code(c).color))
        ws.conditional_formatting.add(f"{m}{first}:{m}{last}", FormulaRule(
            formula=[f'${m}{first}="{yes}"'], fill=tint, font=BOLD))
        val = f"LOWER(TRIM(${d}{first}))"
        ws.conditional_formatting.add(f"{d}{first}:{d}{last}", FormulaRule(
            formula=[f'AND({val}<>"",{val}<>"{yes}",{val}<>"{no}",{val}<>"{L.clear_value(lang)}")'],
            fill=INVALID, stopIfTrue=True))
        ws.conditional_formatting.add(f"{d}{first}:{d}{last}", FormulaRule(
            formula=[f'AND({val}<>"",({val}="{yes}")<>(${m}{first}="{yes}"))'], fill=DISAGREE,
            font=BOLD))
        ws.conditional_formatting.add(f"{d}{first}:{d}{last}", FormulaRule(
            formula=[f'AND({val}<>"",({val}="{yes}")=(${m}{first}="{yes}"))'], fill=AGREE))
    ws.data_validations.append(dv)
    if protect:
        p = ws.protection
        p.sheet = True
        p.sort = p.autoFilter = p.formatCells = p.formatColumns = p.formatRows = False


def _readme_sheet(wb: Workbook, lang: str) -> None:
    ws = wb.create_sheet(tr("review.readme", lang))
    ws.column_dimensions["A"].width = 120
    lines = L.readme_lines(lang)
    ws.append([cell(ws, lines[0], font=Font(bold=True, size=14, color="1F3864"))])
    for line in lines[1:]:
        ws.append([cell(ws, line, alignment=WRAP)])


def _codebook_sheet(wb: Workbook, cb: Codebook, lang: str) -> None:
    ws = wb.create_sheet(tr("review.codebook", lang))
    for letter, w in zip("ABCDEF", (18, 28, 60, 45, 45, 50)):
        ws.column_dimensions[letter].width = w
    ws.freeze_panes = "C2"
    keys = ["id", "label", "definition", "include", "exclude", "examples"]
    ws.append([cell(ws, tr(f"review.{k}", lang), font=WHITE_BOLD, fill=HEAD_DARK, alignment=HEADER_ALIGN)
               for k in keys])
    for c in cb.codes:
        ws.append([cell(ws, c.id, alignment=TOP), cell(ws, c.text("label", lang), alignment=WRAP),
                   cell(ws, c.text("definition", lang), alignment=WRAP),
                   cell(ws, "\n".join(c.text("include", lang)), alignment=WRAP),
                   cell(ws, "\n".join(c.text("exclude", lang)), alignment=WRAP),
                   cell(ws, "\n".join(c.text("examples", lang)[:5]), alignment=WRAP)])


def _meta_sheet(wb: Workbook, meta: dict[str, str], cols: list[L.Column], rows: list[list[str]],
                stale_cols: list[L.Column] = ()) -> None:
    """Hidden from the user (veryHidden): what import needs to check the workbook."""
    ws = wb.create_sheet(L.META_SHEET)
    ws.sheet_state = "veryHidden"
    ws.append([cell(ws, "qualcode review workbook: do not edit this sheet")])
    for k, v in meta.items():
        ws.append([cell(ws, "meta"), cell(ws, k), cell(ws, v)])
    for c in cols:
        ws.append([cell(ws, "column"), cell(ws, c.key), cell(ws, L.norm_header(c.header))])
    for c in stale_cols:
        ws.append([cell(ws, "stale_column"), cell(ws, c.key), cell(ws, L.norm_header(c.header))])
    mk = _Cells(ws)
    for r in rows:
        ws.append([mk(v) if v else None for v in r])


class _Cells:
    """Fast safe cells for big sheets: one style template per look, copied by index.

    Setting fonts and fills cell by cell hashes style objects each time (most of the export
    time on 10k+ rows); copying a template's style array is cheap. Strings always stay text.
    """

    def __init__(self, ws):
        self.ws = ws
        self.styles: dict[str, object] = {}

    def define(self, name: str, *, locked: bool = True, **kw) -> None:
        c = cell(self.ws, None, **kw)
        if not locked:
            c.protection = UNLOCKED
        self.styles[name] = c._style

    def __call__(self, value, style: str | None = None) -> Cell:
        c = Cell(self.ws, row=1, column=1, style_array=self.styles[style] if style else None)
        if isinstance(value, str):
            c._value = clean(value)
            c.data_type = "s"
        elif value is not None:
            c.value = value
        return c


def _tint(hex_color: str, amount: float = 0.65) -> str:
    h = hex_color.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{int(c + (255 - c) * amount):02X}" for c in rgb)
