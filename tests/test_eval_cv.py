"""Honest measurement: cross-validation by interview, bootstrap intervals, learning curves."""

from __future__ import annotations

import json
import math
import random

import pytest

from _coder_fixtures import codebook
from qualcode.cli import main
from qualcode.coders import get_coder
from qualcode.evaluate import (
    GoldUnit,
    bootstrap_macro,
    cross_validate,
    evaluate,
    learning_curve,
    plot_curve,
    score,
)
from qualcode.model import Proposal
from qualcode.stats import binary_kappa

TEXTS = [("There were layoffs in my team.", ["JOBS"]),
         ("I never share client data, GDPR is strict.", ["DATA"]),
         ("It drafts my emails.", []),
         ("Machines replace junior analysts here.", ["JOBS"]),
         ("Our client data stays on the server.", ["DATA"]),
         ("I like the weather today.", [])]


def _units(n_interviews: int = 12) -> list[GoldUnit]:
    out = []
    for t in range(n_interviews):
        for k, (text, codes) in enumerate(TEXTS):
            if (t + k) % 3 == 0 and codes:  # vary the interviews a little
                text = text.replace(".", ", honestly.")
            out.append(GoldUnit(f"i{t:02d}#{k}", text, list(codes), "", f"i{t:02d}", "en"))
    return out


class Spy:
    """A learning coder that records what it trained on and what it was asked to code."""

    name = "spy"
    version = "spy-1"

    def __init__(self, log: list):
        self.log = log
        self.trained_on: set[str] = set()

    def fit(self, segments, labels, codebook, progress=None):
        self.trained_on = {s.source_id for s in segments}
        self.trained_units = frozenset(s.id for s in segments)
        self.log.append(("fit", len(segments), frozenset(self.trained_on)))

    def code(self, segments, codebook, progress=None):
        self.log.append(("code", frozenset(s.source_id for s in segments), frozenset(self.trained_on),
                         frozenset(s.id for s in segments), getattr(self, "trained_units", frozenset())))
        out = []
        for s in segments:
            conf = 0.5 if "honestly" in s.text else 0.95  # unsure about the varied answers
            out.append([Proposal("JOBS", "layoffs" in s.text, conf)])
        return out


def test_a_code_nobody_applies_has_no_kappa_and_macro_skips_it():
    s = {c.code_id: c for c in score([{"A"}, set(), set()], [{"A"}, set(), set()], ["A", "B"])}
    assert s["A"].kappa == 1.0
    assert math.isnan(s["B"].kappa)  # undefined, not a flattering 1.0
    assert math.isnan(binary_kappa(0, 0, 0, 10))
    assert binary_kappa(20, 5, 10, 15) == pytest.approx(0.4)  # po 0.7, pe 0.5


def test_cross_validation_never_scores_an_interview_that_trained_anything():
    log: list = []
    units = _units()
    rep = cross_validate(lambda: Spy(log), units, codebook(), folds=4, seed=3)
    fits = [e for e in log if e[0] == "fit"]
    codes = [e for e in log if e[0] == "code"]
    assert len(fits) == 4 and len(codes) == 4
    scored: list[str] = []
    for _, coded, trained, *_ in codes:
        assert coded and trained and coded.isdisjoint(trained)
        scored += coded
    assert sorted(scored) == sorted({u.transcript_id for u in units})  # each interview once
    assert rep.units == len(units) and rep.folds == 4 and rep.interviews == 12


def test_bootstrap_interval_over_interviews():
    units = _units()
    gold = [set(u.codes) for u in units]
    perfect = bootstrap_macro(gold, gold, [u.transcript_id for u in units], ["JOBS", "DATA"], n=200)
    assert perfect.macro == (1.0, 1.0)
    noisy = [set() if i % 7 == 0 else g for i, g in enumerate(gold)]
    ci = bootstrap_macro(gold, noisy, [u.transcript_id for u in units], ["JOBS", "DATA"], n=300, seed=1)
    point = sum(c.kappa for c in score(gold, noisy, ["JOBS", "DATA"])) / 2
    assert ci.macro[0] < point < ci.macro[1] <= 1.0
    # resampling interviews, not answers: a one-interview file has no interval width
    one = [u for u in units if u.transcript_id == "i00"]
    g1 = [set(u.codes) for u in one]
    n1 = [set() if i == 0 else g for i, g in enumerate(g1)]
    single = bootstrap_macro(g1, n1, ["i00"] * len(one), ["JOBS", "DATA"], n=50)
    assert single.macro[0] == single.macro[1]


def test_evaluate_reports_an_interval():
    rep = evaluate(get_coder("lexicon"), _units(), codebook(), language="en")
    lo, hi = rep.macro_ci
    assert lo <= rep.macro["kappa"] <= hi
    assert all(c.kappa_ci[0] <= c.kappa <= c.kappa_ci[1] for c in rep.per_code)


def test_learning_curve_trains_on_reviewed_answers_only_and_orders_actively(tmp_path):
    log: list = []
    units = _units()
    curve = learning_curve(lambda: Spy(log), units, codebook(), sizes=(0, 6, 12, 200), folds=3, seed=0)
    assert [p.reviewed for p in curve.points if p.order == "random"] == [0, 6, 12, 48]  # capped at the pool
    assert {p.order for p in curve.points} == {"random", "active"}
    from qualcode.evaluate import interview_folds

    held_out = [frozenset(units[i].transcript_id for i in part) for part in interview_folds(units, 3, 0)]
    scoring = [e for e in log if e[0] == "code" and e[1] in held_out]
    assert len(scoring) == 2 * 4 * 3  # orders x sizes x folds
    for e in scoring:  # a held-out fold is scored by a model that never saw its interviews
        assert e[1].isdisjoint(e[2])
    for e in log:  # the active order ranks answers not yet reviewed
        if e[0] == "code":
            assert e[3].isdisjoint(e[4])
    sizes = sorted({e[1] for e in log if e[0] == "fit"})
    assert sizes == [6, 12, 48]
    # active order: the first answers reviewed are those the coder was least sure of
    first_active = [e for e in log if e[0] == "fit" and e[1] == 6]
    assert len(first_active) == 6  # 3 folds x 2 orders
    png = plot_curve(curve, tmp_path / "curve.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_active_order_picks_uncertain_answers_first():
    from qualcode.evaluate import active_order

    units = _units(3)
    order = active_order(Spy([]), units, codebook(), batch=4, rng=random.Random(0))
    assert all("honestly" in units[i].text for i in order[:4])


def test_cli_eval_cross_validates_and_plots(tmp_path, capsys):
    from _coder_fixtures import CODEBOOK_YAML

    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps({"unit_id": u.unit_id, "text": u.text, "codes": u.codes,
                                          "transcript_id": u.transcript_id}) for u in _units()) + "\n")
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "lexicon", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "95 %" in out and "12 interviews" in out
    png = tmp_path / "c.png"
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "learning", "--language", "en",
                 "--set", "semantic_model=hashing", "--curve", "--curve-sizes", "0,12",
                 "--folds", "3", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "random" in out and "active" in out and png.exists()


def test_cli_cv_says_which_codes_are_learned_from_how_many(tmp_path, capsys):
    from _coder_fixtures import CODEBOOK_YAML

    cbp = tmp_path / "cb.yaml"
    cbp.write_text(CODEBOOK_YAML, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    units = _units()
    units[0].codes = []  # JOBS keeps many positives; DATA too; both are listed
    gold.write_text("\n".join(json.dumps({"unit_id": u.unit_id, "text": u.text, "codes": u.codes,
                                          "transcript_id": u.transcript_id}) for u in units) + "\n")
    assert main(["eval", str(gold), "--codebook", str(cbp), "--coder", "learning", "--language", "en",
                 "--set", "semantic_model=hashing", "--cv", "--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "cross-validated by interview in 3 parts" in out
    learned = out.split("learned:")[1]
    assert "JOBS" in learned and "DATA" in learned and "coded per fold" in learned
