"""A project store that never puts a human decision on the wrong words (issue 8).

Each case seen by users is reproduced through the public path a researcher takes (code, review
workbook filled in a spreadsheet, import, re-code) and checked on the store AND on the coded
workbook they open. Expected values are the words the decisions were typed against.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from _workbooks import column, fill
from qualcode import ReviewImportError, Store, StoreError, code_project
from qualcode.codebook import load_codebook, rename_code
from qualcode.export import write_coded_workbook
from qualcode.review import export_review_workbook, import_reviews
from qualcode.store import SCHEMA_VERSION, project_status

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini_codebook.yaml"

P01 = (DATA / "trust" / "martin.txt").read_text(encoding="utf-8")  # one interview, three answers
INSERTED = """Enquêteur : Une question ajoutée après coup ?

Mme Martin : Une réponse ajoutée, sur les fichiers clients et le RGPD.

"""


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "p01.txt").write_text(P01, encoding="utf-8")
    shutil.copy(DATA / "pipeline" / "p02.txt", tmp_path / "transcripts" / "p02.txt")
    return tmp_path


def code(proj: Path, codebook: Path = MINI, paths: list[Path] | None = None, **kw):
    kw.setdefault("coder", "lexicon")
    return code_project(paths or [proj / "transcripts"], codebook=codebook, db=proj / "q.db",
                        out=proj / "out", **kw)


def review(proj: Path, reviewer: str, decisions: dict[str, dict[str, str]], memo: dict[str, str] | None = None,
           name: str | None = None, **kw):
    """Export a review workbook, type decisions on the rows whose text starts with the given
    words (as a person would), save it and import it. Returns the import result."""
    path = proj / "out" / (name or f"review-{reviewer}.xlsx")
    with Store(proj / "q.db") as st:
        export_review_workbook(st, path, reviewer=reviewer, **kw)
    fill(path, decisions, memo)
    with Store(proj / "q.db") as st:
        res = import_reviews(st, [path])
        write_coded_workbook(st, proj / "out" / "coded.xlsx")  # as `qualcode review import` does
    return res


def shown(proj: Path) -> list[dict]:
    """The Segments sheet of coded.xlsx as the user reads it: text, status, codes, memos."""
    ws = load_workbook(proj / "out" / "coded.xlsx")["Segments"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    return [dict(zip(head, r)) for r in rows[1:]]


def decisions_on_words(db: Path) -> dict[tuple[str, str, str], bool]:
    """(words, code, reviewer) -> applied, for every current decision, through the public API."""
    with Store(db) as st:
        texts = {s.id: s.text for s in st.segments()}
        return {(texts[c.segment_id], c.code_id, c.coder): c.applied for c in st.human_codings()}


JOB = "Je crains la suppression de postes"
TEAM = "Je dirige une équipe"
DATA_ANSWER = "Nos données sensibles"


# -- 1. edits move answers: decisions follow their words --------------------------------------

def test_inserted_answer_keeps_every_decision_on_its_words(proj):
    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes", "DATA": "no"}, TEAM: {"JOBS": "no"}}, memo={JOB: "net"})
    before = decisions_on_words(proj / "q.db")
    p01 = proj / "transcripts" / "p01.txt"
    p01.write_text(P01.replace("Enquêteur : Que pensez", INSERTED + "Enquêteur : Que pensez"), encoding="utf-8")
    code(proj)
    assert decisions_on_words(proj / "q.db") == before  # same words, same decisions
    with Store(proj / "q.db") as st:
        ids = {c.segment_id for c in st.human_codings()}
        assert ids == {"p01#1", "p01#5"}  # the job answer moved from turn 3 to turn 5
        assert st.stale_decisions() == []
        assert project_status(st).moved == 2
    rows = {r["Text"].split(",")[0][:30]: r for r in shown(proj)}
    assert rows["Je crains la suppression de po"]["Status"] == "reviewed"
    assert rows["Je crains la suppression de po"]["Memos"] == "net"
    assert rows["Une réponse ajoutée"]["Status"] == "machine"  # never shows another answer's review
    assert rows["Une réponse ajoutée"]["Memos"] is None


def test_edited_words_make_the_decision_stale_shown_and_confirmable(proj):
    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}})
    p01 = proj / "transcripts" / "p01.txt"
    p01.write_text(P01.replace("chez les techniciens", "chez nos techniciens"), encoding="utf-8")
    code(proj)
    with Store(proj / "q.db") as st:
        assert st.human_codings() == []  # never applied to the new words
        (stale,) = st.stale_decisions()
        assert stale.old_text == "Je crains la suppression de postes chez les techniciens."
        assert stale.candidate.text == "Je crains la suppression de postes chez nos techniciens."
        assert project_status(st).stale[0].id == stale.id
    about = {r[0]: r[1] for r in load_workbook(proj / "out" / "coded.xlsx")["About"].iter_rows(values_only=True)}
    assert about["Decisions to review (text changed)"] == 1
    assert all(r["Status"] == "machine" for r in shown(proj))
    # the next review export lists it, old beside new, pre-filled but not counted until confirmed
    path = proj / "out" / "review-Marie.xlsx"
    with Store(proj / "q.db") as st:
        export_review_workbook(st, path, reviewer="Marie")
    ws = load_workbook(path)["To review"]
    head = [c.value for c in ws[1]]
    row = dict(zip(head, next(ws.iter_rows(min_row=2, values_only=True))))
    assert row["Old text (decided on)"] == stale.old_text and row["New text"] == stale.candidate.text
    assert row["Threat to jobs\n[JOBS] DECISION"] == "yes" and row["Confirm"] is None
    with Store(proj / "q.db") as st:
        res = import_reviews(st, [path])
        assert res.stored == 0 and "1 row(s) of the 'To review' sheet were not confirmed" in res.warnings[0]
        assert len(st.stale_decisions()) == 1
    wb = load_workbook(path)
    wb["To review"].cell(2, head.index("Confirm") + 1).value = "yes"
    wb.save(path)
    with Store(proj / "q.db") as st:
        import_reviews(st, [path])
        assert st.stale_decisions() == []
    assert decisions_on_words(proj / "q.db") == {(stale.candidate.text, "JOBS", "Marie"): True}


# -- 2. same names in two folders, a second format beside the first --------------------------

def test_same_file_name_in_two_folders_are_two_interviews(tmp_path):
    for site, text in (("site1", P01), ("site2", (DATA / "pipeline" / "p02.txt").read_text())):
        (tmp_path / "transcripts" / site).mkdir(parents=True)
        (tmp_path / "transcripts" / site / "interview.txt").write_text(text, encoding="utf-8")
    folders = [tmp_path / "transcripts" / "site1", tmp_path / "transcripts" / "site2"]
    res = code(tmp_path, paths=folders)
    assert res.sources == 2
    with Store(tmp_path / "q.db") as st:
        src = {s.id: s for s in st.sources()}
        assert set(src) == {"interview", "transcripts/site2/interview"}
        assert src["interview"].text == P01 and src["interview"].key == "transcripts/site1/interview.txt"
    review(tmp_path, "Marie", {JOB: {"JOBS": "yes"}})
    code(tmp_path, paths=list(reversed(folders)))  # order of the arguments does not matter
    assert decisions_on_words(tmp_path / "q.db") == {
        ("Je crains la suppression de postes chez les techniciens.", "JOBS", "Marie"): True}
    from docx import Document

    doc = Document()
    doc.add_paragraph("Enquêteur : Une autre version ?")
    doc.add_paragraph("Mme Martin : Oui, au format Word.")
    doc.save(tmp_path / "transcripts" / "site1" / "interview.docx")
    code(tmp_path, paths=folders)
    with Store(tmp_path / "q.db") as st:
        src = {s.id: s.key for s in st.sources()}
    assert src["interview"] == "transcripts/site1/interview.txt"  # the coded .txt keeps its id
    assert src["transcripts/site1/interview"] == "transcripts/site1/interview.docx"
    assert len(decisions_on_words(tmp_path / "q.db")) == 1


# -- 3. an interrupted run changes nothing; the next one repairs ------------------------------

class Interrupting:
    name, version = "lexicon", "interrupting-1"

    def code(self, segments, codebook, progress=None):
        raise KeyboardInterrupt


def test_interrupted_coding_leaves_the_project_as_it_was(proj):
    code(proj)
    with Store(proj / "q.db") as st:
        before = {s.id: s.text for s in st.segments()}, st.source_shas(), len(st.passes())
    (proj / "transcripts" / "p01.txt").write_text(P01 + "\nEnquêteur : Fin ?\n\nMme Martin : Oui.\n")
    with pytest.raises(KeyboardInterrupt):
        code(proj, coder=Interrupting())
    with Store(proj / "q.db") as st:
        assert ({s.id: s.text for s in st.segments()}, st.source_shas(), len(st.passes())) == before
        assert st.integrity_problems() == []
    res = code(proj)
    assert res.changed_sources == 1 and res.segments == 6


def test_stale_segments_left_by_an_older_qualcode_are_repaired(proj):
    """qualcode 0.1 saved sources before segmenting: a crash left segments that are not their
    source's text, and later runs said 'reused from cache' forever."""
    code(proj)
    p01 = proj / "transcripts" / "p01.txt"
    p01.write_text(P01.replace("Bonjour", "Bonjour à vous"), encoding="utf-8")
    con = sqlite3.connect(proj / "q.db")  # what the crash left: the new text, the old segments
    import hashlib
    con.execute("UPDATE sources SET text=?, sha256=? WHERE id='p01'",
                (p01.read_text(), hashlib.sha256(p01.read_bytes()).hexdigest()))
    con.commit()
    con.close()
    with Store(proj / "q.db") as st:
        assert st.integrity_problems()  # the damage is seen
    res = code(proj)
    assert res.changed_sources == 1
    with Store(proj / "q.db") as st:
        assert st.integrity_problems() == []
        src = st.sources(["p01"])[0]
        assert all(src.text[s.start:s.end] == s.text for s in st.segments(["p01"]))


# -- 4. codes evolve ---------------------------------------------------------------------------

def test_renamed_code_carries_its_decisions(proj, tmp_path):
    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}, TEAM: {"JOBS": "no"}})
    cb = tmp_path / "renamed.yaml"
    cb.write_text(rename_code(MINI.read_text(encoding="utf-8"), "JOBS", "EMPLOI"), encoding="utf-8")
    assert load_codebook(cb).code("EMPLOI").formerly == ["JOBS"]
    code(proj, codebook=cb)
    words = decisions_on_words(proj / "q.db")
    assert words[("Je crains la suppression de postes chez les techniciens.", "EMPLOI", "Marie")] is True
    assert not any(code_id == "JOBS" for _, code_id, _ in words)
    row = next(r for r in shown(proj) if r["Text"].startswith(JOB))
    assert row["Status"] == "reviewed" and row["Threat to jobs"] == 1


def test_code_renamed_by_hand_is_reported_not_dropped(proj, tmp_path):
    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}})
    cb = tmp_path / "hand.yaml"
    cb.write_text(MINI.read_text(encoding="utf-8").replace("id: JOBS", "id: EMPLOI"), encoding="utf-8")
    code(proj, codebook=cb)
    with Store(proj / "q.db") as st:
        assert project_status(st).orphaned == {"JOBS": 1}
        assert [c.code_id for c in st.human_codings()] == ["JOBS"]  # kept, not applied to EMPLOI
    about = {r[0]: r[1] for r in load_workbook(proj / "out" / "coded.xlsx")["About"].iter_rows(values_only=True)}
    assert about["Decisions on removed codes"] == 1


def test_merging_two_codes_keeps_both_histories(proj, tmp_path):
    code(proj)
    review(proj, "Marie", {DATA_ANSWER: {"DATA": "no", "DATA_LEAK": "yes"}, JOB: {"DATA": "no"}})
    text = MINI.read_text(encoding="utf-8")
    cb = tmp_path / "merged.yaml"
    merged = text.replace("id: DATA\n", "id: DATA_ALL\n    formerly: [DATA, DATA_LEAK]\n")
    start = merged.index("  - id: DATA_LEAK")
    cb.write_text(merged[:start].rstrip() + "\n", encoding="utf-8")  # DATA_LEAK was the last code
    assert load_codebook(cb).ids == ["JOBS", "DATA_ALL"]
    code(proj, codebook=cb)
    words = decisions_on_words(proj / "q.db")
    assert words == {("Nos données sensibles ne doivent jamais sortir de l'entreprise.", "DATA_ALL", "Marie"): True,
                     ("Je crains la suppression de postes chez les techniciens.", "DATA_ALL", "Marie"): False}


# -- 5. several reviewers, honestly -----------------------------------------------------------

def test_disagreement_is_shown_and_adjudicated(proj):
    from qualcode.agreement import compute_agreement

    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}}, memo={JOB: "clair"})
    review(proj, "Paul", {JOB: {"JOBS": "no"}}, memo={JOB: "hors sujet"})
    row = next(r for r in shown(proj) if r["Text"].startswith(JOB))
    assert row["Status"] == "disagreement" and row["Memos"] == "Marie: clair; Paul: hors sujet"
    ws = load_workbook(proj / "out" / "coded.xlsx")["Disagreements"]
    body = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    assert body == [("p01#3", "p01", "Threat to jobs", "Je crains la suppression de postes chez les techniciens.",
                     "Marie: yes — clair\nPaul: no — hors sujet", "yes")]
    # adjudication: a workbook of the disputed cells only; its decision settles the cell
    res = review(proj, "Sophie", {JOB: {"JOBS": "no"}}, name="adjudication.xlsx", adjudicate=True)
    assert res.files[0].rows == 1
    with Store(proj / "q.db") as st:
        eff = st.effective()[("p01#3", "JOBS")]
        assert (eff.applied, eff.disputed, eff.adjudicated) == (False, False, True)
        assert st.disputes() == []
        report = compute_agreement(st)
    assert report.reviewers == ["Marie", "Paul"]  # agreement keeps the independent decisions
    pair = [r for r in report.rows if r.comparison == "Marie vs Paul" and r.code == "JOBS"]
    assert pair and pair[0].units == 1 and pair[0].percent == 0.0


def test_older_export_cannot_silently_revert_newer_decisions(proj):
    code(proj)
    old = proj / "out" / "old.xlsx"
    with Store(proj / "q.db") as st:
        export_review_workbook(st, old, reviewer="Marie")
    review(proj, "Marie", {JOB: {"JOBS": "yes"}})  # a newer export, imported
    fill(old, {JOB: {"JOBS": "no"}})
    with Store(proj / "q.db") as st, pytest.raises(ReviewImportError) as err:
        import_reviews(st, [old])
    (problem,) = err.value.problems
    assert problem.startswith("old.xlsx: exported ") and "would revert 1 newer decision(s): Review!" in problem
    assert "JOBS on p01#3: now yes, this file says no. Import it again with force" in problem
    assert decisions_on_words(proj / "q.db") == {
        ("Je crains la suppression de postes chez les techniciens.", "JOBS", "Marie"): True}
    with Store(proj / "q.db") as st:
        import_reviews(st, [old], force=True)
    assert decisions_on_words(proj / "q.db") == {
        ("Je crains la suppression de postes chez les techniciens.", "JOBS", "Marie"): False}


def test_forwarded_workbook_is_not_reattributed(proj):
    code(proj)
    path = proj / "out" / "review-Marie.xlsx"
    review(proj, "Marie", {JOB: {"JOBS": "yes"}})
    with Store(proj / "q.db") as st:
        export_review_workbook(st, path, reviewer="Marie")  # pre-filled with Marie's decision
    wb = load_workbook(path)
    wb.worksheets[0]["B1"] = "Paul"
    wb.save(path)
    with Store(proj / "q.db") as st, pytest.raises(ReviewImportError, match="exported for 'Marie'"):
        import_reviews(st, [path])
    assert set(decisions_on_words(proj / "q.db")) == {
        ("Je crains la suppression de postes chez les techniciens.", "JOBS", "Marie")}


# -- 6. memos everywhere they belong ---------------------------------------------------------

def test_memo_reaches_workbook_report_and_next_export(proj):
    from qualcode.report import summarize_project

    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}}, memo={JOB: "cas typique"})
    assert next(r for r in shown(proj) if r["Text"].startswith(JOB))["Memos"] == "cas typique"
    summarize_project(proj / "q.db", out=proj / "out", progress=None)
    assert "cas typique" in (proj / "out" / "report.html").read_text(encoding="utf-8")
    assert "cas typique" in (proj / "out" / "report.md").read_text(encoding="utf-8")
    path = proj / "out" / "again.xlsx"
    with Store(proj / "q.db") as st:
        export_review_workbook(st, path, reviewer="Marie")
    ws = load_workbook(path).worksheets[0]
    memo_col = column(ws, "memo")
    assert "cas typique" in [ws.cell(r, memo_col).value for r in range(4, ws.max_row + 1)]


# -- 7. a multi-file import is all or nothing -------------------------------------------------

def test_multi_file_import_is_one_transaction(proj, monkeypatch):
    code(proj)
    a, b = proj / "out" / "a.xlsx", proj / "out" / "b.xlsx"
    with Store(proj / "q.db") as st:
        export_review_workbook(st, a, reviewer="Marie")
        export_review_workbook(st, b, reviewer="Paul")
    fill(a, {JOB: {"JOBS": "yes"}})
    fill(b, {JOB: {"JOBS": "no"}})
    calls = []
    real = Store.add_human_codings

    def crash_on_second(self, *args, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed between the two files
        return real(self, *args, **kw)

    monkeypatch.setattr(Store, "add_human_codings", crash_on_second)
    with Store(proj / "q.db") as st, pytest.raises(KeyboardInterrupt):
        import_reviews(st, [a, b])
    monkeypatch.undo()
    with Store(proj / "q.db") as st:
        assert st.human_codings() == [] and st.imports() == []


# -- 8. participant columns never overwrite ours ----------------------------------------------

def test_participant_columns_named_like_ours(proj):
    from qualcode.report import summarize_project

    (proj / "transcripts" / "participants.csv").write_text(
        "file,role,text,question,source_id,JOBS,segment_id\n"
        "p01.txt,manager,ATTR-TEXT,ATTR-Q,ATTR-SRC,ATTR-JOBS,ATTR-SEG\n", encoding="utf-8")
    code(proj)
    rows = shown(proj)
    by_text = {r["Text"][:20]: r for r in rows}
    assert "Je crains la suppres" in by_text  # the transcript's words, not the attribute
    assert all(r["Text"] != "ATTR-TEXT" for r in rows)
    row = by_text["Je crains la suppres"]
    assert row["Text (participant)"] == "ATTR-TEXT" and row["JOBS (participant)"] == "ATTR-JOBS"
    assert row["Interview"] == "p01" and row["Threat to jobs"] == 1
    summarize_project(proj / "q.db", out=proj / "out", progress=None)  # no crash either
    path = proj / "out" / "r.xlsx"
    review(proj, "Marie", {JOB: {"JOBS": "yes"}}, name="r.xlsx")
    assert path.exists() and len(decisions_on_words(proj / "q.db")) == 1


# -- 10. a schema that knows its version ---------------------------------------------------------

LEGACY = DATA / "store" / "v1-sample.db"


def legacy_decisions(db: Path) -> set[tuple]:
    """Current decisions of a qualcode 0.1 database, read with plain SQL (not the code under test)."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT c.coder, c.code_id, c.applied, c.memo, s.text FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_kind='human' AND c.superseded_by IS NULL").fetchall()
    con.close()
    return {(who, code_id, bool(a), memo, text) for who, code_id, a, memo, text in rows}


def test_database_of_the_previous_release_opens_with_every_decision(tmp_path):
    db = tmp_path / "qualcode.db"
    shutil.copy(LEGACY, db)
    expected = legacy_decisions(db)
    assert len(expected) == 122
    with Store(db) as st:
        assert st.schema_version == SCHEMA_VERSION == 2
        texts = {s.id: s.text for s in st.segments()}
        got = {(c.coder, c.code_id, c.applied, c.memo, texts[c.segment_id]) for c in st.human_codings()}
        assert st.integrity_problems() == []
    assert got == expected
    # a fresh store and an upgraded one have the same schema
    with Store(tmp_path / "fresh.db"):
        pass
    def schema(path):
        con = sqlite3.connect(path)
        out = sorted((t, n, " ".join((q or "").split()).replace("( ", "("))
                     for t, n, q in con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        con.close()
        return out
    assert schema(db) == schema(tmp_path / "fresh.db")


def test_previous_release_project_recoded_keeps_its_decisions(tmp_path):
    """The sample project coded and reviewed with qualcode 0.1, re-coded with this one."""
    db = tmp_path / "qualcode.db"
    shutil.copy(LEGACY, db)
    shutil.copytree(Path(__file__).parents[1] / "transcripts", tmp_path / "transcripts")
    expected = legacy_decisions(db)
    res = code_project([tmp_path / "transcripts"], codebook=Path(__file__).parents[1] / "codebook" / "ai_at_work.yaml",
                       db=db, out=tmp_path / "out", coder="lexicon")
    assert res.changed_sources == 0  # same files, adopted by name
    with Store(db) as st:
        texts = {s.id: s.text for s in st.segments()}
        got = {(c.coder, c.code_id, c.applied, c.memo, texts[c.segment_id]) for c in st.human_codings()}
        assert st.stale_decisions() == []
    assert got == expected


def test_newer_database_is_refused(tmp_path):
    db = tmp_path / "q.db"
    with Store(db):
        pass
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match=r"q\.db: this project database was written by a newer qualcode "
                                         r"\(schema version 99; this qualcode reads up to 2\); upgrade qualcode"):
        Store(db)


def test_constraints_refuse_impossible_rows(tmp_path):
    with Store(tmp_path / "q.db") as st:
        for bad in ("INSERT INTO codings (segment_id, code_id, applied, coder, coder_kind) VALUES ('s', 'A', 2, 'x', 'human')",
                    "INSERT INTO codings (segment_id, code_id, applied, coder, coder_kind) VALUES ('s', 'A', 1, 'x', 'robot')",
                    "INSERT INTO codings (segment_id, code_id, applied, coder, coder_kind, pass_id) "
                    "VALUES ('s', 'A', 1, 'x', 'machine', 999)"):
            with pytest.raises(sqlite3.IntegrityError):
                st.db.execute(bad)
        plan = " ".join(str(r) for r in st.db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM codings WHERE coder='x' AND code_id='A' AND coder_kind='human' "
            "AND superseded_by IS NULL"))
        assert "codings_human_current" in plan


def test_locked_database_is_a_clear_message(proj):
    code(proj)
    con = sqlite3.connect(proj / "q.db", timeout=0)
    con.execute("BEGIN EXCLUSIVE")
    try:
        with Store(proj / "q.db") as st:
            st.db.execute("PRAGMA busy_timeout = 100")
            with pytest.raises(StoreError, match=r"q\.db: the project database is locked by another qualcode "
                                                 r"command"):
                st.set_meta("x", "y")
    finally:
        con.rollback()
        con.close()


# -- the command line ------------------------------------------------------------------------

def test_cli_status_rename_adjudicate_force(proj, tmp_path, capsys, monkeypatch):
    from qualcode.cli import main

    code(proj)
    review(proj, "Marie", {JOB: {"JOBS": "yes"}})
    review(proj, "Paul", {JOB: {"JOBS": "no"}})
    p01 = proj / "transcripts" / "p01.txt"
    p01.write_text(P01.replace("Je dirige une équipe", "Je dirige l'équipe"), encoding="utf-8")
    code(proj)
    review(proj, "Marie", {TEAM[:10]: {"DATA": "yes"}}, name="second.xlsx")
    p01.write_text(P01.replace("Je dirige une équipe", "Je dirige toute l'équipe"), encoding="utf-8")
    code(proj)
    capsys.readouterr()
    assert main(["status", "--db", str(proj / "q.db")]) == 0
    out = capsys.readouterr().out
    assert "human decisions: 2 current (Marie 1, Paul 1)" in out
    assert "disagreements: 1 cells where reviewers disagree" in out
    assert ("stale: 1 decisions whose words changed in the transcript (kept, not applied)" in out
            and "Marie: DATA=yes on p01#1 «Je dirige l'équipe de maintenance dans l'aéronautique.»" in out)
    cb = tmp_path / "cb.yaml"
    cb.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["codebook", "rename", "JOBS", "EMPLOI", "--codebook", str(cb)]) == 0
    assert "code JOBS renamed EMPLOI (formerly: [JOBS])" in capsys.readouterr().out
    assert main(["codebook", "rename", "JOBS", "X", "--codebook", str(cb)]) == 2
    assert "no code 'JOBS' to rename; codes are EMPLOI, DATA, DATA_LEAK" in capsys.readouterr().err
    monkeypatch.chdir(proj)
    assert main(["review", "export", "--db", "q.db", "--adjudicate", "--reviewer", "Sophie", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "outputs/adjudication-Sophie.xlsx (1 segments" in out
    ws = load_workbook(proj / "outputs" / "adjudication-Sophie.xlsx").worksheets[0]
    assert "Threat to jobs: Marie yes · Paul no" in [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
