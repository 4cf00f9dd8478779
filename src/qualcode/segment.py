"""Segmentation: respondent speech into coding units with exact offsets.

The unit is the researcher's choice: a whole answer (``turn``, the unit of most interview
coding and of the reference data), a ``paragraph``, or a ``sentence``. Interviewer turns are
never coded; each unit carries the interviewer's turn before it as context.
Segment ids are stable (``<source>#<turn>`` or ``<source>#<turn>.<k>``) so that review
decisions find their segment again after a re-run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import ConfigError
from .model import INTERVIEWER, Segment, Source, segment_attributes, trim

UNITS = ("turn", "paragraph", "sentence")
_PARA_RE = re.compile(r"\n[ \t\u00a0]*\n+")


def segment_source(source: Source, unit: str = "turn", min_chars: int = 1) -> list[Segment]:
    """Cut one source's respondent turns into segments; ``source.text[s.start:s.end] == s.text``."""
    if unit not in UNITS:
        raise ConfigError(f"unit {unit!r} is not known; use one of {', '.join(UNITS)}")
    out: list[Segment] = []
    question = ""
    for turn in source.turns:
        body = source.text[turn.start:turn.end]
        if turn.role == INTERVIEWER:
            question = body.strip()
            continue
        spans = [(turn.start, turn.end)]
        if unit == "paragraph":
            spans = list(_paragraphs(body, turn.start))
        elif unit == "sentence":
            spans = [(turn.start + a, turn.start + b)
                     for pa, pb in _paragraphs(body, 0)
                     for a, b in _sentences(body[pa:pb], pa, source.language or "en")]
        multi = unit != "turn"
        k = 0
        for a, b in spans:
            a, b = trim(source.text, a, b)
            if b - a < min_chars:
                continue
            k += 1
            sid = f"{source.id}#{turn.index}.{k}" if multi else f"{source.id}#{turn.index}"
            out.append(Segment(id=sid, source_id=source.id, turn_index=turn.index, start=a, end=b,
                               text=source.text[a:b], speaker=turn.speaker, question=question,
                               timestamp=turn.timestamp, language=source.language,
                               attributes=segment_attributes(source.attributes, turn.speaker)))
    return out


def segment_all(sources: Iterable[Source], unit: str = "turn") -> list[Segment]:
    return [s for src in sources for s in segment_source(src, unit)]


def _paragraphs(body: str, offset: int) -> Iterable[tuple[int, int]]:
    pos = 0
    for m in _PARA_RE.finditer(body):
        yield offset + pos, offset + m.start()
        pos = m.end()
    yield offset + pos, offset + len(body)


def _sentences(text: str, offset: int, lang: str) -> Iterable[tuple[int, int]]:
    from .nlp import get_analyzer

    for a, b in get_analyzer(lang if lang in ("fr", "en") else "en", "fast").sentences(text):
        yield offset + a, offset + b

