"""The project database: nothing is ever lost, the latest state is a query."""

from __future__ import annotations

import pytest

from qualcode import Coding, Proposal, Segment, Store, StoreError
from qualcode.store import now


def seg(i: int, text: str = "some text") -> Segment:
    return Segment(id=f"s#{i}", source_id="s", turn_index=i, start=0, end=len(text), text=text)


def human(sid: str, code: str, applied: bool, who: str = "alice", memo: str = "") -> Coding:
    return Coding(sid, code, applied, None, [], who, "human", "v1", now(), memo=memo)


def test_history_is_kept_and_newest_decision_wins(tmp_path):
    with Store(tmp_path / "q.db") as st:
        segs = [seg(1), seg(2)]
        st.replace_segments("s", segs, "turn")
        pid = st.start_pass("lexicon", "lexicon-1.0", "machine", "v1")
        st.add_machine_codings(pid, "lexicon", "v1", segs, [[Proposal("A", True, 0.9, ["w"])], []])
        st.finish_pass(pid, 2)
        assert st.effective()[("s#1", "A")].applied
        assert st.add_human_codings([human("s#1", "A", False)], "r1.xlsx") == 1
        assert st.add_human_codings([human("s#1", "A", False)], "r1.xlsx") == 0  # same again: no-op
        assert st.add_human_codings([human("s#1", "A", True, memo="on reflection")], "r2.xlsx") == 1
        eff = st.effective()[("s#1", "A")]
        assert eff.applied and eff.reviewed and eff.memo == "on reflection" and eff.confidence == 0.9
        assert len(st.human_codings()) == 1
        history = st.human_codings(include_superseded=True)
        assert [c.applied for c in history] == [False, True]


def test_two_reviewers_keep_their_own_decisions(tmp_path):
    with Store(tmp_path / "q.db") as st:
        st.replace_segments("s", [seg(1)], "turn")
        st.add_human_codings([human("s#1", "A", True, "alice"), human("s#1", "A", False, "bob")], "x")
        assert {(c.coder, c.applied) for c in st.human_codings()} == {("alice", True), ("bob", False)}
        assert st.effective("alice")[("s#1", "A")].applied
        assert not st.effective("bob")[("s#1", "A")].applied


def test_newest_pass_per_segment(tmp_path):
    with Store(tmp_path / "q.db") as st:
        segs = [seg(1), seg(2)]
        st.replace_segments("s", segs, "turn")
        p1 = st.start_pass("lexicon", "v", "machine", "v1")
        st.add_machine_codings(p1, "lexicon", "v1", segs, [[Proposal("A", True, 0.9)], [Proposal("A", True, 0.8)]])
        st.finish_pass(p1, 2)
        p2 = st.start_pass("lexicon", "v", "machine", "v1")  # a later pass over segment 1 only
        st.add_machine_codings(p2, "lexicon", "v1", segs[:1], [[]])
        st.finish_pass(p2, 1)
        eff = st.effective()
        assert ("s#1", "A") not in eff and eff[("s#2", "A")].applied


def test_unfinished_pass_is_not_the_latest_state(tmp_path):
    with Store(tmp_path / "q.db") as st:
        st.replace_segments("s", [seg(1)], "turn")
        p1 = st.start_pass("lexicon", "v", "machine", "v1")
        st.add_machine_codings(p1, "lexicon", "v1", [seg(1)], [[Proposal("A", True, 0.9)]])
        assert st.effective() == {}


def test_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: not a qualcode project database"):
        Store(bad)


def test_missing_database_when_not_creating(tmp_path):
    with pytest.raises(StoreError, match=r"no project database here; run `qualcode code` first"):
        Store(tmp_path / "none.db", create=False)
