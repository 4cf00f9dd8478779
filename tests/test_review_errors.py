"""The catalogue of bad edits: each is reported with its sheet and cell, its message pinned,
and nothing at all is stored when anything is wrong.

Layout of the base workbook (mini codebook): A Segment, B Interview, C role, D Text,
E Question, F Evidence, G-I JOBS (machine, confidence, DECISION), J-L DATA, M-O DATA_LEAK,
P memo, Q site, R Speaker, S Timestamp, T Key (hidden). Rows 4-23 hold segments int000#1,
int000#3, ... int003#9. Valid decisions are typed in I4 (yes), L5 (no), O6 (yes) + memo F6.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode import ReviewImportError, Store, parse_codebook, segment_source
from qualcode.review import import_reviews
from test_review_support import MINI, build_project, export

FIX = "restore it (headers must stay as exported)"
NOT_DECISION = ("choose yes or no from the dropdown, clear to withdraw your earlier decision, or leave "
                "the cell empty (not reviewed)")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("base")
    db = build_project(d / "q.db", n_sources=4, answers=5)
    path = export(db, d / "review.xlsx", reviewer="Marie").path
    wb = load_workbook(path)
    ws = wb["Review"]
    ws["I4"], ws["L5"], ws["O6"], ws["F6"] = "yes", "no", "yes", "ok"
    wb.save(path)
    return db, path


@pytest.fixture
def case(base, tmp_path) -> tuple[Path, Path]:
    db, path = base
    shutil.copy(db, tmp_path / "q.db")
    shutil.copy(path, tmp_path / "review.xlsx")
    return tmp_path / "q.db", tmp_path / "review.xlsx"


def edit(path: Path, fn: Callable) -> None:
    wb = load_workbook(path)
    fn(wb, wb["Review"] if "Review" in wb.sheetnames else None)
    wb.save(path)


def problems(db: Path, *paths: Path, **kw) -> list[str]:
    with Store(db) as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, list(paths), **kw)
    with Store(db) as st:
        assert st.human_codings(include_superseded=True) == []  # nothing was applied
    return err.value.problems


def test_base_workbook_is_valid(case):
    db, path = case
    with Store(db) as st:
        assert import_reviews(st, [path]).stored == 3


def set_cells(**cells: object) -> Callable:
    def fn(wb, ws):
        for ref, v in cells.items():
            ws[ref] = v
    return fn


SIMPLE: dict[str, tuple[Callable, list[str]]] = {
    "value not in the dropdown": (set_cells(L7="maybe"), [
        f"Review!L7: 'maybe' is not a decision for DATA; {NOT_DECISION}"]),
    "a number instead of yes/no": (set_cells(I8=1), [
        f"Review!I8: 1 is not a decision for JOBS; {NOT_DECISION}"]),
    "a tick mark": (set_cells(O9="✓"), [
        f"Review!O9: '✓' is not a decision for DATA_LEAK; {NOT_DECISION}"]),
    "yes in the other language": (set_cells(I10="oui"), [
        f"Review!I10: 'oui' is not a decision for JOBS; {NOT_DECISION}"]),
    "formula in a decision cell": (set_cells(I7="=G7"), [
        "Review!I7: holds a formula ('=G7'); type plain text (start it with an apostrophe ' if it "
        "begins with =, + or -)"]),
    "formula in the memo": (set_cells(F6="=A1&B1"), [
        "Review!F6: holds a formula ('=A1&B1'); type plain text (start it with an apostrophe ' if it "
        "begins with =, + or -)"]),
    "segment id edited": (set_cells(A4="int000#99"), [
        "Review!A4: segment id 'int000#99' was edited; it is not a segment of this workbook; this row "
        "was exported as 'int000#1' (from its hidden key): put that id back"]),
    "segment id deleted": (set_cells(A5=None), [
        "Review!A5: the segment id was deleted; this row was exported as 'int000#3' (from its hidden "
        "key): put that id back"]),
    "segment ids swapped": (set_cells(A4="int000#3", A5="int000#1"), [
        "Review!A4: segment id 'int000#3' was edited: this row was exported as 'int000#1' (from its "
        "hidden key at Review!T4); put 'int000#1' back",
        "Review!A5: segment id 'int000#1' was edited: this row was exported as 'int000#3' (from its "
        "hidden key at Review!T5); put 'int000#3' back"]),
    "hidden key edited": (set_cells(T5="abc"), [
        "Review!T5: the hidden key of segment int000#3 was edited ('abc'); undo the edit (it must "
        "stay as exported)"]),
    "text edited": (set_cells(E5="I fixed a typo"), [
        "Review!E5: the text of segment int000#3 was edited; the review workbook cannot change "
        "transcripts (fix the transcript file and re-run `qualcode code`); undo the edit"]),
    "no reviewer name": (set_cells(B1="  "), [
        "Review!B1: no reviewer name; type your name in Review!B1 or give the reviewer's name when "
        "importing (decisions are stored under the reviewer's name)"]),
    "reviewer named like the machine": (set_cells(B1="lexicon"), [
        "Review!B1: reviewer 'lexicon' is the name of a machine coder in this project; use a "
        "person's name"]),
    "reviewer name is a formula": (set_cells(B1="=A1"), [
        "Review!B1: the reviewer name is a formula ('=A1'); type the name as plain text"]),
    "memo without a decision": (set_cells(F7="see interview 2"), [
        "Review!F7: a memo on segment int000#7 but no decision on the row; a memo is stored with the "
        "row's decisions: choose yes or no for at least one code, or move the memo"]),
    "row added at the bottom": (set_cells(I25="yes", F25="new row"), [
        "Review!A25: this row has decisions but no segment id; rows cannot be added to a review "
        "workbook; move the decisions to the segment's own row and delete this one"]),
}


@pytest.mark.parametrize("name", list(SIMPLE))
def test_simple_bad_edit(case, name):
    db, path = case
    fn, expected = SIMPLE[name]
    edit(path, fn)
    assert problems(db, path) == expected


def _copy_row(src: int, dest: int) -> Callable:
    def fn(wb, ws):
        for c in ws[src]:
            ws.cell(dest, c.column).value = c.value
    return fn


def _copy_col(src: int, dest: int) -> Callable:
    def fn(wb, ws):
        for r in range(1, ws.max_row + 1):
            ws.cell(r, dest).value = ws.cell(r, src).value
    return fn


def test_duplicate_row(case):
    db, path = case
    edit(path, _copy_row(5, 24))
    assert problems(db, path) == [
        "Review!A24: segment int000#3 appears twice (also row 5); delete one of the two rows, keeping "
        "the decisions you want"]


def test_duplicate_column(case):
    db, path = case
    edit(path, _copy_col(9, 21))
    assert problems(db, path) == [
        "Review!U3: column 'Threat to jobs [JOBS] DECISION' appears twice (also Review!I3); delete the copy"]


def test_decision_column_deleted(case):
    db, path = case
    edit(path, lambda wb, ws: ws.delete_cols(12))  # L: DATA decision
    assert problems(db, path) == [
        f"Review row 3: the decision column for code DATA ('Data security [DATA] DECISION') is missing; "
        f"it was deleted or its header renamed; {FIX}"]


def test_header_renamed_to_unknown_code(case):
    db, path = case
    edit(path, set_cells(I3="Threat to jobs\n[GHOST] DECISION"))
    assert problems(db, path) == [
        f"Review row 3: the decision column for code JOBS ('Threat to jobs [JOBS] DECISION') is missing; "
        f"it was deleted or its header renamed; {FIX}",
        "Review!I3: column 'Threat to jobs [GHOST] DECISION' names code GHOST, unknown to this workbook "
        "and to the codebook (JOBS, DATA, DATA_LEAK); delete the column"]


def test_segment_column_header_deleted(case):
    db, path = case
    edit(path, set_cells(A3=None))
    assert problems(db, path) == [
        "Review: no header row with a 'Segment' column in the first 20 rows; restore the header row (row 3)"]


def test_sheet_renamed(case):
    db, path = case
    edit(path, lambda wb, ws: setattr(ws, "title", "Mine"))
    assert problems(db, path) == [
        "sheet 'Review' not found (the workbook has 'Mine', 'Read me', 'Codebook'); rename the review "
        "sheet back to 'Review'"]


def test_meta_sheet_deleted(case):
    db, path = case
    edit(path, lambda wb, ws: wb.remove(wb["_meta"]))
    assert problems(db, path) == [
        "no '_meta' sheet: this is not a review workbook written by `qualcode review export` (or the "
        "sheet was deleted); export a new one"]


def test_unsupported_format_version(case):
    db, path = case

    def fn(wb, ws):
        meta = wb["_meta"]
        row = next(r for r in meta.iter_rows() if r[1].value == "format_version")
        row[2].value = "9"
    edit(path, fn)
    assert problems(db, path) == [
        "_meta: review workbook format version '9' is not supported (this qualcode reads version 1); "
        "export a new one with this version of qualcode"]


def test_not_a_workbook(case):
    db, path = case
    path.write_text("segment;decision\n")
    assert problems(db, path) == [
        "cannot open as an .xlsx workbook (BadZipFile: File is not a zip file); save it from Excel or "
        "LibreOffice as 'Excel 2007-365 (.xlsx)'"]


def test_missing_file(case, tmp_path):
    db, _ = case
    assert problems(db, tmp_path / "nope.xlsx") == ["file not found; check the path"]


def test_workbook_from_another_project(case, tmp_path):
    _, path = case
    other = build_project(tmp_path / "other.db", n_sources=4, answers=5)
    with Store(other) as st:
        theirs = st.project_id
    wb = load_workbook(path)
    ours = next(r[2].value for r in wb["_meta"].iter_rows() if r[1].value == "project_id")
    assert problems(other, path) == [
        f"this workbook belongs to another project (project id {ours}, this database is {theirs}); open "
        "the project database it was exported from, or export a review workbook from this project"]


def test_code_no_longer_in_the_codebook(case):
    db, path = case
    raw = MINI.read_text(encoding="utf-8")
    raw = raw[:raw.index("  - id: DATA_LEAK")]
    cb = parse_codebook(raw, "mini_without_leak.yaml")
    with Store(db) as st:
        old = st.codebook().version
        st.save_codebook(cb)
    assert problems(db, path) == [
        f"Review!O6: decision for code DATA_LEAK, which is not in the project's codebook (version "
        f"{cb.version}); clear the cell, or re-run `qualcode code` with a codebook that has this code"]
    assert old != cb.version


def _resegment(db: Path, source: str, change: Callable) -> None:
    with Store(db) as st:
        src = st.sources([source])[0]
        segs = change(segment_source(src, "turn"))
        st.replace_segments(source, segs, "turn")


def test_segment_no_longer_exists(case):
    """Words gone from the project: the decisions are kept as stale, never dropped or moved."""
    db, path = case
    _resegment(db, "int000", lambda segs: segs[1:])  # int000#1 is gone
    with Store(db) as st:
        res = import_reviews(st, [path])
        assert res.warnings[-1].startswith("1 row(s) have words that changed in the transcript since "
                                           "the export; their decisions are kept as stale")
        stale = st.stale_decisions()
        assert {(d.segment_id, d.code_id) for d in stale} == {("int000#1", "JOBS")}
        assert all(c.segment_id != "int000#1" for c in st.human_codings())


def test_untouched_row_of_a_vanished_segment_is_fine(case):
    db, path = case
    _resegment(db, "int000", lambda segs: [s for s in segs if s.id != "int000#7"])  # row 7: no decision
    with Store(db) as st:
        assert import_reviews(st, [path]).stored == 3


def test_segment_text_changed_in_the_project(case):
    db, path = case

    def change(segs):
        segs[1].text = segs[1].text + " (corrected)"
        return segs
    _resegment(db, "int000", change)
    with Store(db) as st:
        import_reviews(st, [path])
        stale = st.stale_decisions()
        assert {d.segment_id for d in stale} == {"int000#3"}
        assert stale[0].candidate is not None and stale[0].candidate.id == "int000#3"
        assert stale[0].candidate.text.endswith(" (corrected)") and not stale[0].old_text.endswith(")")
        assert all(c.segment_id != "int000#3" for c in st.human_codings())  # not on the new words


def test_same_reviewer_two_files_disagree(case, tmp_path):
    db, path = case
    other = tmp_path / "copy.xlsx"
    shutil.copy(path, other)
    edit(other, set_cells(I4="no"))
    assert problems(db, path, other) == [
        "copy.xlsx: Review!I4: reviewer 'Marie' decided segment int000#1, code JOBS differently at "
        "review.xlsx: Review!I4; import the files separately (the later import wins) or make them agree"]


def test_every_problem_of_every_file_is_reported_at_once(case, tmp_path):
    db, path = case
    other = tmp_path / "paul.xlsx"
    shutil.copy(path, other)
    edit(path, set_cells(L7="maybe", A4="int000#99", T5="abc", B1=None))
    edit(other, set_cells(B1="Paul", I8="peut-être"))
    found = problems(db, path, other)
    assert [": ".join(p.split(": ")[:2]) for p in found] == [
        "review.xlsx: Review!B1", "review.xlsx: Review!A4", "review.xlsx: Review!T5",
        "review.xlsx: Review!L7", "paul.xlsx: Review!B1",  # exported for Marie, now Paul's
        "paul.xlsx: Review!I8"]  # file by file, top to bottom


def test_error_message_heads_with_the_file_and_count(case):
    db, path = case
    edit(path, set_cells(L7="maybe"))
    with Store(db) as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, [path])
    assert str(err.value) == (f"{path}: 1 problem(s) found, no decision was imported\n"
                              f"  - Review!L7: 'maybe' is not a decision for DATA; {NOT_DECISION}")
