"""Measure a coder against reference ("gold") codes, so that every change is judged by numbers.

A gold file is JSON Lines, one coded unit a line: ``unit_id``, ``text``, optional ``question``
(the interviewer's turn before, context only), optional ``transcript_id`` and ``language``,
and ``codes`` (list of code ids, possibly empty). :func:`evaluate` codes the units with a
coder and reports, per code and macro-averaged, precision, recall, F1 and Cohen's kappa,
the agreement statistic qualitative researchers report between two human coders.

Learning coders (those with a ``fit`` method) are first trained on another gold file, or on
half of the interviews of the same file (:func:`split_by_interview`), so that a figure with
training never scores answers the model has seen.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .codebook import Codebook
from .coders.base import Coder
from .errors import ConfigError
from .model import Segment

Progress = Callable[[int, int, str], None]


@dataclass
class GoldUnit:
    """One reference unit: a text and the codes a careful human gave it."""

    unit_id: str
    text: str
    codes: list[str]
    question: str = ""
    transcript_id: str = ""
    language: str | None = None


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
    kappa: float


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

    @property
    def units_per_second(self) -> float:
        return self.units / self.seconds if self.seconds > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["units_per_second"] = round(self.units_per_second, 2)
        return d

    def table(self) -> str:
        """A plain-text table of the figures, as the CLI prints it."""
        head = f"{'code':<22}{'gold':>6}{'pred':>6}{'prec':>7}{'recall':>8}{'F1':>7}{'kappa':>8}"
        lines = [head, "-" * len(head)]
        for s in self.per_code:
            lines.append(f"{s.code_id:<22}{s.support:>6}{s.predicted:>6}{s.precision:>7.2f}"
                         f"{s.recall:>8.2f}{s.f1:>7.2f}{s.kappa:>8.2f}")
        m = self.macro
        lines.append("-" * len(head))
        lines.append(f"{'macro':<22}{'':>6}{'':>6}{m['precision']:>7.2f}{m['recall']:>8.2f}"
                     f"{m['f1']:>7.2f}{m['kappa']:>8.2f}")
        return "\n".join(lines)


def load_gold(path: str | Path) -> list[GoldUnit]:
    """Read a gold JSON Lines file; errors name the file, the line and the field."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{p}: gold file not found; give a JSON Lines file with unit_id, text "
                          "and codes on each line") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the gold file ({exc}); save it as UTF-8 JSON Lines") from None
    units: list[GoldUnit] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{p}, line {n}: not valid JSON ({exc.msg}); each line must be one "
                              'object like {"unit_id": "a#1", "text": "...", "codes": []}') from None
        if not isinstance(obj, dict):
            raise ConfigError(f"{p}, line {n}: expected a JSON object, found {type(obj).__name__}")
        for key, kind in (("unit_id", str), ("text", str), ("codes", list)):
            if not isinstance(obj.get(key), kind):
                raise ConfigError(f"{p}, line {n}: field {key!r} must be a {'list of code ids' if kind is list else 'text'}, "
                                  f"found {obj.get(key)!r:.60}")
        if not all(isinstance(c, str) for c in obj["codes"]):
            raise ConfigError(f"{p}, line {n}: field 'codes' must list code ids as texts, found {obj['codes']!r:.60}")
        uid = obj["unit_id"]
        if uid in seen:
            raise ConfigError(f"{p}, line {n}: unit_id {uid!r} appears twice; unit ids must be unique")
        seen.add(uid)
        tid = obj.get("transcript_id") or uid.split("#")[0]
        units.append(GoldUnit(uid, obj["text"], list(dict.fromkeys(obj["codes"])),
                              str(obj.get("question") or ""), str(tid), obj.get("language")))
    if not units:
        raise ConfigError(f"{p}: the gold file has no units")
    return units


def check_codes(units: Sequence[GoldUnit], codebook: Codebook, where: str = "gold") -> None:
    """Gold codes must exist in the codebook, else every figure would be silently wrong."""
    known = set(codebook.ids)
    for u in units:
        unknown = [c for c in u.codes if c not in known]
        if unknown:
            raise ConfigError(f"{where}: unit {u.unit_id} has code(s) {', '.join(unknown)} that codebook "
                              f"{codebook.name} does not define (codes: {', '.join(codebook.ids)}); "
                              "evaluate with the codebook the gold file was coded with (--codebook)")


def gold_segments(units: Sequence[GoldUnit], language: str | None = None) -> list[Segment]:
    """Segments to code from gold units; language from ``language``, the unit, or detected."""
    from .ingest import detect_language

    out = []
    for u in units:
        lang = language or u.language or detect_language(u.text)
        out.append(Segment(id=u.unit_id, source_id=u.transcript_id, turn_index=0, start=0,
                           end=len(u.text), text=u.text, question=u.question, language=lang))
    return out


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
        out.append(CodeScores(c, tp + fn, tp + fp, tp, fp, fn, tn, prec, rec, f1, cohen_kappa(tp, fp, fn, tn)))
    return out


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    """Cohen's kappa of a 2x2 table; 1.0 when both raters agree on every unit, even trivially."""
    n = tp + fp + fn + tn
    if n == 0:
        return 1.0
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else 0.0
    return (po - pe) / (1 - pe)


def macro(scores: Sequence[CodeScores]) -> dict[str, float]:
    k = len(scores) or 1
    return {m: sum(getattr(s, m) for s in scores) / k for m in ("precision", "recall", "f1", "kappa")}


def evaluate(coder: Coder, units: Sequence[GoldUnit], codebook: Codebook,
             train: Sequence[GoldUnit] | None = None, language: str | None = None,
             progress: Progress | None = None, gold_name: str = "", train_name: str = "") -> EvalReport:
    """Code ``units`` with ``coder`` (after training it on ``train`` when it learns) and score it."""
    check_codes(units, codebook, gold_name or "gold")
    train_s = 0.0
    if train:
        check_codes(train, codebook, train_name or "train")
        fit = getattr(coder, "fit", None)
        if fit is None:
            raise ConfigError(f"coder {coder.name!r} does not learn from examples, so --train has no "
                              "effect; use a learning coder (e.g. --coder learning or ensemble)")
        t0 = time.perf_counter()
        fit(gold_segments(train, language), [set(u.codes) for u in train], codebook, progress=progress)
        train_s = time.perf_counter() - t0
    segs = gold_segments(units, language)
    t0 = time.perf_counter()
    proposals = coder.code(segs, codebook, progress)
    seconds = time.perf_counter() - t0
    gold = [set(u.codes) for u in units]
    pred = [{p.code_id for p in props if p.applied} for props in proposals]
    per_code = score(gold, pred, codebook.ids)
    errors = []
    for u, g, p, props in zip(units, gold, pred, proposals, strict=True):
        if g != p:
            errors.append({"unit_id": u.unit_id, "missed": sorted(g - p), "extra": sorted(p - g),
                           "evidence": {pr.code_id: pr.evidence[:3] for pr in props if pr.code_id in g ^ p}})
    return EvalReport(coder=coder.name, coder_version=coder.version, codebook_version=codebook.version,
                      units=len(units), per_code=per_code, macro=macro(per_code), seconds=seconds,
                      train_units=len(train or []), train_seconds=train_s, gold=gold_name,
                      train=train_name, errors=errors)
