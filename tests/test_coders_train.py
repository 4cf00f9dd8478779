"""Learning from a project's review decisions: the training set, `qualcode train`, the next pass."""

from __future__ import annotations

import json

import pytest

from _coder_fixtures import CODEBOOK_YAML, codebook, seg
from qualcode.cli import main
from qualcode.coders.learning import store_training_set, train
from qualcode.errors import CoderError
from qualcode.model import Coding, Proposal, Source
from qualcode.store import Store, now
from test_coders_learning import JOBS, OTHER


def project(tmp_path):
    """A store with 14 segments over 4 interviews, a machine pass, and human review of all."""
    cb = codebook()
    st = Store(tmp_path / "qualcode.db")
    st.save_codebook(cb)
    segs = [seg(t, f"src{i % 4}#{i}", source=f"src{i % 4}") for i, t in enumerate(JOBS + OTHER)]
    st.save_sources([Source(f"src{k}", f"src{k}.txt", "\n".join(s.text for s in segs if s.source_id == f"src{k}"),
                            "txt", "x", language="en") for k in range(4)])
    for k in range(4):
        st.replace_segments(f"src{k}", [s for s in segs if s.source_id == f"src{k}"], "turn")
    pid = st.start_pass("lexicon", "v", "machine", cb.version)
    # the machine proposed JOBS on the first two only
    st.add_machine_codings(pid, "lexicon", cb.version, segs,
                           [[Proposal("JOBS", i < 2, 0.9 if i < 2 else 0.1)] for i in range(len(segs))])
    st.finish_pass(pid, len(segs))
    # the reviewer confirms those two, adds JOBS to the four others about jobs, rejects nothing else
    decisions = [Coding(s.id, "JOBS", True, None, [], "alice", "human", cb.version, now())
                 for s in segs[:len(JOBS)]]
    decisions.append(Coding(segs[-1].id, "DATA", False, None, [], "alice", "human", cb.version, now()))
    st.add_human_codings(decisions, origin="review.xlsx")
    return st, segs


def test_training_set_is_the_reviewed_segments_with_their_state_after_review(tmp_path):
    st, segs = project(tmp_path)
    with st:
        got_segs, labels = store_training_set(st, codebook())
    by_id = dict(zip([s.id for s in got_segs], labels, strict=True))
    assert len(by_id) == len(JOBS) + 1  # only segments a human touched
    assert all(by_id[s.id] == {"JOBS"} for s in segs[:len(JOBS)])
    assert by_id[segs[-1].id] == set()


def test_train_from_store_saves_model_with_provenance_and_counts_rounds(tmp_path):
    st, _ = project(tmp_path)
    model = tmp_path / "qualcode.model.joblib"
    with st:
        coder, saved = train(codebook(), store=st, model_path=model, semantic_model="hashing")
        assert saved == model and coder.provenance.round == 1
        assert coder.provenance.sources[0].endswith("(7 reviewed segments)")
        _, _ = train(codebook(), store=st, model_path=model, semantic_model="hashing")
    side = json.loads((tmp_path / "qualcode.model.joblib.json").read_text())
    assert side["round"] == 2 and side["history"][0]["round"] == 1


def test_nothing_to_learn_is_explained(tmp_path):
    with Store(tmp_path / "empty.db") as st, pytest.raises(CoderError, match="nothing to learn from"):
        train(codebook(), store=st, semantic_model="hashing")


def test_cli_train_from_gold_then_code_uses_the_model(tmp_path, capsys, monkeypatch):
    gold = tmp_path / "gold.jsonl"
    rows = [{"unit_id": f"i{i % 4}#{i}", "text": t, "codes": ["JOBS"] if i < len(JOBS) else []}
            for i, t in enumerate(JOBS + OTHER)]
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--gold", str(gold), "--codebook", str(cbp), "--semantic-model", "hashing",
                 "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "round 1: learned from 14 segments" in out
    assert "DATA" in out and "too few to learn" in out
    assert (tmp_path / "qualcode.model.joblib").exists()
    # the ensemble picks the model up from beside the database
    from qualcode import code_project

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.txt").write_text("Interviewer: Your job?\n\nRespondent: Layoffs everywhere, "
                                          "junior analysts are replaced.\n", encoding="utf-8")
    res = code_project([tmp_path / "t"], codebook=cbp, db=tmp_path / "qualcode.db", out=None, language="en")
    with Store(tmp_path / "qualcode.db") as st:
        (p,) = st.passes()
    assert p["coder"] == "ensemble" and "learning-" in p["coder_version"]
    assert res.code_counts["JOBS"] == 1


def test_store_priority_puts_uncertain_undecided_segments_first(tmp_path):
    from qualcode.coders.priority import store_priority

    cb = codebook()
    with Store(tmp_path / "p.db") as st:
        st.save_codebook(cb)
        segs = [seg("sure", "s#1"), seg("unsure", "s#2"), seg("decided", "s#3")]
        st.save_sources([Source("s", "s.txt", "sure unsure decided", "txt", "x")])
        st.replace_segments("s", segs, "turn")
        pid = st.start_pass("ensemble", "v", "machine", cb.version)
        st.add_machine_codings(pid, "ensemble", cb.version, segs, [
            [Proposal("JOBS", True, 0.97, [], {"lexicon": 0.97, "semantic": 0.9})],
            [Proposal("JOBS", True, 0.55, [], {"lexicon": 0.0, "semantic": 0.8})],
            [Proposal("JOBS", True, 0.5, [], {"lexicon": 0.5})]])
        st.finish_pass(pid, 3)
        st.add_human_codings([Coding("s#3", "JOBS", True, None, [], "alice", "human", cb.version, now())], "x")
        pr = store_priority(st)
    assert pr["s#3"] == 0.0 and pr["s#2"] > pr["s#1"] > 0.0


def test_cli_code_passes_coder_options(tmp_path, capsys):
    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.txt").write_text("Interviewer: Data?\n\nRespondent: I never paste confidential client "
                                          "data into the chatbot.\n", encoding="utf-8")
    assert main(["code", str(tmp_path / "t"), "--codebook", str(cbp), "--db", str(tmp_path / "q.db"),
                 "--out", str(tmp_path / "out"), "--coder", "semantic", "--set", "model=hashing",
                 "--set", "cache=false", "--language", "en", "--no-progress"]) == 0
    assert "DATA 1" in capsys.readouterr().out
    with Store(tmp_path / "q.db") as st:
        assert "model=hashing" in st.passes()[0]["coder_version"]
