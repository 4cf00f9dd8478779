"""Read and validate one review workbook, without touching the project.

Everything that could go wrong is collected as a problem naming the sheet and cell, so that
the reviewer can fix every one in a single pass; nothing is applied unless there are none.
Columns are located by header text and rows by segment id, so sorting, filtering, hiding and
moving columns are all fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._i18n import Message
from .._xlsx import clean
from . import _layout as L

_CODE_HEADER_RE = re.compile(r"\[([A-Za-z][A-Za-z0-9_.-]*)\]\s+(\S+)$")
_MAX_HEADER_SCAN = 20


@dataclass
class Decision:
    """One filled decision cell, bound to the words the row was exported with (``sha``)."""

    segment_id: str
    code_id: str
    applied: bool | None  # None: withdraw the reviewer's earlier decision
    memo: str
    address: str  # e.g. "Review!K12"
    sha: str = ""
    replaces: tuple[int, ...] = ()  # stale decisions this one confirms or changes


@dataclass
class ProjectView:
    """What validation needs from the project (read once, shared by every file)."""

    project_id: str
    segment_shas: dict[str, str]  # active segments
    texts: dict[str, str]  # active segment texts
    codes: list[str]  # the current codebook's code ids
    codebook_version: str
    machine_coders: set[str]
    known: set[tuple[str, str]] = field(default_factory=set)  # (segment id, sha) of every version
    active_shas: set[str] = field(default_factory=set)


@dataclass
class ReviewFile:
    """A parsed review workbook: decisions if valid, else problems (and non-blocking warnings)."""

    path: Path
    reviewer: str = ""
    export_id: str = ""
    exported_at: str = ""
    exported_for: str = ""  # the reviewer the workbook was exported for ("" = anyone)
    role: str = "reviewer"  # "adjudicator" for a workbook of disputed cells
    codebook_version: str = ""
    decisions: list[Decision] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # segment rows read
    stale_columns: dict[str, str] = field(default_factory=dict)  # "À revoir" sheet: key -> header
    stale_rows_meta: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)
    moved_rows: int = 0  # rows whose words moved to another segment id since the export
    stale_rows: int = 0  # rows whose words are no longer in the transcript
    unconfirmed: int = 0  # "À revoir" rows left unconfirmed (their earlier decisions stay stale)
    language: str = "en"  # the workbook's language (names its sheets in warnings)


def read_review_file(path: str | Path, project: ProjectView, reviewer: str | None = None) -> ReviewFile:
    """Parse and validate ``path`` against the project; never raises for content problems."""
    rf = ReviewFile(path=Path(path))
    wb = _open(rf)
    if wb is None:
        return rf
    try:
        meta, colmap, exported = _read_meta(wb, rf)
        if meta is None:
            return rf
        rf.language = meta.get("language", "en") or "en"
        _check_meta(meta, project, rf)
        if rf.problems:
            return rf
        sheet = meta.get("sheet", "")
        if sheet not in wb.sheetnames:
            visible = [n for n in wb.sheetnames if n != L.META_SHEET]
            rf.problems.append(Message("msg.review.sheet_missing", sheet=sheet, visible=", ".join(map(repr, visible))))
            return rf
        ws = wb[sheet]
        _read_sheet(ws, sheet, meta, colmap, exported, project, reviewer, rf)
        stale_sheet = meta.get("stale_sheet")
        if stale_sheet and stale_sheet in wb.sheetnames and not rf.problems:
            _read_stale_sheet(wb[stale_sheet], stale_sheet, meta, project, rf)
    finally:
        wb.close()
    return rf


def _open(rf: ReviewFile) -> Any:
    from openpyxl import load_workbook

    if not rf.path.exists():
        rf.problems.append(Message("msg.review.not_found"))
        return None
    ext = rf.path.suffix.lower()
    if ext in (".ods", ".xls", ".csv", ".numbers"):
        rf.problems.append(Message("msg.review.not_xlsx", ext=ext))
        return None
    try:
        return load_workbook(rf.path, read_only=True, data_only=False)
    except Exception as exc:  # BadZipFile, InvalidFileException, zlib/XML errors of a damaged file
        rf.problems.append(Message("msg.review.unreadable", error=f"{type(exc).__name__}: {exc}"))
        return None


def _read_meta(wb: Any, rf: ReviewFile) -> tuple[dict[str, str] | None, dict[str, str], dict[str, tuple[str, dict[str, str]]]]:
    """The ``_meta`` sheet: settings, column headers, and the rows as exported."""
    if L.META_SHEET not in wb.sheetnames:
        rf.problems.append(Message("msg.review.no_meta", sheet=L.META_SHEET))
        return None, {}, {}
    meta: dict[str, str] = {}
    colmap: dict[str, str] = {}
    exported: dict[str, tuple[str, dict[str, str]]] = {}
    for row in wb[L.META_SHEET].iter_rows(values_only=True):
        kind = row[0] if row else None
        vals = ["" if v is None else str(v) for v in row[1:4]] + [""] * 3
        if kind == "meta":
            meta[vals[0]] = vals[1]
        elif kind == "column":
            colmap[vals[0]] = vals[1]
        elif kind == "row":
            pre = dict(p.split("=", 1) for p in vals[2].split(";") if "=" in p)
            exported[vals[0]] = (vals[1], pre)
        elif kind == "stale_column":
            rf.stale_columns[vals[0]] = vals[1]
        elif kind == "stale":
            ids = dict(p.split("=", 1) for p in vals[2].split(";") if "=" in p)
            rf.stale_rows_meta[vals[0]] = (vals[1], {c: int(i) for c, i in ids.items()})
    if meta.get("format") != L.FORMAT:
        rf.problems.append(Message("msg.review.bad_format", sheet=L.META_SHEET, format=meta.get("format")))
        return None, {}, {}
    return meta, colmap, exported


def _check_meta(meta: dict[str, str], project: ProjectView, rf: ReviewFile) -> None:
    if meta.get("format_version") != L.FORMAT_VERSION:
        rf.problems.append(Message("msg.review.bad_format_version", sheet=L.META_SHEET,
                                   version=meta.get("format_version"), supported=L.FORMAT_VERSION))
    if meta.get("project_id") != project.project_id:
        rf.problems.append(Message("msg.review.other_project", other=meta.get("project_id"), this=project.project_id))
    rf.export_id = meta.get("export_id", "")
    rf.exported_at = meta.get("exported_at", "")
    rf.exported_for = meta.get("reviewer_at_export", "")
    rf.role = meta.get("role", "reviewer") or "reviewer"
    rf.codebook_version = meta.get("codebook_version", "")
    if rf.codebook_version and rf.codebook_version != project.codebook_version:
        rf.warnings.append(Message("msg.review.codebook_version", old=rf.codebook_version,
                                   new=project.codebook_version))


def _find_header(ws: Any, wanted: dict[str, str]) -> tuple[int, dict[str, int], list[Any]]:
    """The header row (first of the top rows naming the segment column) and key -> column."""
    by_text = {h: k for k, h in wanted.items()}
    seg_header = wanted.get(L.SEGMENT, "")
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=_MAX_HEADER_SCAN, values_only=True), start=1):
        texts = [L.norm_header(v) for v in row]
        if seg_header and seg_header in texts:
            cols: dict[str, int] = {}
            for j, tx in enumerate(texts):
                key = by_text.get(tx)
                if key is not None:
                    cols.setdefault(key, j)
            return r, cols, list(row)
    return 0, {}, []


def _read_sheet(ws: Any, sheet: str, meta: dict[str, str], colmap: dict[str, str],
                exported: dict[str, tuple[str, dict[str, str]]], project: ProjectView,
                reviewer: str | None, rf: ReviewFile) -> None:
    from openpyxl.utils import get_column_letter

    def addr(row: int, col: int) -> str:
        return f"{sheet}!{get_column_letter(col + 1)}{row}"

    yes, no = meta.get("yes", "yes"), meta.get("no", "no")
    clear = meta.get("clear", L.clear_value(meta.get("language", "en")))
    values: dict[str, bool | None] = {yes.casefold(): True, no.casefold(): False, clear.casefold(): None}
    header_row, cols, header_cells = _find_header(ws, colmap)
    if not header_row:
        rf.problems.append(Message("msg.review.no_header", sheet=sheet, column=colmap.get(L.SEGMENT, "Segment"),
                                   n=_MAX_HEADER_SCAN, row=meta.get("header_row")))
        return
    _check_columns(sheet, header_row, header_cells, cols, colmap, project, rf)
    _read_reviewer(ws, sheet, header_row, meta, project, reviewer, rf)
    if rf.problems and (L.SEGMENT not in cols or L.KEY not in cols):
        return

    seg_col, key_col = cols[L.SEGMENT], cols[L.KEY]
    text_col, memo_col = cols.get(L.TEXT), cols.get(L.MEMO)
    dec_cols = sorted(((k.split(":", 1)[1], j) for k, j in cols.items() if k.startswith(L.DECISION + ":")),
                      key=lambda x: x[1])
    known_codes = set(project.codes)
    seen: dict[str, int] = {}
    by_key = {L.row_key(s, sha): s for s, (sha, _) in exported.items()}  # hidden key -> exported id
    ncols = max(cols.values()) + 1
    for r, row in enumerate(ws.iter_rows(min_row=header_row + 1), start=header_row + 1):
        row = list(row) + [None] * (ncols - len(row))
        cells = {j: row[j] for j in (seg_col, key_col, *(j for _, j in dec_cols),
                                     *((memo_col,) if memo_col is not None else ()))}
        formulas = [j for j, c in cells.items() if c is not None and getattr(c, "data_type", None) == "f"]
        for j in formulas:
            rf.problems.append(Message("msg.review.formula", cell=addr(r, j), value=_show(row[j].value)))
        seg_id = _text(row[seg_col])
        key = _text(row[key_col])
        memo = clean(_text(row[memo_col])) if memo_col is not None else ""
        decided: list[tuple[str, bool | None, int]] = []
        for code, j in dec_cols:
            if j in formulas:
                continue
            raw = row[j].value if row[j] is not None else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            folded = str(raw).strip().casefold() if isinstance(raw, str) else None
            if folded not in values:
                rf.problems.append(Message("msg.review.bad_decision", cell=addr(r, j), value=_show(raw), code=code,
                                           yes=yes, no=no, clear=clear))
                continue
            v = values[folded]
            if code not in known_codes:
                rf.problems.append(Message("msg.review.unknown_code", cell=addr(r, j), code=code,
                                           version=project.codebook_version))
                continue
            decided.append((code, v, j))
        typed = any(_text(row[j]) for _, j in dec_cols)
        has_input = typed or bool(memo)
        if not seg_id and not key:
            if has_input:
                rf.problems.append(Message("msg.review.row_without_segment", cell=addr(r, seg_col)))
            continue
        rf.rows += 1
        if not _check_identity(r, seg_id, key, seg_col, key_col, text_col, row, exported, by_key,
                               project, seen, has_input, addr, rf):
            continue
        if memo and not typed:
            rf.problems.append(Message("msg.review.memo_alone", cell=addr(r, memo_col), segment=seg_id, yes=yes,
                                       no=no))
        for code, v, j in decided:
            rf.decisions.append(Decision(seg_id, code, v, memo, addr(r, j), exported[seg_id][0]))
        _check_cleared(r, seg_id, exported, dec_cols, row, yes, no, clear, addr, rf)
    missing = len(set(exported) - set(seen))
    if missing:
        rf.warnings.append(Message("msg.review.rows_deleted", sheet=sheet, missing=missing, total=len(exported)))


def _read_stale_sheet(ws: Any, sheet: str, meta: dict[str, str], project: ProjectView,
                      rf: ReviewFile) -> None:
    """The "À revoir" sheet: confirmed rows become decisions on the new words, replacing the
    stale ones; unconfirmed rows change nothing (their decisions stay stale, listed)."""
    from openpyxl.utils import get_column_letter

    yes, no = meta.get("yes", "yes"), meta.get("no", "no")
    clear = meta.get("clear", "clear")
    values: dict[str, bool | None] = {yes.casefold(): True, no.casefold(): False, clear.casefold(): None}
    header_row, cols, _ = _find_header(ws, rf.stale_columns)
    if not header_row or L.CONFIRM not in cols or L.SEGMENT not in cols or L.KEY not in cols:
        rf.problems.append(Message("msg.review.stale_header", sheet=sheet))
        return
    dec_cols = [(k.split(":", 1)[1], j) for k, j in cols.items() if k.startswith(L.DECISION + ":")]
    memo_col = cols.get(L.MEMO)
    ncols = max(cols.values()) + 1
    for r, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        row = list(row) + [None] * (ncols - len(row))
        seg_id = str(row[cols[L.SEGMENT]] or "").strip()
        if seg_id not in rf.stale_rows_meta:
            continue  # a passage no longer in the transcript: nothing to confirm
        sha, stale_ids = rf.stale_rows_meta[seg_id]
        if str(row[cols[L.KEY]] or "").strip() != L.row_key(seg_id, sha):
            rf.problems.append(Message("msg.review.stale_key_edited",
                                       cell=f"{sheet}!{get_column_letter(cols[L.SEGMENT] + 1)}{r}"))
            continue
        confirm = str(row[cols[L.CONFIRM]] or "").strip().casefold()
        if confirm != yes.casefold():
            if confirm:
                rf.problems.append(Message("msg.review.bad_confirm", cell=f"{sheet}!{get_column_letter(cols[L.CONFIRM] + 1)}{r}",
                                           value=_show(confirm), yes=yes))
            rf.unconfirmed += 1
            continue
        memo = clean(str(row[memo_col] or "").strip()) if memo_col is not None else ""
        for code, j in dec_cols:
            raw = row[j]
            where = f"{sheet}!{get_column_letter(j + 1)}{r}"
            if raw is None or not str(raw).strip():
                continue
            folded = str(raw).strip().casefold()
            if folded not in values:
                rf.problems.append(Message("msg.review.bad_stale_decision", cell=where, value=_show(raw), code=code,
                                           yes=yes, no=no, clear=clear))
                continue
            if code not in project.codes and values[folded] is not None:
                rf.problems.append(Message("msg.review.stale_code_gone", cell=where, code=code, clear=clear))
                continue
            old = (stale_ids[code],) if code in stale_ids else ()
            rf.decisions.append(Decision(seg_id, code, values[folded], memo, where, sha, old))


def _check_columns(sheet: str, header_row: int, header_cells: list[Any], cols: dict[str, int],
                   colmap: dict[str, str], project: ProjectView, rf: ReviewFile) -> None:
    from openpyxl.utils import get_column_letter

    for key in colmap:
        required = key in (L.SEGMENT, L.KEY) or key.startswith(L.DECISION + ":")
        if required and key not in cols:
            what = (Message("msg.review.what.decision_column", code=key.split(":", 1)[1]) if ":" in key
                    else Message("msg.review.what.column", name=key))
            rf.problems.append(Message("msg.review.column_missing", sheet=sheet, row=header_row, what=what,
                                       header=colmap[key]))
    seen: dict[str, str] = {}
    for j, v in enumerate(header_cells):
        text = L.norm_header(v)
        where = f"{sheet}!{get_column_letter(j + 1)}{header_row}"
        key = next((k for k, h in colmap.items() if h == text), None)
        if key is not None:
            if key in seen:
                rf.problems.append(Message("msg.review.duplicate_column", cell=where, header=text, other=seen[key]))
            seen[key] = where
            continue
        m = _CODE_HEADER_RE.search(text)
        if m and m.group(1) not in project.codes:
            rf.problems.append(Message("msg.review.unknown_column", cell=where, header=text, code=m.group(1),
                                       codes=", ".join(project.codes)))


def _read_reviewer(ws: Any, sheet: str, header_row: int, meta: dict[str, str], project: ProjectView,
                   override: str | None, rf: ReviewFile) -> None:
    """The name typed right of the "Reviewer" label above the header (found even if moved)."""
    from openpyxl.utils import get_column_letter

    ref = meta.get("reviewer_cell", L.REVIEWER_CELL)
    wanted = L.norm_header(meta.get("reviewer_label", ""))
    value = None
    rows = ws.iter_rows(min_row=1, max_row=max(header_row - 1, 1), values_only=True)
    for r, row in enumerate(rows, start=1):
        texts = [L.norm_header(v) for v in row]
        if wanted and wanted in texts:
            j = texts.index(wanted) + 1
            ref = f"{get_column_letter(j + 1)}{r}"
            value = row[j] if j < len(row) else None
            break
    name = " ".join(str(override).split()) if override else " ".join(str(value or "").split())
    if not name:
        rf.problems.append(Message("msg.review.no_reviewer", cell=f"{sheet}!{ref}"))
        return
    if name.startswith("="):
        rf.problems.append(Message("msg.review.reviewer_formula", cell=f"{sheet}!{ref}", value=_show(name)))
        return
    if name in project.machine_coders:
        rf.problems.append(Message("msg.review.reviewer_is_machine", cell=f"{sheet}!{ref}", name=name))
        return
    exported_for = meta.get("reviewer_at_export", "")
    if exported_for and exported_for != name:
        rf.problems.append(Message("msg.review.other_reviewer", cell=f"{sheet}!{ref}", exported_for=exported_for,
                                   name=name))
        return
    rf.reviewer = name


def _check_identity(r: int, seg_id: str, key: str, seg_col: int, key_col: int, text_col: int | None,
                    row: list[Any], exported: dict[str, tuple[str, dict[str, str]]],
                    by_key: dict[str, str], project: ProjectView, seen: dict[str, int],
                    has_input: bool, addr: Any, rf: ReviewFile) -> bool:
    """Is this row's identity intact and still valid in the project? Records problems."""
    if seg_id not in exported:
        orig = by_key.get(key)
        hint = Message("msg.review.hint_put_back", orig=orig) if orig else Message("msg.review.hint_undo")
        rf.problems.append(Message("msg.review.id_edited", cell=addr(r, seg_col), segment=_show(seg_id), hint=hint)
                           if seg_id else Message("msg.review.id_deleted", cell=addr(r, seg_col), hint=hint))
        return False
    sha = exported[seg_id][0]
    if key != L.row_key(seg_id, sha):
        orig = by_key.get(key)
        if orig and orig != seg_id:
            rf.problems.append(Message("msg.review.id_changed", cell=addr(r, seg_col), segment=seg_id, orig=orig,
                                       key_cell=addr(r, key_col)))
        else:
            rf.problems.append(Message("msg.review.key_edited", cell=addr(r, key_col), segment=seg_id,
                                       value=_show(key) if key else Message("msg.review.empty")))
        return False
    if seg_id in seen:
        rf.problems.append(Message("msg.review.segment_twice", cell=addr(r, seg_col), segment=seg_id,
                                   other=seen[seg_id]))
        return False
    seen[seg_id] = r
    if text_col is not None and row[text_col] is not None:
        current = L.norm_text(row[text_col].value)
        if seg_id in project.texts and current != L.norm_text(clean(project.texts[seg_id])) \
                and project.segment_shas.get(seg_id) == sha:
            rf.problems.append(Message("msg.review.text_edited", cell=addr(r, text_col), segment=seg_id))
            return False
    if project.segment_shas.get(seg_id) != sha and (seg_id, sha) not in project.known:
        if has_input:
            rf.problems.append(Message("msg.review.unknown_segment", cell=addr(r, seg_col), segment=seg_id))
        return False
    if project.segment_shas.get(seg_id) != sha and has_input:
        if sha in project.active_shas:
            rf.moved_rows += 1
        else:
            rf.stale_rows += 1
    return True


def _check_cleared(r: int, seg_id: str, exported: dict[str, tuple[str, dict[str, str]]],
                   dec_cols: list[tuple[str, int]], row: list[Any], yes: str, no: str, clear: str,
                   addr: Any, rf: ReviewFile) -> None:
    pre = exported[seg_id][1]
    for code, j in dec_cols:
        if code in pre and not _text(row[j]):
            rf.warnings.append(Message("msg.review.emptied", cell=addr(r, j), value=pre[code], code=code,
                                       clear=clear, other=no if pre[code] == yes else yes))


def _text(c: Any) -> str:
    if c is None:
        return ""
    v = c.value
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _show(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."
