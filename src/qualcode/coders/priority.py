"""Active review order: which segments a reviewer should see first.

Two things make a review hour count: checking proposals the machine is least sure of (a
confidence near its threshold, or coders that disagree), and giving the learning coder the
decisions it lacks (codes with few human-confirmed examples yet). :func:`review_priority`
scores proposals in memory; :func:`store_priority` scores a project's latest machine pass,
for the review export's ``--order uncertain``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Proposal, Segment
from .ensemble import review_priority

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["review_priority", "store_priority", "proposal_uncertainty"]

SCARCE = 5  # a code with fewer human-confirmed segments than this is what the learner needs most


def proposal_uncertainty(confidence: float, votes: dict[str, float], threshold: float = 0.5,
                         scarcity: float = 0.0) -> float:
    """1 at the threshold, 0 at certainty; plus half the coders' spread; lifted for scarce codes."""
    dist = abs(confidence - threshold) / max(threshold, 1 - threshold)
    unc = 1.0 - min(1.0, dist)
    vals = list(votes.values())
    spread = (max(vals) - min(vals)) if len(vals) > 1 else 0.0
    return (unc + 0.5 * spread) * (1.0 + 0.5 * scarcity)


def store_priority(store: Store) -> dict[str, float]:
    """Priority of every segment of the project's latest machine pass, higher first.

    Segments a human already decided on are left out (0.0). Codes that humans confirmed on
    fewer than ``SCARCE`` segments weigh more, so that each round teaches the learner most.
    """
    humans = store.human_codings()
    decided = {c.segment_id for c in humans}
    confirmed = Counter(c.code_id for c in humans if c.applied)
    rows = store.db.execute(
        "SELECT c.segment_id, c.code_id, c.confidence, c.votes FROM latest_machine l JOIN codings c "
        "ON c.pass_id = l.pass_id AND c.segment_id = l.segment_id")
    out: dict[str, float] = {}
    for seg, code, conf, votes in rows:
        if seg in decided:
            out[seg] = 0.0
            continue
        scarcity = max(0.0, 1.0 - confirmed.get(code, 0) / SCARCE)
        u = proposal_uncertainty(conf or 0.0, json.loads(votes or "{}"), 0.5, scarcity)
        out[seg] = max(out.get(seg, 0.0), round(u, 4))
    for seg in store.machine_coded_segments():
        out.setdefault(seg, 0.0)
    return out


def order_segments(segments: Sequence[Segment], proposals: Sequence[Sequence[Proposal]]) -> list[int]:
    """Indices of ``segments``, most worth reviewing first (stable for ties)."""
    pr = review_priority(segments, proposals)
    return sorted(range(len(segments)), key=lambda i: -pr[i])
