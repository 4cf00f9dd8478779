"""Agreement statistics: hand-computed examples, scikit-learn and `krippendorff` as references,
and the report built from a project's machine pass and reviewers' decisions."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest
from openpyxl import load_workbook
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from qualcode import Coding, Store
from qualcode.agreement import (
    MEAN,
    POOLED,
    cohen_kappa,
    compute_agreement,
    format_table,
    kappa_band,
    krippendorff_alpha,
    percent_agreement,
    precision_recall_f1,
    write_agreement_workbook,
)
from qualcode.cli import main
from qualcode.store import now
from test_review_support import build_project

# -- pure statistics --------------------------------------------------------------------------

A = [True, True, True, True, False, False, False, False, False, False]
B = [True, True, True, False, True, False, False, False, False, False]


def test_hand_computed_two_coders():
    # 8 of 10 agree; both apply 4 of 10, so chance agreement = .4*.4 + .6*.6 = .52
    assert percent_agreement(A, B) == pytest.approx(0.8)
    assert cohen_kappa(A, B) == pytest.approx((0.8 - 0.52) / (1 - 0.52))  # 0.5833
    # coincidences: TT 6, FF 10, TF = FT 2; n_T 8, n_F 12, n 20 -> 1 - 4 / (2*8*12/19) = 29/48
    assert krippendorff_alpha([A, B]) == pytest.approx(29 / 48)
    # tp 3, fp 1, fn 1
    assert precision_recall_f1(A, B) == pytest.approx((0.75, 0.75, 0.75))


def test_krippendorff_worked_example_with_missing_data():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: 0.743
    n = None
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize("seed", range(20))
def test_against_sklearn_and_krippendorff(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 200)
    p = rng.uniform(0.05, 0.6)
    a = [rng.random() < p for _ in range(n)]
    b = [x if rng.random() < 0.8 else rng.random() < p for x in a]
    if len(set(a)) < 2 or len(set(b)) < 2:
        a[0], b[-1] = not a[0], not b[-1]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert percent_agreement(a, b) == pytest.approx(np.mean(np.array(a) == np.array(b)))
    prec, rec, f1 = precision_recall_f1(a, b)
    if any(b):
        assert prec == pytest.approx(precision_score(a, b))
    if any(a):
        assert rec == pytest.approx(recall_score(a, b))
    assert f1 == pytest.approx(f1_score(a, b))
    ref = krippendorff.alpha(reliability_data=[list(map(int, a)), list(map(int, b))],
                             level_of_measurement="nominal")
    assert krippendorff_alpha([a, b]) == pytest.approx(ref)


@pytest.mark.parametrize("seed", range(10))
def test_alpha_many_coders_missing_data_matches_package(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(3, 5), rng.randint(10, 80)
    truth = [rng.random() < 0.3 for _ in range(units)]
    data = [[(t if rng.random() < 0.85 else not t) if rng.random() < 0.7 else None for t in truth]
            for _ in range(coders)]
    ref = krippendorff.alpha(reliability_data=[[np.nan if v is None else int(v) for v in row] for row in data],
                             level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(ref)


def test_undefined_statistics_are_nan_not_zero_or_one():
    same = [False] * 6
    assert percent_agreement(same, same) == 1.0
    assert math.isnan(cohen_kappa(same, same))
    assert math.isnan(krippendorff_alpha([same, same]))
    assert all(math.isnan(x) for x in precision_recall_f1(same, same))
    assert math.isnan(percent_agreement([], []))
    assert math.isnan(krippendorff_alpha([[True, None], [None, False]]))  # no pairable unit
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa([True], [True, False])


def test_missing_labels_are_left_out_of_pairs():
    assert percent_agreement([True, None, False], [True, True, None]) == 1.0
    assert cohen_kappa([True, False, None], [True, False, True]) == pytest.approx(1.0)


# -- the report from a project ------------------------------------------------------------------

def _decide(st: Store, reviewer: str, labels: dict[tuple[str, str], bool]) -> None:
    st.add_human_codings([Coding(s, c, v, None, [], reviewer, "human", "v", now())
                          for (s, c), v in labels.items()], origin="test")


@pytest.fixture
def project(tmp_path):
    db = build_project(tmp_path / "q.db", n_sources=6, answers=10, seed=3)
    with Store(db) as st:
        segs = [s.id for s in st.segments()]
        mach = st.machine_codings()
        codes = st.codebook().ids
    machine = {(s, c): bool((e := mach.get((s, c))) and e.applied) for s in segs for c in codes}
    return db, segs, codes, machine


def test_machine_vs_reviewer_matches_sklearn(project):
    db, segs, codes, machine = project
    rng = random.Random(1)
    marie = {(s, c): (machine[(s, c)] if rng.random() < 0.75 else rng.random() < 0.4)
             for s in segs[:40] for c in codes if rng.random() < 0.9}
    with Store(db) as st:
        _decide(st, "Marie", marie)
        rep = compute_agreement(st)
    assert rep.reviewers == ["Marie"]
    assert {r.comparison for r in rep.rows} == {"Marie vs machine"}
    for c in codes:
        keys = sorted(k for k in marie if k[1] == c)
        h = [marie[k] for k in keys]
        m = [machine[k] for k in keys]
        row = rep.row("Marie vs machine", c)
        assert row.units == len(keys) and row.applied == (sum(h), sum(m))
        assert row.kappa == pytest.approx(cohen_kappa_score(h, m))
        assert row.f1 == pytest.approx(f1_score(h, m, zero_division=0.0))
    keys = sorted(marie, key=lambda k: (k[1], k[0]))
    pooled = rep.row("Marie vs machine", POOLED)
    assert pooled.units == len(marie)
    assert pooled.kappa == pytest.approx(cohen_kappa_score([marie[k] for k in keys], [machine[k] for k in keys]))
    mean = rep.row("Marie vs machine", MEAN)
    assert mean.kappa == pytest.approx(np.mean([rep.row("Marie vs machine", c).kappa for c in codes]))


def test_reviewers_pairwise_and_all_together(project):
    db, segs, codes, machine = project
    rng = random.Random(2)
    truth = {(s, c): rng.random() < 0.35 for s in segs for c in codes}
    people = {}
    for name in ("Ana", "Bo", "Cy"):
        # each reviews an overlapping window of segments, mostly agreeing with the truth
        lo = {"Ana": 0, "Bo": 10, "Cy": 20}[name]
        people[name] = {(s, c): (v if rng.random() < 0.85 else not v)
                        for (s, c), v in truth.items() if s in segs[lo:lo + 30]}
    with Store(db) as st:
        for name, labels in people.items():
            _decide(st, name, labels)
        rep = compute_agreement(st)
    comps = list(dict.fromkeys(r.comparison for r in rep.rows))
    assert comps == ["Ana vs machine", "Bo vs machine", "Cy vs machine",
                     "reviewers (latest decision) vs machine", "Ana vs Bo", "Ana vs Cy", "Bo vs Cy",
                     "reviewers (3)"]
    both = sorted(k for k in people["Ana"] if k in people["Bo"] and k[1] == "JOBS")
    row = rep.row("Ana vs Bo", "JOBS")
    assert row.units == len(both) == 20
    a = [people["Ana"][k] for k in both]
    b = [people["Bo"][k] for k in both]
    assert row.kappa == pytest.approx(cohen_kappa_score(a, b))
    assert math.isnan(row.precision) and row.f1 == pytest.approx(f1_score(a, b))
    assert rep.row("Ana vs Cy", "DATA").units == 10  # overlap of segments 20-29
    # all three: every unit coded by at least two reviewers, others missing
    keys = sorted({k for p in people.values() for k in p if k[1] == "DATA"})
    keys = [k for k in keys if sum(k in p for p in people.values()) >= 2]
    data = [[np.nan if k not in people[n] else int(people[n][k]) for k in keys] for n in ("Ana", "Bo", "Cy")]
    row3 = rep.row("reviewers (3)", "DATA")
    assert row3.units == len(keys) == 30  # segments 10-39
    assert row3.alpha == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert math.isnan(row3.kappa)


def test_latest_decision_consensus_and_superseded_ignored(project):
    db, segs, codes, machine = project
    s, c = segs[0], "JOBS"
    with Store(db) as st:
        _decide(st, "Ana", {(s, c): True})
        _decide(st, "Ana", {(s, c): False})  # supersedes her first decision
        _decide(st, "Bo", {(s, c): True, (segs[1], c): True})
        rep = compute_agreement(st)
    assert rep.row("Ana vs Bo", c).units == 1 and rep.row("Ana vs Bo", c).percent == 0.0
    cons = rep.row("reviewers (latest decision) vs machine", c)
    assert cons.units == 2 and cons.applied[0] == 2  # Bo decided last on segs[0]
    assert rep.row("Ana vs machine", c).applied[0] == 0


def test_no_reviews_gives_empty_report_and_cli_says_what_to_do(project, capsys):
    db = project[0]
    with Store(db) as st:
        assert compute_agreement(st).rows == []
    assert main(["agreement", "--db", str(db), "--no-workbook"]) == 0
    assert "no reviewed segments yet: run `qualcode review export`" in capsys.readouterr().out


def test_table_workbook_and_cli(project, tmp_path, capsys):
    db, segs, codes, machine = project
    with Store(db) as st:
        _decide(st, "Marie", {(s, c): machine[(s, c)] for s in segs[:10] for c in codes})
        _decide(st, "Marie", {(segs[0], "JOBS"): not machine[(segs[0], "JOBS")]})
        rep = compute_agreement(st)
    text = format_table(rep)
    assert text.splitlines()[0].split()[:3] == ["Comparison", "Code", "Segments"]
    assert "Marie vs machine  ALL (pooled)" in text
    path = write_agreement_workbook(rep, tmp_path / "agreement.xlsx")
    ws = load_workbook(path)["Agreement"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Comparison", "Code", "Label", "Segments")
    jobs = next(r for r in rows if r[1] == "JOBS")
    assert jobs[3] == 10 and jobs[5] == pytest.approx(0.9)
    assert main(["agreement", "--db", str(db), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "Unit: the segment." in out and (tmp_path / "o" / "agreement.xlsx").exists()


def test_french_labels(tmp_path):
    from test_review_support import DATA

    db = build_project(tmp_path / "q.db", codebook=DATA / "mini_fr.yaml")
    with Store(db) as st:
        seg = st.segments()[0].id
        _decide(st, "Marie", {(seg, "JOBS"): True})
        rep = compute_agreement(st)
    assert rep.rows[0].comparison == "Marie vs machine" and rep.rows[0].label == "Menace sur l'emploi"
    assert "Unité : le segment." in rep.notes[0]


def test_coding_comparison_workbook_counts_bands_interviews_and_disputes(project, tmp_path):
    """NVivo's coding comparison: per code, A without B and B without A; kappa in Landis and Koch
    bands; the same per interview; every disputed segment with both decisions and memos."""
    db, segs, codes, machine = project
    with Store(db) as st:
        # Ana and Bo label JOBS on the same 10 segments, with the labels A and B above:
        # 3 both, 1 Ana only (segs[3]), 1 Bo only (segs[4]), 5 neither; kappa 0.5833 -> moderate
        st.add_human_codings([Coding(s, "JOBS", a, None, [], "Ana", "human", "v", now(), None,
                                     "trop vague" if k == 3 else "") for k, (s, a) in enumerate(zip(segs, A))],
                             origin="test")
        _decide(st, "Bo", {(s, "JOBS"): b for s, b in zip(segs, B)})
        rep = compute_agreement(st)
        src = {s.id: s.source_id for s in st.segments()}
    row = rep.row("Ana vs Bo", "JOBS")
    assert (row.both, row.only_first, row.only_second, row.neither) == (3, 1, 1, 5)
    assert kappa_band(row.kappa, "fr") == "modéré" and kappa_band(-0.52, "fr") == "désaccord"
    assert kappa_band(0.85, "en") == "almost perfect"
    disputes = [d for d in rep.disputes if d.comparison == "Ana vs Bo"]
    assert [(d.segment_id, d.first, d.second, d.first_memo) for d in disputes] == [
        (segs[3], True, False, "trop vague"), (segs[4], False, True, "")]
    per = {i.source_id: i for i in rep.interviews if i.comparison == "Ana vs Bo"}
    assert sum(i.units for i in per.values()) == 10 and sum(i.agreements for i in per.values()) == 8
    assert per[src[segs[3]]].only_first == 1

    path = write_agreement_workbook(rep, tmp_path / "agreement.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Agreement", "By interview", "Disagreements", "Notes"]
    ws = wb["Agreement"]
    header = [c.value for c in ws[1]]
    jobs = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "Ana vs Bo" and r[1] == "JOBS")
    assert jobs[header.index("1st without 2nd")] == 1 and jobs[header.index("2nd without 1st")] == 1
    assert jobs[header.index("Strength (Landis and Koch)")] == "moderate"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == 6  # one colour band per Landis and Koch level
    dis = wb["Disagreements"]
    rows = [r for r in dis.iter_rows(min_row=2, values_only=True) if r[0] == "Ana vs Bo"]
    head = [c.value for c in dis[1]]
    assert [(r[head.index("Segment")], r[head.index("1st coder's decision")], r[head.index("1st coder's memo")])
            for r in rows] == [(segs[3], "yes", "trop vague"), (segs[4], "no", None)]
