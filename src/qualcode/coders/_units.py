"""Scoring units inside a segment: sentences and windows of adjacent sentences.

Answers are long and mix themes; one sentence carries a theme, the whole answer dilutes it.
So coders score windows of one and two sentences and keep the best, and the evidence can
quote the exact passage (offsets are relative to the segment's text).
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? … (and closing quotes/brackets) before whitespace, or at a line break.
_END = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+|\n\s*")
MAX_CHARS = 400  # longer sentences are cut at a comma or space, models truncate anyway


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``, stripped, empty ones dropped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _END.finditer(text):
        spans.extend(_cut(text, pos, m.start()))
        pos = m.end()
    spans.extend(_cut(text, pos, len(text)))
    return spans


def _cut(text: str, a: int, b: int) -> list[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a < 2 or not any(ch.isalnum() for ch in text[a:b]):
        return []
    out = []
    while b - a > MAX_CHARS:
        cut = max(text.rfind(", ", a, a + MAX_CHARS), text.rfind(" ", a, a + MAX_CHARS))
        cut = cut if cut > a + MAX_CHARS // 2 else a + MAX_CHARS
        out.append((a, cut))
        a = cut
        while a < b and (text[a].isspace() or text[a] == ","):
            a += 1
    if b > a:
        out.append((a, b))
    return out


def windows(text: str, size: int = 2) -> list[tuple[int, int]]:
    """Every sentence, plus every run of up to ``size`` adjacent sentences (whole text if none)."""
    sents = sentences(text)
    if not sents:
        return [(0, len(text))] if text.strip() else []
    out = list(sents)
    for k in range(2, size + 1):
        out.extend((sents[i][0], sents[i + k - 1][1]) for i in range(len(sents) - k + 1))
    return out
