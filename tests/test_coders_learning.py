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


def test_untrained_learning_coder_codes_by_the_codebook_rule():
    props = LearningCoder(semantic_model="hashing").code([seg("There were layoffs in my team.")], codebook())[0]
    jobs = {p.code_id: p for p in props}["JOBS"]
    assert jobs.applied and "layoffs" in " ".join(jobs.evidence)
    with pytest.raises(CoderError, match="no trained model here; run `qualcode train` first"):
        LearningCoder(model="/nonexistent/model.joblib")


def test_fit_learns_codes_with_enough_positives_and_records_provenance(tmp_path):
    cb = codebook()
    coder = LearningCoder(semantic_model="hashing")
    segs, labels = training()
    prov = coder.fit(segs, labels, cb, sources=["gold:test"])
    assert set(coder.models) == {"JOBS", "DATA"}  # never dropped: DATA keeps the codebook's rule
    assert coder.models["DATA"].kind == "zero-shot" and coder.models["DATA"].positives == 0
    assert prov.round == 1 and prov.positives == {"JOBS": 6, "DATA": 0} and prov.n_segments == 14
    test = [seg("Machines will replace analysts and cut jobs.", "n#1"), seg("It drafts my emails.", "n#2")]
    props = coder.code(test, cb)
    jobs = {p.code_id: p for p in props[0]}["JOBS"]
    other = {p.code_id: p for p in props[1]}.get("JOBS")
    assert jobs.applied and (other is None or not other.applied)
    assert any("6 coded / 8 not coded" in e for e in jobs.evidence)
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
    assert any(e.startswith("lexicon words: layoffs") for e in jobs.evidence)
    assert any(e.startswith("close to the codebook") for e in jobs.evidence)


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


def test_codes_with_few_positives_fall_back_to_the_codebook_and_say_so():
    cb = codebook()
    segs, labels = training()
    segs.append(seg("Our GDPR audit found client data in chat logs.", "d#1", source="src9"))
    labels.append({"DATA"})
    coder = LearningCoder(semantic_model="hashing")
    coder.fit(segs, labels, cb)
    summary = coder.learned_summary(cb)
    assert set(summary) == {"JOBS", "DATA"}
    assert "1 coded" in summary["DATA"] and "codebook" in summary["DATA"]
    assert "6 coded" in summary["JOBS"]
    # 6 positives: enough to tune a threshold, too few to try a learned model, and it says so
    assert "no learned model tried: it needs 10 coded answers from 5 interviews" in summary["JOBS"]
    props = {p.code_id: p for p in coder.code([seg("GDPR is strict here.", "n#1")], cb)[0]}
    assert props["DATA"].applied  # the zero-shot rule still proposes it
    # codebook examples are borrowed as learned passages for every code
    assert any("confidential client data" in t for t in coder.protos["DATA"]["pos"])


def test_learned_explanation_names_the_strongest_cues_in_the_codebook_language():
    from qualcode.coders.learning import FEATURES, CodeModel

    coder = LearningCoder(semantic_model="hashing")
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("lexicon")] = 2.0
    coef[FEATURES.index("like_neg")] = -1.0
    coder.models["JOBS"] = CodeModel("regression", [0.0] * len(FEATURES), [1.0] * len(FEATURES), coef,
                                     0.0, 0.5, 9, 20, 0.7)
    fr = " ".join(coder.explain("JOBS", "fr"))
    en = " ".join(coder.explain("JOBS", "en"))
    assert "9 codés" in fr and "mots du lexique" in fr and "lexicon" not in fr
    assert "9 coded" in en and "lexicon words" in en


def test_learned_meaning_carries_to_the_other_language_of_the_codebook():
    # English answers (static English embedder) also teach the multilingual space French uses
    cb = codebook()
    coder = LearningCoder(semantic=__import__("qualcode.coders.semantic", fromlist=["x"]).SemanticCoder(
        model="auto", french_model="hashing", meaning_model=None))
    coder.fit(*training(), cb)
    from qualcode.coders import embed

    assert set(coder.clf) == {embed.get_embedder("static").id, embed.get_embedder("hashing").id}
    props = coder.code([seg("Les machines vont remplacer les analystes juniors.", lang="fr")], cb)[0]
    assert {p.code_id for p in props} <= {"JOBS", "DATA"}


def test_a_learned_rule_must_win_surely_not_by_luck():
    # 20 interviews of 10 answers, 2 positives each: hand-built predictions, not the learner's
    from qualcode.coders.learning import _wins

    groups = np.repeat(np.arange(20), 10)
    y = np.zeros(200, bool)
    y[::5] = True
    old = y.copy()
    old[::10] = False  # the codebook rule misses half the positives, everywhere
    assert _wins(y.copy(), old, y, groups)  # perfect everywhere: a sure win
    assert not _wins(old.copy(), old, y, groups)  # the same predictions: no win
    lucky = old.copy()
    lucky[:10] = y[:10]  # better in one interview only: +0.04 kappa, within noise
    assert not _wins(lucky, old, y, groups)


def test_a_win_carried_by_one_interview_is_not_sure():
    # kappa 0.50 -> 0.70 overall (hand-computed), but all of it from interview 0, which a
    # resample of the 20 interviews leaves out about a third of the time: not replaced
    from qualcode.coders.learning import _wins

    groups = np.repeat(np.arange(20), 10)
    y = np.zeros(200, bool)
    y[::5] = True
    y[:10] = True
    old = y.copy()
    old[::10] = False
    old[:10] = False
    new = old.copy()
    new[:10] = True
    assert not _wins(new, old, y, groups)


def _separable(positive_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """20 interviews of 10 answers; one cue separates the positives, the zero-shot rule is blind."""
    from qualcode.coders.learning import FEATURES

    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(20), 10)
    y = np.zeros(200, bool)
    y[positive_rows] = True
    X = rng.normal(0, 0.05, (200, len(FEATURES)))
    X[:, 0] = 0.1  # the codebook's rule never fires
    X[:, 3] = y + rng.normal(0, 0.05, 200)  # the semantic cue knows
    return X, y, groups


@pytest.mark.parametrize("rows, kind", [
    (np.arange(0, 200, 10), "regression"),  # 20 positives, one in each of the 20 interviews
    (np.r_[0:4, 10:14, 20:24], "zero-shot"),  # 12 positives, but in 3 interviews only
    (np.arange(0, 80, 10), "zero-shot"),  # 8 positives in 8 interviews: too few for 9 weights
])
def test_a_regression_needs_enough_positives_from_enough_interviews(rows, kind):
    # What was seen (issue 9): 8 positives in a few interviews gave a regression that won the
    # inner cross-validation and lost 0.7 kappa on the other half of the interviews.
    from qualcode.coders.learning import _fit_code

    X, y, groups = _separable(rows)
    assert _fit_code(X, y, groups, 0.5).kind == kind


def test_an_answer_without_its_question_gets_the_training_answers_usual_question_cue(tmp_path):
    # What was seen: trained on answers with their questions and applied to answers without
    # (French translations, new interviews), the model proposed far less (0.24 against 0.36):
    # the missing question scored 0, a value no training answer had.
    import dataclasses

    cb = codebook()
    coder = LearningCoder(semantic_model="hashing")
    segs, labels = training()
    asks = ["Do you fear for your job?", "How do you store client files?", "Any layoffs around you?"]
    segs = [dataclasses.replace(s, question=asks[k % 3]) for k, s in enumerate(segs)]
    coder.fit(segs, labels, cb)
    X = coder.features(segs, cb)
    expected = X[:, :, 5].mean(0)  # the training answers' mean question cue, per code
    assert coder.question_fill == pytest.approx(expected.tolist(), abs=1e-6)
    bare = [dataclasses.replace(segs[0], question="")]
    Xb = coder.features(bare, cb)
    assert Xb[0, :, 5].tolist() == [0.0, 0.0]  # what the semantic pass gives an empty question
    coder._fill_question(Xb, np.array([False]))
    assert Xb[0, :, 5] == pytest.approx(expected, abs=1e-6)
    back = LearningCoder(model=str(coder.save(tmp_path / "m.joblib")))
    assert back.question_fill == pytest.approx(coder.question_fill)
