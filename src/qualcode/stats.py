"""Chance-corrected agreement, the one implementation every part of qualcode uses.

Cohen's kappa is defined from a contingency table of two raters' labels. Convention: where
it is undefined (both raters gave one and the same label to every unit, so chance agreement
is 1) it is ``nan``, never a flattering 1.0 or a harsh 0.0; tables show "n/a" and averages
skip it (:func:`mean_defined`). A code nobody applies in a gold file therefore has no kappa
rather than a perfect one.

Pure functions without dependencies, so that coders (thresholds), evaluation and agreement
reports import the same code without importing each other.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

NAN = float("nan")


def kappa_from_table(table: Mapping[tuple[Hashable, Hashable], int]) -> float:
    """Cohen's kappa from counts of (label of rater A, label of rater B) pairs."""
    n = sum(table.values())
    if n <= 0:
        return NAN
    po = sum(v for (x, y), v in table.items() if x == y) / n
    ca: Counter[Hashable] = Counter()
    cb: Counter[Hashable] = Counter()
    for (x, y), v in table.items():
        ca[x] += v
        cb[y] += v
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else NAN


def binary_kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    """Kappa of a 2x2 table (reference in rows: tp, fn are reference positives)."""
    return kappa_from_table({(True, True): tp, (False, True): fp, (True, False): fn, (False, False): tn})


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float:
    """Cohen's kappa of two label vectors; units where either label is ``None`` are left out."""
    if len(a) != len(b):
        raise ValueError(f"label vectors differ in length ({len(a)} and {len(b)})")
    return kappa_from_table(Counter((x, y) for x, y in zip(a, b) if x is not None and y is not None))


def mean_defined(values: Sequence[float]) -> float:
    """Mean of the values that are defined (not nan); nan when none is."""
    ok = [v for v in values if not math.isnan(v)]
    return sum(ok) / len(ok) if ok else NAN
