from __future__ import annotations

import json
import math

import pytest

from _coder_fixtures import CODEBOOK_YAML, codebook
from qualcode.cli import main
from qualcode.coders import get_coder
from qualcode.errors import ConfigError
from qualcode.evaluate import evaluate, load_gold, score, split_by_interview
from qualcode.stats import binary_kappa as cohen_kappa

UNITS = [
    {"unit_id": "a#1", "text": "There were layoffs in my team.", "codes": ["JOBS"]},
    {"unit_id": "a#3", "text": "I never share client data, GDPR is strict.", "codes": ["DATA"]},
    {"unit_id": "b#1", "text": "It drafts my emails.", "codes": []},
    {"unit_id": "b#3", "text": "Honestly I worry about what comes next.", "codes": ["JOBS"],
     "question": "Do you worry about your job?"},
]


@pytest.fixture
def gold(tmp_path):
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(json.dumps(u) for u in UNITS) + "\n", encoding="utf-8")
    return p


def test_kappa_matches_the_textbook_values():
    # 2x2 table from Cohen (1960)-style example: po = 0.7, pe = 0.5 -> 0.4
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.4)
    assert math.isnan(cohen_kappa(0, 0, 0, 10))  # both say never: undefined, shown as n/a
    assert cohen_kappa(0, 2, 0, 8) == 0.0


def test_score_counts_per_code():
    s = {c.code_id: c for c in score([{"A"}, {"A", "B"}, set()], [{"A"}, {"B"}, {"A"}], ["A", "B"])}
    assert (s["A"].tp, s["A"].fp, s["A"].fn, s["A"].tn) == (1, 1, 1, 0)
    assert s["B"].precision == 1.0 and s["B"].recall == 1.0 and s["B"].kappa == 1.0


def test_load_gold_names_line_and_field(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"unit_id": "a", "text": "x", "codes": []}\n{"unit_id": "b", "text": "y"}\n')
    with pytest.raises(ConfigError, match=r"bad.jsonl, line 2: field 'codes' must be a list of code ids"):
        load_gold(p)
    p.write_text('{"unit_id": "a", "text": "x", "codes": []}\nnot json\n')
    with pytest.raises(ConfigError, match=r"line 2: not valid JSON"):
        load_gold(p)
    p.write_text('{"unit_id": "a", "text": "x", "codes": []}\n{"unit_id": "a", "text": "x", "codes": []}\n')
    with pytest.raises(ConfigError, match="unit_id 'a' appears twice"):
        load_gold(p)


def test_split_by_interview_never_shares_an_interview(gold):
    units = load_gold(gold)
    train, test = split_by_interview(units)
    assert {u.transcript_id for u in train}.isdisjoint({u.transcript_id for u in test})
    assert len(train) + len(test) == len(units) and train and test
    assert split_by_interview(list(reversed(units)))[0] == sorted(train, key=lambda u: -units.index(u))


def test_evaluate_lexicon_scores_and_lists_mistakes(gold):
    rep = evaluate(get_coder("lexicon"), load_gold(gold), codebook(), language="en")
    jobs = {s.code_id: s for s in rep.per_code}["JOBS"]
    assert (jobs.tp, jobs.fn) == (1, 1)  # b#3 has no cue, written or borrowed from JOBS's texts
    assert rep.errors == [{"unit_id": "b#3", "missed": ["JOBS"], "extra": [], "evidence": {}}]
    assert rep.macro["kappa"] == pytest.approx((cohen_kappa(1, 0, 1, 2) + 1.0) / 2)
    assert rep.units == 4


def test_evaluate_times_the_coding(gold):
    """``seconds`` is the time spent coding: a coder that takes 0.2 s more is timed 0.2 s more."""
    import time

    from qualcode.coders.lexicon import LexiconCoder

    class Slow(LexiconCoder):
        def code(self, segments, codebook, progress=None):
            time.sleep(0.2)
            return super().code(segments, codebook, progress)

    units = load_gold(gold)
    fast = evaluate(get_coder("lexicon"), units, codebook(), language="en")
    slow = evaluate(Slow(), units, codebook(), language="en")
    assert slow.seconds >= 0.2 and slow.seconds > fast.seconds


def test_unknown_gold_code_is_reported(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text('{"unit_id": "a#1", "text": "x", "codes": ["NOPE"]}\n')
    with pytest.raises(ConfigError, match="unit a#1 has code\\(s\\) NOPE that codebook tiny does not define"):
        evaluate(get_coder("lexicon"), load_gold(p), codebook())


def test_cli_eval_prints_table_and_json(gold, tmp_path, capsys):
    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "lexicon", "--language", "en",
                 "--errors", "5"]) == 0
    out = capsys.readouterr().out
    assert "JOBS" in out and "macro" in out and "b#3: missed JOBS" in out
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "lexicon", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["units"] == 4 and {c["code_id"] for c in data["per_code"]} == {"JOBS", "DATA"}
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "lexicon", "--train-half"]) == 2
    assert "does not learn from examples" in capsys.readouterr().err


def test_cli_eval_train_half_trains_the_learning_part(gold, tmp_path, capsys):
    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "ensemble", "--train-half",
                 "--set", "semantic_model=hashing", "--set", "learned=null", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["train_units"] + data["units"] == 4 and data["train_units"] > 0


@pytest.mark.slow
def test_dev_gold_lexicon_baseline(shared_data):
    from qualcode.codebook import default_codebook_path, load_codebook

    if not default_codebook_path().exists():
        pytest.skip("the default codebook is not there")
    rep = evaluate(get_coder("lexicon"), load_gold(shared_data / "gold-dev" / "units.jsonl"), load_codebook())
    assert rep.units == 233 and rep.macro["kappa"] > 0.3


@pytest.mark.slow
def test_dev_gold_default_ensemble_zero_shot_and_trained_on_half(shared_data, tmp_path, monkeypatch):
    """The issue's goals on the development gold: zero-shot macro kappa >= 0.6; training on
    half of the interviews must not make the other half worse than zero-shot."""
    from qualcode.codebook import default_codebook_path, load_codebook

    if not default_codebook_path().exists():
        pytest.skip("the default codebook is not there")
    monkeypatch.chdir(tmp_path)  # no stray trained model is picked up
    cb = load_codebook(default_codebook_path())
    units = load_gold(shared_data / "gold-dev" / "units.jsonl")
    train, test = split_by_interview(units, 0)
    z_half = evaluate(get_coder("ensemble", learned=None), test, cb)
    assert z_half.macro["kappa"] >= 0.6
    trained = evaluate(get_coder("ensemble", learned=None), test, cb, train=train)
    assert trained.macro["kappa"] >= z_half.macro["kappa"] - 0.02


def test_tables_speak_french_with_a_decimal_comma():
    from qualcode.evaluate import CodeScores, Curve, CurvePoint, EvalReport, macro

    cs = [CodeScores("jobs", 5, 4, 3, 1, 2, 10, 0.75, 0.6, 0.666, 0.5, (0.1, 0.9)),
          CodeScores("privacy", 0, 0, 0, 0, 0, 16, 1.0, 1.0, 0.0, math.nan)]
    rep = EvalReport("lexicon", "1", "1", 16, cs, macro(cs), 0.1, macro_ci=(0.2, 0.7))
    fr = rep.table("fr").splitlines()
    assert fr[0].split() == ["code", "réf.", "prédit", "préc.", "rappel", "F1", "kappa", "intervalle", "à", "95", "%"]
    assert fr[2].split() == ["jobs", "5", "4", "0,75", "0,60", "0,67", "0,50", "[0,10", ";", "0,90]"]
    assert "n.d." in fr[3] and fr[-1].startswith("macro ")
    assert rep.table().splitlines()[0] == ("code                    gold  pred   prec  recall     F1   kappa"
                                           "  95 % interval  ")  # English as it always was
    assert rep.table("en") == rep.table()
    curve = Curve("ensemble", "g", 3, 16, [CurvePoint("random", 0, 0.1, (0.0, 0.2))])
    assert curve.table("fr").splitlines()[0].split()[:3] == ["relus", "au", "hasard"]
    assert curve.table().splitlines()[0] == " reviewed  random                  active (uncertain first)"
