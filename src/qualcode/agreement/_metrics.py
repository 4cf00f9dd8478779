"""Agreement statistics on label vectors: pure functions, no dependencies.

Each returns ``nan`` where the statistic is undefined (e.g. kappa or alpha when every label
is the same value, F1 when nobody ever applied the code) rather than a misleading 0 or 1;
tables show such cells as "n/a". Checked against scikit-learn and the ``krippendorff``
package in the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from ..stats import (  # one kappa for the whole project (see qualcode.stats)
    cohen_kappa,
    mean_defined,
)

NAN = float("nan")

__all__ = ["cohen_kappa", "mean_defined", "percent_agreement", "krippendorff_alpha",
           "precision_recall_f1"]


def _pairs(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> list[tuple[Hashable, Hashable]]:
    if len(a) != len(b):
        raise ValueError(f"label vectors differ in length ({len(a)} and {len(b)})")
    return [(x, y) for x, y in zip(a, b) if x is not None and y is not None]


def percent_agreement(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float:
    """Share of units (both coded; ``None`` = missing) where the two coders gave the same label."""
    pairs = _pairs(a, b)
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else NAN


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha, nominal, for any number of coders with missing data.

    ``data[coder][unit]`` is a label or ``None``. Units with fewer than two labels are not
    pairable and are left out, as the method prescribes.
    """
    if not data:
        return NAN
    n_units = len(data[0])
    if any(len(row) != n_units for row in data):
        raise ValueError("every coder needs one entry per unit (None when missing)")
    coincidence: Counter[tuple[Hashable, Hashable]] = Counter()
    for u in range(n_units):
        vals = [row[u] for row in data if row[u] is not None]
        m = len(vals)
        if m < 2:
            continue
        counts = Counter(vals)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    n_c: Counter[Hashable] = Counter()
    for (c, _), v in coincidence.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return NAN
    d_o = sum(v for (c, k), v in coincidence.items() if c != k)
    d_e = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return 1 - d_o / d_e if d_e > 0 else NAN


def precision_recall_f1(reference: Sequence[bool | None], predicted: Sequence[bool | None]
                        ) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``predicted`` against ``reference`` for the label True."""
    pairs = _pairs(reference, predicted)
    tp = sum(bool(r) and bool(p) for r, p in pairs)
    fp = sum(not r and bool(p) for r, p in pairs)
    fn = sum(bool(r) and not p for r, p in pairs)
    precision = tp / (tp + fp) if tp + fp else NAN
    recall = tp / (tp + fn) if tp + fn else NAN
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else NAN
    return precision, recall, f1
