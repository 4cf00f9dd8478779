"""Scoring units inside a segment: sentences and windows of adjacent sentences.

Answers are long and mix themes; one sentence carries a theme, the whole answer dilutes it.
So coders score windows of one and two sentences and keep the best, and the evidence can
quote the exact passage (offsets are relative to the segment's text).
"""

from __future__ import annotations

from ..nlp import sentence_spans

MAX_CHARS = 400  # longer sentences are cut at a comma or space, models truncate anyway


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text`` (:func:`qualcode.nlp.sentence_spans`), cut at
    :data:`MAX_CHARS`."""
    return sentence_spans(text, MAX_CHARS)


def windows(text: str, size: int = 2) -> list[tuple[int, int]]:
    """Every sentence, plus every run of up to ``size`` adjacent sentences (whole text if none)."""
    sents = sentences(text)
    if not sents:
        return [(0, len(text))] if text.strip() else []
    out = list(sents)
    for k in range(2, size + 1):
        out.extend((sents[i][0], sents[i + k - 1][1]) for i in range(len(sents) - k + 1))
    return out


def last_question(question: str) -> str:
    """The interviewer's actual question: the last sentence of their turn, or the last two when
    the last is short ("What makes those different?")."""
    q = question.strip()[-400:]
    spans = sentences(q)
    if not spans:
        return ""
    a = spans[-2][0] if len(spans) > 1 and spans[-1][1] - spans[-1][0] < 60 else spans[-1][0]
    return q[a:]
