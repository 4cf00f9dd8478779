from __future__ import annotations

import json

import numpy as np
import pytest

from _coder_fixtures import codebook, seg
from qualcode.coders import get_coder
from qualcode.coders.ensemble import EnsembleCoder, review_priority
from qualcode.coders.learning import LearningCoder
from qualcode.errors import CoderError
from qualcode.model import Proposal

JOBS = ["They will replace junior analysts with the tool.", "We hired fewer writers this year.",
        "I fear for my job, machines cut jobs.", "Entry level roles are disappearing, fewer hires.",
        "Layoffs happened after the rollout.", "Junior analysts are replaced by automation."]
OTHER = ["I use it to draft emails.", "It summarises long reports for me.", "I like the weather today.",
         "The tool helps me brainstorm titles.", "We meet on Mondays to plan.", "It formats my slides.",
         "I ask it to fix grammar.", "It writes the first version of a memo."]


def training():
    segs, labels = [], []
    for i, t in enumerate(JOBS + OTHER):
        segs.append(seg(t, f"t{i}#1", source=f"src{i % 4}"))
        labels.append({"JOBS"} if i < len(JOBS) else set())
    return segs, labels


def test_untrained_learning_coder_says_what_to_do():
    with pytest.raises(CoderError, match="no model yet; train it with `qualcode train`"):
        LearningCoder(semantic_model="hashing").code([seg("x")], codebook())
    with pytest.raises(CoderError, match="no trained model here; run `qualcode train` first"):
        LearningCoder(model="/nonexistent/model.joblib")


def test_fit_learns_codes_with_enough_positives_and_records_provenance(tmp_path):
    cb = codebook()
    coder = LearningCoder(semantic_model="hashing")
    segs, labels = training()
    prov = coder.fit(segs, labels, cb, sources=["gold:test"])
    assert set(coder.models) == {"JOBS"}  # DATA has no positives: left to the zero-shot rule
    assert prov.round == 1 and prov.positives == {"JOBS": 6, "DATA": 0} and prov.n_segments == 14
    test = [seg("Machines will replace analysts and cut jobs.", "n#1"), seg("It drafts my emails.", "n#2")]
    props = coder.code(test, cb)
    assert [p.applied for p in props[0]] == [True] and [p.applied for p in props[1]] == [False]
    assert props[0][0].evidence[0].startswith("learned from 6 coded / 8 not coded")
    path = coder.save(tmp_path / "m.joblib")
    side = json.loads((tmp_path / "m.joblib.json").read_text())
    assert side["round"] == 1 and side["codes"]["JOBS"]["positives"] == 6 and side["sources"] == ["gold:test"]
    loaded = LearningCoder(model=str(path))
    assert loaded.version == coder.version
    p1, _ = coder.probabilities(test, cb)
    p2, _ = loaded.probabilities(test, cb)
    assert np.allclose(p1, p2)
    # a new review round refits on all decisions and keeps the history
    prov2 = loaded.fit(segs, labels, cb)
    assert prov2.round == 2 and prov2.history[0]["round"] == 1


def test_ensemble_keeps_each_coders_vote_and_evidence():
    cb = codebook()
    coder = get_coder("ensemble", semantic_model="hashing", learned=None)
    props = coder.code([seg("There were layoffs. Machines will replace junior analysts and cut jobs.")], cb)[0]
    jobs = {p.code_id: p for p in props}["JOBS"]
    assert jobs.applied
    assert set(jobs.votes) == {"lexicon", "semantic"} and jobs.votes["lexicon"] > 0.9
    assert any(e.startswith("lexicon: layoffs") for e in jobs.evidence)
    assert any(e.startswith("semantic: «") for e in jobs.evidence)


def test_ensemble_uses_a_trained_model_and_says_so(tmp_path):
    cb = codebook()
    learner = LearningCoder(semantic_model="hashing")
    learner.fit(*training(), cb)
    path = learner.save(tmp_path / "qualcode.model.joblib")
    zero = EnsembleCoder(semantic_model="hashing", learned=None)
    trained = EnsembleCoder(learned=str(path))
    assert "zero-shot" in zero.version and "learning-" in trained.version
    props = trained.code([seg("Fewer hires: junior analysts are replaced by automation.")], cb)[0]
    jobs = {p.code_id: p for p in props}["JOBS"]
    assert jobs.applied and "learning" in jobs.votes and jobs.confidence >= 0.5


def test_review_priority_puts_uncertain_and_split_segments_first():
    s = [seg("a", "1"), seg("b", "2"), seg("c", "3")]
    props = [
        [Proposal("JOBS", True, 0.97, [], {"lexicon": 0.97, "semantic": 0.95})],  # sure
        [Proposal("JOBS", True, 0.52, [], {"lexicon": 0.0, "semantic": 0.9})],  # on the fence, split
        [Proposal("JOBS", False, 0.3, [], {"lexicon": 0.3, "semantic": 0.3})],
    ]
    pr = review_priority(s, props)
    assert sorted(range(3), key=lambda i: -pr[i]) == [1, 2, 0]
    assert review_priority([seg("x")], [[]]) == [0.0]
