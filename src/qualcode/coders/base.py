"""The one plug point for coders.

A coder takes segments and a codebook and returns, for each segment, one :class:`Proposal`
per code it has an opinion on (codes it is silent about count as not applied). Its ``name``
and ``version`` are stored with every coding, beside the codebook version and the time, so
that any figure can be traced back to what produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..codebook import Codebook
from ..model import Progress, Proposal, Segment


@runtime_checkable
class Coder(Protocol):
    name: str

    @property
    def version(self) -> str:
        """Changes whenever the coder would code differently (model, parameters, pipeline)."""
        ...

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        """One list of proposals per segment, in the order of ``segments``."""
        ...


def noisy_or(weights: Sequence[float]) -> float:
    """Combine independent cues: 1 - prod(1 - w). Two weak cues outweigh one."""
    p = 1.0
    for w in weights:
        p *= 1.0 - w
    return 1.0 - p
