"""Measure a coder against reference ("gold") codes, so that every change is judged by numbers.

A gold file is JSON Lines (:mod:`qualcode.coders.gold`, which ``qualcode train`` reads too).
:func:`evaluate` codes the units with a
coder and reports, per code and macro-averaged, precision, recall, F1 and Cohen's kappa,
the agreement statistic qualitative researchers report between two human coders.

Learning coders (those with a ``fit`` method) are trained on another gold file, or by
cross-validation *by interview* (:func:`cross_validate`): no answer of a scored interview
ever trains anything, since answers of one speaker resemble each other far more than
answers of two. Every figure comes with a 95 % interval from a bootstrap over interviews
(:func:`bootstrap_macro`): a kappa from 40 interviews is a range, not a number.
:func:`learning_curve` shows what each round of review buys: kappa after 0, 25, 50...
reviewed answers, in random order and in the active order the review export proposes.

Kappa is :mod:`qualcode.stats`' (the agreement report's): undefined ("n/a", ``nan``) for a
code neither side ever applies, and macro figures average the codes where it is defined.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._i18n import number, tr
from .codebook import Codebook
from .coders.base import Coder
from .coders.gold import GoldUnit, check_codes, gold_segments, load_gold
from .errors import ConfigError
from .model import Progress, Proposal
from .stats import binary_kappa, mean_defined

__all__ = ["GoldUnit", "load_gold", "check_codes", "gold_segments", "CodeScores", "EvalReport", "evaluate",
           "score", "macro", "split_by_interview", "interview_folds", "bootstrap_macro", "Intervals",
           "cross_validate", "active_order", "learning_curve", "Curve", "CurvePoint", "plot_curve",
           "curve_from_dict"]

CI_LEVEL = 0.95
BOOTSTRAP = 1000  # resamples of interviews for each interval
CURVE_SIZES = (0, 25, 50, 100, 200)



@dataclass
class CodeScores:
    """Agreement between a coder and the gold codes on one code."""

    code_id: str
    support: int  # gold positives
    predicted: int  # coder positives
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    f1: float
    kappa: float  # nan when undefined (neither side ever applies the code)
    kappa_ci: tuple[float, float] = (math.nan, math.nan)


@dataclass
class EvalReport:
    """What :func:`evaluate` measured; ``macro`` averages the per-code figures over all codes."""

    coder: str
    coder_version: str
    codebook_version: str
    units: int
    per_code: list[CodeScores]
    macro: dict[str, float]
    seconds: float  # time spent coding the evaluated units
    train_units: int = 0
    train_seconds: float = 0.0
    gold: str = ""
    train: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)  # per-unit mistakes, for inspection
    macro_ci: tuple[float, float] = (math.nan, math.nan)  # 95 % bootstrap interval of macro kappa
    interviews: int = 0
    folds: int = 0  # > 0: cross-validated by interview, training on the other folds each time
    learned: dict[str, str] = field(default_factory=dict)  # code -> what the coder learned, in words

    @property
    def units_per_second(self) -> float:
        return self.units / self.seconds if self.seconds > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["units_per_second"] = round(self.units_per_second, 2)
        return d

    def table(self, lang: str = "en") -> str:
        """A plain-text table of the figures, as the CLI prints it, with headers in ``lang``."""
        names = [tr(f"eval.{k}", lang) for k in ("code", "gold", "pred", "prec", "recall", "f1", "kappa")]
        widths = [max(w, len(n) + 1) for w, n in zip((22, 6, 6, 7, 8, 7, 8), names, strict=True)]
        wc, wg, wp, wpr, wr, wf, wk = widths
        head = (f"{names[0]:<{wc}}" + "".join(f"{n:>{w}}" for n, w in zip(names[1:], widths[1:], strict=True))
                + f"  {tr('eval.interval', lang):<15}")
        lines = [head, "-" * len(head)]
        for s in self.per_code:
            lines.append(f"{s.code_id:<{wc}}{s.support:>{wg}}{s.predicted:>{wp}}{_fig(s.precision, lang):>{wpr}}"
                         f"{_fig(s.recall, lang):>{wr}}{_fig(s.f1, lang):>{wf}}{_num(s.kappa, lang):>{wk}}"
                         f"  {_ci(s.kappa_ci, lang)}")
        m = self.macro
        lines.append("-" * len(head))
        lines.append(f"{tr('eval.macro', lang):<{wc}}{'':>{wg}}{'':>{wp}}{_fig(m['precision'], lang):>{wpr}}"
                     f"{_fig(m['recall'], lang):>{wr}}{_fig(m['f1'], lang):>{wf}}{_num(m['kappa'], lang):>{wk}}"
                     f"  {_ci(self.macro_ci, lang)}")
        return "\n".join(lines)


def _fig(x: float, lang: str = "en") -> str:
    return number(x, lang, 2)


def _num(x: float, lang: str = "en") -> str:
    return tr("number.na", lang) if math.isnan(x) else number(x, lang, 2)


def _ci(ci: tuple[float, float], lang: str = "en") -> str:
    if any(math.isnan(v) for v in ci):
        return ""
    return tr("eval.ci", lang, low=number(ci[0], lang, 2), high=number(ci[1], lang, 2))


def split_by_interview(units: Sequence[GoldUnit], seed: int = 0) -> tuple[list[GoldUnit], list[GoldUnit]]:
    """Two halves with no interview in both: (train, test).

    Interviews are ordered by a hash of their id and ``seed`` and dealt alternately, so the
    split is reproducible and independent of the file's order. ``seed`` 1 swaps nothing but
    gives a different deal; training on one half and evaluating on the other never lets a
    model see the speaker it is scored on.
    """
    ids = sorted({u.transcript_id for u in units},
                 key=lambda t: hashlib.sha1(f"{seed}:{t}".encode()).hexdigest())
    first = set(ids[0::2])
    return ([u for u in units if u.transcript_id in first],
            [u for u in units if u.transcript_id not in first])


def score(gold: Sequence[set[str]], pred: Sequence[set[str]], code_ids: Sequence[str]) -> list[CodeScores]:
    """Per-code precision, recall, F1 and Cohen's kappa of ``pred`` against ``gold``."""
    out = []
    n = len(gold)
    for c in code_ids:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c not in p)
        tn = n - tp - fp - fn
        prec = tp / (tp + fp) if tp + fp else (1.0 if tp + fn == 0 else 0.0)
        rec = tp / (tp + fn) if tp + fn else (1.0 if tp + fp == 0 else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append(CodeScores(c, tp + fn, tp + fp, tp, fp, fn, tn, prec, rec, f1, binary_kappa(tp, fp, fn, tn)))
    return out


def macro(scores: Sequence[CodeScores]) -> dict[str, float]:
    """Mean of each figure over codes; kappa over the codes where it is defined."""
    k = len(scores) or 1
    out = {m: sum(getattr(s, m) for s in scores) / k for m in ("precision", "recall", "f1")}
    out["kappa"] = mean_defined([s.kappa for s in scores])
    return out


@dataclass
class Intervals:
    """95 % bootstrap intervals: per code and for the macro kappa."""

    per_code: dict[str, tuple[float, float]]
    macro: tuple[float, float]


def bootstrap_macro(gold: Sequence[set[str]], pred: Sequence[set[str]], groups: Sequence[str],
                    code_ids: Sequence[str], n: int = BOOTSTRAP, seed: int = 0,
                    level: float = CI_LEVEL) -> Intervals:
    """Percentile intervals of per-code and macro kappa, resampling whole interviews.

    Answers of one interview are not independent (one speaker, one topic), so the resampled
    unit is the interview (``groups``): each draw takes as many interviews as there are, with
    replacement, and pools their answers.
    """
    ids = sorted(set(groups))
    gi = {g: i for i, g in enumerate(ids)}
    # counts[interview, code] = (tp, fp, fn, tn)
    counts = np.zeros((len(ids), len(code_ids), 4), np.int64)
    for g, p, grp in zip(gold, pred, groups, strict=True):
        r = gi[grp]
        for j, c in enumerate(code_ids):
            counts[r, j, (0 if c in p else 2) if c in g else (1 if c in p else 3)] += 1
    rng = np.random.default_rng(seed)
    W = rng.multinomial(len(ids), [1 / len(ids)] * len(ids), size=n)  # (n, interviews) multiplicities
    T = np.einsum("bi,ijk->bjk", W, counts).astype(np.float64)  # (n, codes, 4)
    tp, fp, fn, tn = T[..., 0], T[..., 1], T[..., 2], T[..., 3]
    tot = T.sum(-1)
    po = (tp + tn) / tot
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (tot * tot)
    with np.errstate(invalid="ignore", divide="ignore"):
        K = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)  # same convention as qualcode.stats
    a = (1 - level) / 2

    def q(x: np.ndarray) -> tuple[float, float]:
        x = x[~np.isnan(x)]
        if not len(x):
            return (math.nan, math.nan)
        return (round(float(np.quantile(x, a)), 4), round(float(np.quantile(x, 1 - a)), 4))

    with warnings.catch_warnings():  # a draw where no code is defined has no macro: skipped
        warnings.simplefilter("ignore", RuntimeWarning)
        M = np.nanmean(K, axis=1)
    return Intervals({c: q(K[:, j]) for j, c in enumerate(code_ids)}, q(M))


def evaluate(coder: Coder, units: Sequence[GoldUnit], codebook: Codebook,
             train: Sequence[GoldUnit] | None = None, language: str | None = None,
             progress: Progress | None = None, gold_name: str = "", train_name: str = "") -> EvalReport:
    """Code ``units`` with ``coder`` (after training it on ``train`` when it learns) and score it.

    ``train`` must not share an interview with ``units``: a model scored on the speakers it
    learned from reports agreement it will not have on new interviews.
    """
    check_codes(units, codebook, gold_name or "gold")
    train_s = 0.0
    if train:
        check_codes(train, codebook, train_name or "train")
        shared = sorted({u.transcript_id for u in train} & {u.transcript_id for u in units})
        if shared:
            raise ConfigError(f"{train_name or 'train'} and {gold_name or 'gold'} share {len(shared)} "
                              f"interview(s) ({', '.join(shared[:5])}): scoring answers of interviews the "
                              "model learned from overstates it; split by interview (cross-validation "
                              "by interview is what qualcode eval does without a training file)")
        train_s = _fit(coder, train, codebook, language, progress)
    segs = gold_segments(units, language)
    t0 = time.perf_counter()
    proposals = coder.code(segs, codebook, progress)
    seconds = time.perf_counter() - t0
    rep = _report(coder, units, proposals, codebook, seconds, gold_name)
    rep.train_units, rep.train_seconds, rep.train = len(train or []), train_s, train_name
    rep.learned = {c: _describe([r]) for c, r in _learned(coder, codebook).items()} if train else {}
    return rep


def _fit(coder: Coder, train: Sequence[GoldUnit], codebook: Codebook, language: str | None,
         progress: Progress | None) -> float:
    fit = getattr(coder, "fit", None)
    if fit is None:
        raise ConfigError(f"coder {coder.name!r} does not learn from examples, so training has no "
                          "effect; use a learning coder (e.g. the learning or ensemble coder)")
    t0 = time.perf_counter()
    fit(gold_segments(train, language), [set(u.codes) for u in train], codebook, progress=progress)
    return time.perf_counter() - t0


RULE_WORDS = {"zero-shot": "codebook rule", "tuned": "codebook rule, tuned threshold",
              "regression": "learned model", "too-few": "too few to learn: codebook rule"}


def _learned(coder: Coder, codebook: Codebook) -> dict[str, dict[str, Any]]:
    rules = getattr(coder, "learned_rules", None)
    return rules(codebook) if rules else {}


def _describe(per_fold: list[dict[str, Any]]) -> str:
    """"12-15 coded per fold; learned model 3/5, codebook rule 2/5" from each fold's rule."""
    pos = [r["positives"] for r in per_fold]
    counts: dict[str, int] = {}
    for r in per_fold:
        counts[r["rule"]] = counts.get(r["rule"], 0) + 1
    n = f"{min(pos)}-{max(pos)}" if min(pos) != max(pos) else f"{pos[0]}"
    rules = ", ".join(f"{RULE_WORDS.get(k, k)} {v}/{len(per_fold)}" for k, v in counts.items())
    return f"{n} coded{' per fold' if len(per_fold) > 1 else ''}; {rules}"


def _report(coder: Coder, units: Sequence[GoldUnit], proposals: Sequence[Sequence[Proposal]],
            codebook: Codebook, seconds: float, gold_name: str) -> EvalReport:
    gold = [set(u.codes) for u in units]
    pred = [{p.code_id for p in props if p.applied} for props in proposals]
    per_code = score(gold, pred, codebook.ids)
    groups = [u.transcript_id for u in units]
    ci = bootstrap_macro(gold, pred, groups, codebook.ids)
    for c in per_code:
        c.kappa_ci = ci.per_code[c.code_id]
    errors = []
    for u, g, p, props in zip(units, gold, pred, proposals, strict=True):
        if g != p:
            errors.append({"unit_id": u.unit_id, "missed": sorted(g - p), "extra": sorted(p - g),
                           "evidence": {pr.code_id: pr.evidence[:3] for pr in props if pr.code_id in g ^ p}})
    return EvalReport(coder=coder.name, coder_version=coder.version, codebook_version=codebook.version,
                      units=len(units), per_code=per_code, macro=macro(per_code), seconds=seconds,
                      gold=gold_name, errors=errors, macro_ci=ci.macro, interviews=len(set(groups)))


def interview_folds(units: Sequence[GoldUnit], folds: int = 5, seed: int = 0) -> list[list[int]]:
    """Indices of ``units`` in ``folds`` parts with no interview in two parts.

    Interviews are dealt by a hash of their id and ``seed`` (reproducible, independent of the
    file's order), largest first onto the smallest part, so parts hold similar numbers of answers.
    """
    by_iv: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        by_iv.setdefault(u.transcript_id, []).append(i)
    k = max(2, min(folds, len(by_iv)))
    if len(by_iv) < 2:
        raise ConfigError("cross-validation by interview needs answers from at least 2 interviews "
                          "(field transcript_id, or the part of unit_id before '#')")
    ids = sorted(by_iv, key=lambda t: hashlib.sha1(f"{seed}:{t}".encode()).hexdigest())
    parts: list[list[int]] = [[] for _ in range(k)]
    for t in sorted(ids, key=lambda t: -len(by_iv[t])):  # stable: ties keep the hashed order
        min(parts, key=len).extend(by_iv[t])
    return [sorted(p) for p in parts]


def cross_validate(make_coder: Callable[[], Coder], units: Sequence[GoldUnit], codebook: Codebook,
                   folds: int = 5, seed: int = 0, language: str | None = None,
                   progress: Progress | None = None, gold_name: str = "") -> EvalReport:
    """Train a fresh coder on all folds but one, code that one; score the pooled predictions.

    Every answer is scored exactly once, by a model that never saw its interview.
    """
    check_codes(units, codebook, gold_name or "gold")
    parts = interview_folds(units, folds, seed)
    proposals: list[list[Proposal]] = [[] for _ in units]
    seconds = train_s = 0.0
    coder: Coder | None = None
    learned: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        held = set(part)
        train = [u for i, u in enumerate(units) if i not in held]
        coder = make_coder()
        train_s += _fit(coder, train, codebook, language, progress)
        for c, rule in _learned(coder, codebook).items():
            learned.setdefault(c, []).append(rule)
        t0 = time.perf_counter()
        props = coder.code(gold_segments([units[i] for i in part], language), codebook, progress)
        seconds += time.perf_counter() - t0
        for i, p in zip(part, props, strict=True):
            proposals[i] = p
    assert coder is not None
    rep = _report(coder, units, proposals, codebook, seconds, gold_name)
    rep.folds, rep.train_seconds = len(parts), train_s
    rep.train_units = len(units) - min(len(p) for p in parts)
    rep.train = f"the other {len(parts) - 1} of {len(parts)} parts (by interview)"
    rep.learned = {c: _describe(v) for c, v in learned.items()}
    return rep


# -- learning curve ---------------------------------------------------------------------------


@dataclass
class CurvePoint:
    order: str  # "random" or "active"
    reviewed: int  # answers reviewed (trained on) per fold, at most the fold's pool
    kappa: float
    ci: tuple[float, float]
    per_code: dict[str, float] = field(default_factory=dict)


@dataclass
class Curve:
    coder: str
    gold: str
    folds: int
    units: int
    points: list[CurvePoint]

    def table(self, lang: str = "en") -> str:
        """The curve as a plain-text table, with headers in ``lang``."""
        names = [tr(f"eval.{k}", lang) for k in ("reviewed", "random", "active")]
        w0, w1, w2 = max(9, len(names[0])), max(24, len(names[1]) + 1), max(24, len(names[2]))
        lines = [f"{names[0]:>{w0}}  {names[1]:<{w1}}{names[2]:<{w2}}", "-" * (w0 + w1 + w2)]
        by = {(p.order, p.reviewed): p for p in self.points}
        for n in sorted({p.reviewed for p in self.points}):
            cells = []
            for order in ("random", "active"):
                p = by.get((order, n))
                cells.append(f"{_num(p.kappa, lang)} {_ci(p.ci, lang)}" if p else "")
            lines.append(f"{n:>{w0}}  {cells[0]:<{w1}}{cells[1]:<{w2}}")
        return "\n".join(lines)


def active_order(coder: Coder, pool: Sequence[GoldUnit], codebook: Codebook, batch: int,
                 rng: random.Random, language: str | None = None,
                 reviewed: Sequence[set[str]] = ()) -> list[int]:
    """The first ``batch`` answers of ``pool`` a reviewer would see with ``review export --order
    uncertain``: the same priority (:func:`qualcode.coders.priority.proposal_uncertainty`):
    proposals nearest their threshold and split votes first, lifted for codes that the
    ``reviewed`` answers so far confirm least."""
    from collections import Counter

    from .coders.priority import SCARCE, proposal_uncertainty

    confirmed = Counter(c for labels in reviewed for c in labels)
    segs = gold_segments(pool, language)
    prio = []
    for props in coder.code(segs, codebook):
        best = 0.0
        for p in props:
            scarcity = max(0.0, 1.0 - confirmed.get(p.code_id, 0) / SCARCE)
            best = max(best, proposal_uncertainty(p.confidence, p.votes, 0.5, scarcity))
        prio.append(best)
    jitter = [rng.random() for _ in segs]  # ties (answers nobody has an opinion on): random
    return sorted(range(len(segs)), key=lambda i: (-prio[i], jitter[i]))[:batch]


def learning_curve(make_coder: Callable[[], Coder], units: Sequence[GoldUnit], codebook: Codebook,
                   sizes: Sequence[int] = CURVE_SIZES, folds: int = 5, seed: int = 0,
                   orders: Sequence[str] = ("random", "active"), language: str | None = None,
                   progress: Progress | None = None, gold_name: str = "") -> Curve:
    """Kappa on held-out interviews after ``n`` reviewed answers, for each ``n`` in ``sizes``.

    For each fold, the other folds are the pool a research team would review; the coder is
    trained on the first ``n`` answers of the pool in random order, or in the active order
    (each round reviews the answers the coder trained so far is least sure of), and scores the
    held-out fold. ``n = 0`` is the zero-shot coder. Sizes beyond the pool are capped.
    """
    check_codes(units, codebook, gold_name or "gold")
    parts = interview_folds(units, folds, seed)
    sizes = sorted(set(int(n) for n in sizes))
    gold = [set(u.codes) for u in units]
    groups = [u.transcript_id for u in units]
    preds: dict[tuple[str, int], list[set[str]]] = {}
    capped: dict[tuple[str, int], int] = {}
    for f, part in enumerate(parts):
        held = set(part)
        pool_idx = [i for i in range(len(units)) if i not in held]
        test_segs = gold_segments([units[i] for i in part], language)
        for order in orders:
            rng = random.Random(f"{seed}:{f}:{order}")
            chosen: list[int] = []  # positions in pool_idx, in review order
            coder = make_coder()
            if order == "random":
                perm = list(range(len(pool_idx)))
                rng.shuffle(perm)
            for n in sizes:
                n_eff = min(n, len(pool_idx))
                if order == "random":
                    chosen = perm[:n_eff]
                else:
                    while len(chosen) < n_eff:
                        rest = [k for k in range(len(pool_idx)) if k not in set(chosen)]
                        pick = active_order(coder, [units[pool_idx[k]] for k in rest], codebook,
                                            n_eff - len(chosen), rng, language,
                                            [set(units[pool_idx[k]].codes) for k in chosen])
                        chosen += [rest[k] for k in pick]
                coder = make_coder()
                if chosen:
                    _fit(coder, [units[pool_idx[k]] for k in chosen], codebook, language, None)
                props = coder.code(test_segs, codebook)
                key = (order, n)
                capped[key] = max(capped.get(key, 0), n_eff)
                out = preds.setdefault(key, [set() for _ in units])
                for i, p in zip(part, props, strict=True):
                    out[i] = {x.code_id for x in p if x.applied}
                if progress:
                    progress(f * len(orders) * len(sizes) + orders.index(order) * len(sizes) + sizes.index(n) + 1,
                             len(parts) * len(orders) * len(sizes), "learning curve")
    points = []
    for (order, n), pred in preds.items():
        sc = score(gold, pred, codebook.ids)
        ci = bootstrap_macro(gold, pred, groups, codebook.ids)
        points.append(CurvePoint(order, capped[(order, n)], macro(sc)["kappa"], ci.macro,
                                 {c.code_id: c.kappa for c in sc}))
    name = getattr(make_coder(), "name", "coder")
    return Curve(name, gold_name, len(parts), len(units), points)


def plot_curve(curve: Curve | Sequence[tuple[str, Curve]], path: str | Path, title: str = "") -> Path:
    """Draw curves (macro kappa and its 95 % band against reviewed answers) into a PNG.

    ``curve``: one curve, or (label, curve) pairs drawn together (e.g. English and French),
    the first solid, the next dashed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = [("", curve)] if isinstance(curve, Curve) else list(curve)
    p = Path(path)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
    for n, (name, cv) in enumerate(pairs):
        style = "o-" if n == 0 else ("s--" if n == 1 else "^:")
        for order, colour, label in (("random", "#7F7F7F", "random order"),
                                     ("active", "#1F77B4", "active order (uncertain first)")):
            pts = sorted((q for q in cv.points if q.order == order), key=lambda q: q.reviewed)
            if not pts:
                continue
            x = [q.reviewed for q in pts]
            ax.plot(x, [q.kappa for q in pts], style, color=colour, label=f"{name} {label}".strip())
            ax.fill_between(x, [q.ci[0] for q in pts], [q.ci[1] for q in pts], color=colour, alpha=0.12)
    first = pairs[0][1]
    ax.set_xlabel("reviewed answers / réponses revues")
    ax.set_ylabel("macro Cohen's kappa (held-out interviews)")
    ax.set_title(title or f"{first.coder}: {first.units} answers, {first.folds} folds by interview", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(p)
    return p


def curve_from_dict(d: dict[str, Any]) -> Curve:
    """A :class:`Curve` back from its JSON form (``qualcode eval --curve --json``)."""
    pts = [CurvePoint(p["order"], p["reviewed"], _f(p["kappa"]), (_f(p["ci"][0]), _f(p["ci"][1])),
                      {k: _f(v) for k, v in p.get("per_code", {}).items()}) for p in d["points"]]
    return Curve(d["coder"], d["gold"], d["folds"], d["units"], pts)


def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)
