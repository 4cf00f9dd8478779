"""The typed coded state, checked against the store's sqlite file read by plain SQL and against
facts known by hand (who disagreed with whom), never against the code under test."""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from _workbooks import fill
from qualcode import Store, code_project
from qualcode.analysis import (
    CodedState,
    HumanDecision,
    MachineProposal,
    code_column,
    code_matrix,
    code_values,
    coded_frame,
    coded_state,
)
from qualcode.review import export_review_workbook, import_reviews

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini_codebook.yaml"
P01 = (DATA / "trust" / "martin.txt").read_text(encoding="utf-8")  # one interview, three answers
JOB = "Je crains la suppression de postes"
DATA_ANSWER = "Nos données sensibles"


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "p01.txt").write_text(P01, encoding="utf-8")
    shutil.copy(DATA / "pipeline" / "p02.txt", tmp_path / "transcripts" / "p02.txt")
    code_project([tmp_path / "transcripts"], codebook=MINI, db=tmp_path / "q.db", out=tmp_path / "out",
                 coder="lexicon")
    return tmp_path


def review(proj: Path, reviewer: str, decisions: dict[str, dict[str, str]], memo: dict[str, str] | None = None,
           adjudicate: bool = False) -> None:
    """Export a review workbook, type decisions on the rows starting with the given words (as a
    person would), and import it."""
    path = proj / "out" / f"review-{reviewer}.xlsx"
    with Store(proj / "q.db") as st:
        export_review_workbook(st, path, reviewer=reviewer, adjudicate=adjudicate)
    fill(path, decisions, memo)
    with Store(proj / "q.db") as st:
        import_reviews(st, [path])


def state_of(proj: Path, reviewer: str | None = None) -> CodedState:
    with Store(proj / "q.db") as st:
        return coded_state(st, st.codebook(), reviewer)


def sql(proj: Path, query: str) -> list[tuple]:
    db = sqlite3.connect(proj / "q.db")
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


def segment_id(state: CodedState, words: str) -> str:
    return next(s.id for s in state.segments if s.text.startswith(words))


def test_segments_are_the_active_segments_in_store_order(proj):
    state = state_of(proj)
    rows = sql(proj, 'SELECT id, source_id, text, start, "end" FROM segments WHERE active = 1 ORDER BY ord')
    assert sorted((s.id, s.source_id, s.text, s.start, s.end) for s in state.segments) == sorted(rows)
    assert state.code_ids == re.findall(r"^  - id: (\w+)", MINI.read_text(encoding="utf-8"), re.M)
    for s in state.segments:  # the offsets contract: the words are the transcript's
        if s.source_id == "p01":
            assert P01[s.start:s.end] == s.text
    assert [s.text[:len(JOB)] for s in state.segments if s.source_id == "p01"][1] == JOB


def test_machine_proposals_are_the_latest_pass(proj):
    state = state_of(proj)
    last = sql(proj, "SELECT max(id) FROM passes WHERE kind = 'machine'")[0][0]
    rows = sql(proj, f"SELECT segment_id, code_id, applied, confidence, evidence, coder FROM codings "
                     f"WHERE pass_id = {last}")
    assert rows  # the lexicon coder proposed something
    expected = {(r[0], r[1]): MachineProposal(bool(r[2]), r[3], tuple(json.loads(r[4] or "[]")), r[5]) for r in rows}
    got = {(s.id, c): e.machine for s in state.segments for c, e in s.codes.items() if e.machine}
    assert got == expected
    for s in state.segments:  # before any review, the consensus is the machine's
        for e in s.codes.values():
            assert e.applied == bool(e.machine and e.machine.applied)
            assert not e.reviewed and not e.disputed and not e.decisions and e.adjudication is None


def test_human_decisions_match_the_codings_table(proj):
    review(proj, "Marie", {JOB: {"JOBS": "yes"}, DATA_ANSWER: {"DATA": "no"}}, memo={JOB: "clair"})
    state = state_of(proj)
    rows = sql(proj, "SELECT segment_id, code_id, coder, applied, memo, role FROM codings "
                     "WHERE coder_kind = 'human' AND withdrawn = 0 AND superseded_by IS NULL")
    assert {(r[0], r[1]) for r in rows} == {(segment_id(state, JOB), "JOBS"), (segment_id(state, DATA_ANSWER), "DATA")}
    got = {(s.id, c, who): d for s in state.segments for c, e in s.codes.items() for who, d in e.decisions.items()}
    assert got == {(r[0], r[1], r[2]): HumanDecision(r[2], bool(r[3]), r[4], r[5]) for r in rows}
    job = state.segment(segment_id(state, JOB)).code("JOBS")
    assert (job.applied, job.reviewed, job.disputed, job.memo) == (True, True, False, "clair")
    data = state.segment(segment_id(state, DATA_ANSWER)).code("DATA")
    assert (data.applied, data.reviewed) == (False, True)
    # the machine's proposal is kept beside the decision that overrode it
    assert data.machine is not None and data.machine.applied and data.confidence == data.machine.confidence


def test_two_reviewers_who_disagree_leave_the_cell_disputed_until_adjudicated(proj):
    review(proj, "Marie", {JOB: {"JOBS": "yes"}}, memo={JOB: "clair"})
    review(proj, "Paul", {JOB: {"JOBS": "no"}}, memo={JOB: "hors sujet"})
    state = state_of(proj)
    seg = state.segment(segment_id(state, JOB))
    job = seg.code("JOBS")
    assert job.decisions == {"Marie": HumanDecision("Marie", True, "clair", "reviewer"),
                             "Paul": HumanDecision("Paul", False, "hors sujet", "reviewer")}
    assert (job.applied, job.disputed, job.memo) == (True, True, "Marie: clair; Paul: hors sujet")  # a tie shows it
    assert seg.disputed and [(s.id, c) for s, c in state.disputed_cells()] == [(seg.id, "JOBS")]
    # one reviewer's own view: no dispute, only her decision
    marie = state_of(proj, "Marie").segment(seg.id).code("JOBS")
    assert (marie.applied, marie.disputed, list(marie.decisions)) == (True, False, ["Marie"])
    review(proj, "Sophie", {JOB: {"JOBS": "no"}}, adjudicate=True)
    job = state_of(proj).segment(seg.id).code("JOBS")
    assert job.adjudication == HumanDecision("Sophie", False, "", "adjudicator")
    assert (job.applied, job.disputed) == (False, False) and set(job.decisions) == {"Marie", "Paul"}


def test_the_frame_is_derived_from_the_state(proj):
    review(proj, "Marie", {JOB: {"JOBS": "no"}}, memo={JOB: "pas une menace"})
    with Store(proj / "q.db") as st:
        cb = st.codebook()
        state, frame = coded_state(st, cb), coded_frame(st, cb)
    assert state.frame().equals(frame)
    assert (state.applied_matrix().to_numpy() == code_matrix(frame, cb.ids).to_numpy()).all()
    for c in cb.ids:
        assert list(code_values(frame, c, "reviewed")) == list(state.reviewed(c))
        conf = [s.code(c).confidence for s in state.segments]
        assert all((x is None and math.isnan(y)) or x == y for x, y in zip(conf, state.confidence(c)))
    row = frame.set_index("segment_id").loc[segment_id(state, JOB)]
    assert not row["JOBS"] and row[code_column("JOBS", "memo")] == "pas une menace"
    assert row[code_column("JOBS", "evidence")] == ""  # evidence is shown for applied codes only
