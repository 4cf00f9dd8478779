"""The review workbook: its layout, the round trip of thousands of decisions through a
sorted, filtered, rearranged sheet, re-import, supersession, pre-filling, backups, the CLI."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode import Coding, ConfigError, ReviewImportError, Store
from qualcode.cli import main
from qualcode.review import import_reviews
from qualcode.review._layout import norm_header
from qualcode.store import now
from test_review_support import DATA, build_project, export

CODES = ["JOBS", "DATA", "DATA_LEAK"]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("base") / "q.db", n_sources=4, answers=5)


@pytest.fixture
def db(base_db, tmp_path) -> Path:
    dest = tmp_path / "q.db"
    shutil.copy(base_db, dest)
    return dest


def columns(ws, header_row: int = 3) -> dict[str, int]:
    """Header text (whitespace-normalised) -> 1-based column."""
    return {norm_header(c.value): c.column for c in ws[header_row] if c.value is not None}


def dcol(cols: dict[str, int], code: str, kind: str = "DECISION") -> int:
    kinds = {kind, kind.replace("DECISION", "DÉCISION")}
    return next(j for h, j in cols.items() if any(h.endswith(f"[{code}] {k}") for k in kinds))


def memo_col(cols: dict[str, int]) -> int:
    return next(j for h, j in cols.items() if h.endswith(("(memo)", "(mémo)")))


def data_rows(ws) -> range:
    return range(4, ws.max_row + 1)


def decide(path: Path, decisions: dict[tuple[str, str], str], memo: dict[str, str] | None = None,
           out: Path | None = None) -> Path:
    """Type decisions (segment, code) -> value and memos into a review workbook."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    cols = columns(ws)
    rows = {ws.cell(r, 1).value: r for r in data_rows(ws)}
    for (seg, code), v in decisions.items():
        ws.cell(rows[seg], dcol(cols, code)).value = v
    for seg, m in (memo or {}).items():
        ws.cell(rows[seg], memo_col(cols)).value = m
    out = out or path
    wb.save(out)
    return out


def current(db: Path) -> dict[tuple[str, str, str], tuple[bool, str]]:
    with Store(db) as st:
        return {(c.segment_id, c.code_id, c.coder): (c.applied, c.memo) for c in st.human_codings()}


# -- layout -----------------------------------------------------------------------------------

def test_layout_dropdowns_formatting_hidden_identity(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    assert (res.rows, res.codes, res.prefilled, res.backup) == (20, 3, 0, None)
    wb = load_workbook(res.path)
    assert wb.sheetnames == ["Review", "Read me", "Codebook", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    ws = wb["Review"]
    assert (ws["A1"].value, ws["B1"].value) == ("Reviewer", "Marie")
    assert ws["B1"].protection.locked is False
    cols = columns(ws)
    # question, answer, the memo beside it, then per code proposal, confidence and decision side by side
    assert list(cols)[:6] == ["Segment", "Interview", "role", "Question before", "Text", "Comment (memo)"]
    assert list(cols)[6:9] == ["Threat to jobs [JOBS] machine", "Threat to jobs [JOBS] confidence",
                               "Threat to jobs [JOBS] DECISION"]
    assert list(cols)[-5:] == ["Machine evidence", "site", "Speaker", "Timestamp", "Key (do not edit)"]
    key_letter = ws.cell(3, cols["Key (do not edit)"]).column_letter
    assert ws.column_dimensions[key_letter].hidden
    assert ws.freeze_panes == "F4"  # segment, interview, role, question and text stay in view
    assert ws.auto_filter.ref == f"A3:{key_letter}23"
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].type == "list" and dvs[0].formula1 == '"yes,no,clear"'
    assert dvs[0].showErrorMessage and dvs[0].allow_blank
    assert {str(r) for r in dvs[0].sqref.ranges} == {
        f"{ws.cell(4, dcol(cols, c)).column_letter}4:{ws.cell(4, dcol(cols, c)).column_letter}23" for c in CODES}
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == 4 * 3  # per code: machine proposal tint; invalid, disagree, agree decisions
    for r in data_rows(ws):  # nothing pre-filled: an untouched row is not a decision
        assert all(ws.cell(r, dcol(cols, c)).value is None for c in CODES)
        assert ws.cell(r, dcol(cols, "JOBS")).protection.locked is False
        assert ws.cell(r, cols["Segment"]).protection.locked is True
    assert not ws.protection.sheet  # Excel cannot sort a protected sheet with locked cells


def test_machine_proposals_confidence_and_evidence(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx")
    ws = load_workbook(res.path)["Review"]
    cols = columns(ws)
    with Store(db) as st:
        machine = st.machine_codings()
    seen = 0
    for r in data_rows(ws):
        seg = ws.cell(r, cols["Segment"]).value
        for c in CODES:
            e = machine.get((seg, c))
            shown = ws.cell(r, dcol(cols, c, "machine")).value
            conf = ws.cell(r, dcol(cols, c, "confidence")).value
            assert shown == (None if e is None else "yes" if e.applied else "no")
            assert conf == (None if e is None else pytest.approx(e.confidence))
            seen += e is not None
        ev = ws.cell(r, cols["Machine evidence"]).value or ""
        assert all((f"<cue {c}>" in ev) == ((seg, c) in machine) for c in CODES)
    assert seen > 10


def test_transcript_text_never_becomes_a_formula(tmp_path):
    db = build_project(tmp_path / "q.db", n_sources=10, answers=10, seed=5)
    with Store(db) as st:
        seg = st.segments()[0].id
        st.add_human_codings([Coding(seg, "JOBS", True, None, [], "Marie", "human", "v", now(),
                                     memo="=cmd|' /C calc'!A0")], origin="test")
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws = load_workbook(res.path)["Review"]
    cols = columns(ws)
    starts = 0
    for r in data_rows(ws):
        for h in ("Text", "Comment (memo)", "Segment"):
            c = ws.cell(r, cols[h])
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                assert c.data_type == "s", (c.coordinate, c.value)
                starts += 1
    assert starts >= 5  # the tricky answers ("=HYPERLINK(...)", "+33 ...", "@SUM...") and the memo
    with Store(db) as st:  # re-importing the untouched re-export changes nothing
        assert import_reviews(st, [res.path]).unchanged == 1


def test_french_codebook_gives_oui_non(tmp_path):
    db = build_project(tmp_path / "q.db", codebook=DATA / "mini_fr.yaml")
    res = export(db, tmp_path / "revue.xlsx", reviewer="Marie")
    wb = load_workbook(res.path)
    assert wb.sheetnames[:3] == ["Révision", "Lisez-moi", "Livre de codes"]
    ws = wb["Révision"]
    assert ws.data_validations.dataValidation[0].formula1 == '"oui,non,effacer"'
    cols = columns(ws)
    assert "Menace sur l'emploi [JOBS] DÉCISION" in cols and ws["A1"].value == "Relecteur"
    seg = ws.cell(4, cols["Segment"]).value
    decide(res.path, {(seg, "JOBS"): "OUI ", (seg, "DATA"): "non"})
    with Store(db) as st:
        assert import_reviews(st, [res.path]).stored == 2
    assert current(db) == {(seg, "JOBS", "Marie"): (True, ""), (seg, "DATA", "Marie"): (False, "")}


# -- the round trip ---------------------------------------------------------------------------

def _shuffle_rows(ws, rng: random.Random) -> None:
    """Sort the data rows as a user would (here: at random), values moving with their row."""
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=ws.max_row)]
    rng.shuffle(rows)
    for r, values in enumerate(rows, start=4):
        for j, v in enumerate(values, start=1):
            ws.cell(r, j).value = v


def _swap_columns(ws, a: int, b: int) -> None:
    for r in range(3, ws.max_row + 1):
        ca, cb = ws.cell(r, a), ws.cell(r, b)
        ca.value, cb.value = cb.value, ca.value


def test_round_trip_thousands_of_decisions_sorted_filtered_rearranged(tmp_path):
    db = build_project(tmp_path / "q.db", n_sources=25, answers=40, seed=11)  # 1000 segments
    with Store(db) as st:
        machine_before = st.machine_codings()
        segs_before = [(s.id, s.text) for s in st.segments()]
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    wb = load_workbook(res.path)
    ws = wb["Review"]
    cols = columns(ws)
    rng = random.Random(42)
    expected: dict[tuple[str, str, str], tuple[bool, str]] = {}
    spellings = {"yes": True, "no": False, " Yes": True, "NO ": False, "yes ": True}
    for r in data_rows(ws):
        seg = ws.cell(r, cols["Segment"]).value
        memo = rng.choice(["", "", "", "voir aussi l'entretien 3", "ambigu — à discuter"])
        chosen = []
        for c in CODES:
            if rng.random() < 0.75:
                word = rng.choice(list(spellings))
                ws.cell(r, dcol(cols, c)).value = word
                chosen.append((c, spellings[word]))
        if chosen and memo:
            ws.cell(r, cols["Comment (memo)"]).value = memo
        for c, v in chosen:
            expected[(seg, c, "Marie")] = (v, memo if chosen else "")
    assert len(expected) > 2000
    _shuffle_rows(ws, rng)
    _swap_columns(ws, cols["Comment (memo)"], cols["site"])  # columns moved around
    _swap_columns(ws, dcol(cols, "JOBS"), cols["Question before"])
    for r in rng.sample(list(data_rows(ws)), 200):  # a filter hides rows
        ws.row_dimensions[r].hidden = True
    ws.auto_filter.add_filter_column(2, ["manager"])
    wb.save(tmp_path / "edited.xlsx")

    with Store(db) as st:
        result = import_reviews(st, [tmp_path / "edited.xlsx"])
        assert (result.decisions, result.stored, result.superseded, result.unchanged) == \
            (len(expected), len(expected), 0, 0)
        assert st.machine_codings() == machine_before
        assert [(s.id, s.text) for s in st.segments()] == segs_before
    assert current(db) == expected  # every decision stored, nothing else

    with Store(db) as st:  # the same file again changes nothing
        again = import_reviews(st, [tmp_path / "edited.xlsx"])
        assert (again.stored, again.superseded, again.unchanged) == (0, 0, len(expected))
        assert len(st.human_codings(include_superseded=True)) == len(expected)

    # a re-export shows Marie's decisions; flipping 100 of them supersedes exactly those
    res2 = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    assert res2.prefilled == len(expected) and res2.backup is not None
    flips = rng.sample(sorted(expected), 100)
    changed = {(s, c): ("no" if expected[(s, c, who)][0] else "yes") for s, c, who in flips}
    decide(res2.path, changed)
    with Store(db) as st:
        third = import_reviews(st, [res2.path])
        assert (third.stored, third.superseded, third.unchanged) == (0, 100, len(expected) - 100)
        history = st.human_codings(include_superseded=True)
    assert len(history) == len(expected) + 100
    now_state = current(db)
    for s, c, who in flips:
        assert now_state[(s, c, who)][0] is not expected[(s, c, who)][0]


def test_prefill_copies_proposals_and_untouched_import_confirms_machine(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie", prefill=True)
    assert res.prefilled == 20 * 3
    with Store(db) as st:
        machine = st.machine_codings()
        segs = [s.id for s in st.segments()]
        assert import_reviews(st, [res.path]).stored == 60
    want = {(s, c, "Marie"): (bool(machine.get((s, c)) and machine[(s, c)].applied), "")
            for s in segs for c in CODES}
    assert current(db) == want


def test_clearing_an_imported_decision_warns_and_keeps_it(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws = load_workbook(res.path)["Review"]
    seg = ws.cell(4, columns(ws)["Segment"]).value
    decide(res.path, {(seg, "JOBS"): "yes", (seg, "DATA"): "no"}, memo={seg: "clear case"})
    with Store(db) as st:
        import_reviews(st, [res.path])
    res2 = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws2 = load_workbook(res2.path)["Review"]
    cols = columns(ws2)
    assert ws2.cell(4, dcol(cols, "JOBS")).value == "yes"
    assert ws2.cell(4, cols["Comment (memo)"]).value == "clear case"
    decide(res2.path, {(seg, "JOBS"): None})
    with Store(db) as st:
        r = import_reviews(st, [res2.path])
    letter = ws2.cell(4, dcol(cols, "JOBS")).column_letter
    assert r.warnings == [f"Review!{letter}4: the decision 'yes' for JOBS was emptied; an empty cell "
                          "keeps the earlier decision: choose clear to withdraw it, or no to reverse it"]
    assert (r.stored, r.superseded, r.unchanged) == (0, 0, 1)
    assert current(db)[(seg, "JOBS", "Marie")] == (True, "clear case")


def test_withdrawing_a_decision_with_clear(db, tmp_path):
    """'clear' withdraws the reviewer's decision: no longer current, kept in the history."""
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    seg = load_workbook(res.path)["Review"].cell(4, 1).value
    decide(res.path, {(seg, "JOBS"): "yes", (seg, "DATA"): "no"})
    with Store(db) as st:
        import_reviews(st, [res.path])
    res2 = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    decide(res2.path, {(seg, "JOBS"): " Clear"})
    with Store(db) as st:
        r = import_reviews(st, [res2.path])
        assert (r.withdrawn, r.stored, r.unchanged) == (1, 0, 1)
        history = [(c.code_id, c.applied, c.withdrawn) for c in st.human_codings(include_superseded=True)]
        assert history == [("JOBS", True, False), ("DATA", False, False), ("JOBS", False, True)]
        assert st.db.execute("SELECT count(*) FROM codings WHERE coder_kind='human' AND superseded_by IS "
                             "NULL AND withdrawn=1").fetchone() == (1,)
    assert current(db) == {(seg, "DATA", "Marie"): (False, "")}
    res3 = export(db, tmp_path / "review.xlsx", reviewer="Marie")  # the cell is empty again
    ws3 = load_workbook(res3.path)["Review"]
    assert ws3.cell(4, dcol(columns(ws3), "JOBS")).value is None


def test_two_reviewers_in_one_command_and_override(db, tmp_path):
    a = export(db, tmp_path / "a.xlsx", reviewer="Ana").path
    b = export(db, tmp_path / "b.xlsx").path  # no name in B1
    c = export(db, tmp_path / "c.xlsx").path  # no name either: anyone may fill it
    ws = load_workbook(a)["Review"]
    seg = ws.cell(5, columns(ws)["Segment"]).value
    decide(a, {(seg, "JOBS"): "yes"})
    decide(b, {(seg, "JOBS"): "no"})
    with Store(db) as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, [a, b])
    assert err.value.problems == ["b.xlsx: Review!B1: no reviewer name; type your name in Review!B1 or "
                                  "give the reviewer's name when importing (decisions are stored under the reviewer's name)"]
    assert current(db) == {}  # nothing applied: Ana's valid file waits for Bo's
    wb = load_workbook(b)
    wb["Review"]["B1"] = "  Bo  "
    wb.save(b)
    with Store(db) as st:
        res = import_reviews(st, [a, b])
    assert [f.reviewer for f in res.files] == ["Ana", "Bo"] and res.stored == 2
    with Store(db) as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, [a], reviewer="Cy")  # Ana's workbook is not Cy's
    assert err.value.problems == [
        "Review!B1: this workbook was exported for 'Ana' (with their decisions pre-filled) but the "
        "reviewer is now 'Cy'; decisions are stored under the name of who made them: Cy needs a fresh "
        "workbook (a review export for reviewer 'Cy')"]
    decide(c, {(seg, "JOBS"): "yes"})
    with Store(db) as st:
        assert import_reviews(st, [c], reviewer="Cy").stored == 1  # --reviewer fills an unnamed one
    assert current(db) == {(seg, "JOBS", "Ana"): (True, ""), (seg, "JOBS", "Bo"): (False, ""),
                           (seg, "JOBS", "Cy"): (True, "")}


def test_selection_options(db, tmp_path):
    with Store(db) as st:
        machine = st.machine_codings()
    res = export(db, tmp_path / "p.xlsx", only_proposed=True)
    ws = load_workbook(res.path)["Review"]
    segs = [ws.cell(r, 1).value for r in data_rows(ws)]
    assert segs and all(any((s, c) in machine and machine[(s, c)].applied for c in CODES) for s in segs)
    assert export(db, tmp_path / "s.xlsx", sample=7, seed=3).rows == 7
    one = export(db, tmp_path / "i.xlsx", sources=["int001"])
    ws = load_workbook(one.path)["Review"]
    assert one.rows == 5 and {ws.cell(r, 2).value for r in data_rows(ws)} == {"int001"}


def test_export_backs_up_and_never_overwrites_an_open_file(db, tmp_path):
    path = tmp_path / "review.xlsx"
    first = export(db, path, reviewer="Marie")
    ws = load_workbook(path)["Review"]
    seg = ws.cell(4, 1).value
    decide(path, {(seg, "DATA"): "yes"})  # typed but not imported yet
    second = export(db, path, reviewer="Marie")
    assert second.path == path and second.backup.name.startswith("review.bak-")
    bws = load_workbook(second.backup)["Review"]
    assert bws.cell(4, dcol(columns(bws), "DATA")).value == "yes"  # the typing survives in the backup
    (tmp_path / ".~lock.review.xlsx#").write_text("LibreOffice lock")
    third = export(db, path, reviewer="Marie")
    assert third.path != path and third.path.parent == tmp_path and third.backup is None
    assert first.export_id != second.export_id
    assert not list(tmp_path.glob(".~*.xlsx"))  # no temporary file left behind


def test_dry_run_stores_nothing(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws = load_workbook(res.path)["Review"]
    seg = ws.cell(4, 1).value
    decide(res.path, {(seg, "DATA"): "yes"})
    with Store(db) as st:
        r = import_reviews(st, [res.path], dry_run=True)
    assert r.dry_run and r.stored == 1 and current(db) == {}


# -- the command line, and outputs regenerated from the latest state -----------------------------

def test_cli_export_import_and_coded_workbook_says_reviewed(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["review", "export", "--db", str(db), "--reviewer", "Marie Curie", "--out", str(out),
                 "--no-progress"]) == 0
    path = out / "review-Marie_Curie.xlsx"
    assert f"review workbook: {path} (20 segments, 3 codes, 0 decision cells pre-filled)" in capsys.readouterr().out
    with Store(db) as st:
        machine = st.machine_codings()
    ws = load_workbook(path)["Review"]
    seg = ws.cell(4, 1).value
    proposed = bool(machine.get((seg, "JOBS")) and machine[(seg, "JOBS")].applied)
    decide(path, {(seg, "JOBS"): "no" if proposed else "yes"})
    assert main(["review", "import", str(path), "--db", str(db), "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert f"{path}: reviewer Marie Curie, 20 segments, 1 decisions: stored 1 new, 0 superseding " \
           "earlier ones, 0 unchanged" in text
    assert f"coded workbook: {out / 'coded.xlsx'}" in text
    seg_ws = load_workbook(out / "coded.xlsx")["Segments"]
    header = [c.value for c in seg_ws[1]]
    row = next(r for r in seg_ws.iter_rows(min_row=2, values_only=True) if r[0] == seg)
    assert row[header.index("Threat to jobs")] == (None if proposed else 1)  # the human wins
    assert row[header.index("Status")] == "reviewed"


def test_cli_reports_every_problem_and_exits_2(db, tmp_path, capsys):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws = load_workbook(res.path)["Review"]
    cols = columns(ws)
    seg4, seg5 = ws.cell(4, 1).value, ws.cell(5, 1).value
    decide(res.path, {(seg4, "JOBS"): "maybe", (seg5, "DATA"): "yes", (seg5, "DATA_LEAK"): 1})
    code = main(["review", "import", str(res.path), "--db", str(db), "--no-workbook"])
    err = capsys.readouterr().err
    j = ws.cell(4, dcol(cols, "JOBS")).column_letter
    k = ws.cell(4, dcol(cols, "DATA_LEAK")).column_letter
    assert code == 2
    assert err == (f"qualcode: error: {res.path}: 2 problem(s) found, no decision was imported\n"
                   f"  - Review!{j}4: 'maybe' is not a decision for JOBS; choose yes or no from the "
                   "dropdown, clear to withdraw your earlier decision, or leave the cell empty (not "
                   "reviewed)\n"
                   f"  - Review!{k}5: 1 is not a decision for DATA_LEAK; choose yes or no from the "
                   "dropdown, clear to withdraw your earlier decision, or leave the cell empty (not "
                   "reviewed)\n")
    assert current(db) == {}


def test_help_has_examples(capsys):
    for argv in (["review", "export", "--help"], ["review", "import", "--help"], ["agreement", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "examples:\n  qualcode " in capsys.readouterr().out


def test_inserted_rows_and_columns_are_tolerated(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie")
    ws = load_workbook(res.path)["Review"]
    seg = ws.cell(6, 1).value
    decide(res.path, {(seg, "DATA"): "yes"}, memo={seg: "moved around"})
    wb = load_workbook(res.path)
    ws = wb["Review"]
    ws.insert_cols(1)  # the user's own column in front
    ws.insert_rows(1)  # and a title line on top
    ws["A1"] = "my notes"
    ws["A6"] = "=1+1"  # a formula in the user's own column is none of our business
    wb.save(res.path)
    with Store(db) as st:
        r = import_reviews(st, [res.path])
    assert (r.files[0].reviewer, r.stored) == ("Marie", 1)
    assert current(db) == {(seg, "DATA", "Marie"): (True, "moved around")}
    wb = load_workbook(res.path)
    wb["Review"]["C2"] = None
    wb.save(res.path)
    with Store(db) as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, [res.path])
    assert err.value.problems[0].startswith("Review!C2: no reviewer name; type your name in Review!C2")


def test_protect_locks_all_but_decisions_and_still_imports(db, tmp_path):
    res = export(db, tmp_path / "review.xlsx", reviewer="Marie", protect=True)
    ws = load_workbook(res.path)["Review"]
    p = ws.protection
    assert p.sheet and p.password is None
    assert not (p.sort or p.autoFilter or p.formatCells or p.formatColumns or p.formatRows)  # allowed
    seg = ws.cell(4, 1).value
    decide(res.path, {(seg, "DATA_LEAK"): "no"})
    with Store(db) as st:
        assert import_reviews(st, [res.path]).stored == 1


def test_empty_selection_still_gives_a_valid_workbook(db, tmp_path):
    with pytest.raises(ConfigError, match=r"^interview\(s\) nope not in the project .*q.db; known ids "
                       r"include int000, int001, int002, int003$"):
        export(db, tmp_path / "none.xlsx", sources=["int001", "nope"])
    res = export(db, tmp_path / "none.xlsx", sample=0)
    assert res.rows == 0
    with Store(db) as st:
        r = import_reviews(st, [res.path], reviewer="Marie")
    assert (r.decisions, r.files[0].rows) == (0, 0)


def test_order_uncertain_puts_the_most_informative_segments_first(db, tmp_path):
    from qualcode.coders.priority import store_priority

    with Store(db) as st:
        prio = store_priority(st)
    res = export(db, tmp_path / "r.xlsx", order="uncertain")
    ws = load_workbook(res.path)[load_workbook(res.path).sheetnames[0]]
    ids = [ws.cell(row=r, column=1).value for r in data_rows(ws)]
    scores = [prio.get(i, 0.0) for i in ids]
    assert len(ids) == 20 and scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    with pytest.raises(ConfigError, match="order 'random' is not known; use 'document' or 'uncertain'"):
        export(db, tmp_path / "r2.xlsx", order="random")
