"""Character offsets between a REFI-QDA text file and the text qualcode stores.

REFI-QDA 1.5 (section 10.2) counts Unicode code points from 0 with an exclusive end, exactly
like Python string indices, so astral characters (emoji) need no care. What still shifts a
selection: line endings (qualcode's texts use "\\n"; a file written with CRLF has one more
code point per line break, and some tools count CRLF as one) and a UTF-8 byte-order mark
(a character for some tools, nothing for others). Other tools' offset bugs (UTF-16 code
units, UTF-8 bytes) are recognised by the selected text that a selection names.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass


class LineEndings:
    """A text as found in a file (any line endings) and as qualcode stores it ("\\n")."""

    def __init__(self, raw: str):
        self.raw = raw
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        self._crlf = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"] \
            if "\r\n" in raw else []

    @property
    def has_crlf(self) -> bool:
        return bool(self._crlf)

    def to_text(self, raw_pos: int) -> int:
        """A position in the file text -> the same place in the "\\n" text."""
        return raw_pos - bisect_left(self._crlf, raw_pos)


def with_crlf(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with CRLF line endings, and the map from its positions to the CRLF text's."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    return text.replace("\n", "\r\n"), lambda p: p + bisect_left(newlines, p)


def same_text(name: str, selected: str) -> int:
    """2 when a selection's ``name`` is its text (up to XML's whitespace normalisation of
    attributes), 1 when it is the start of it (names cut short by the exporting tool, at least
    20 characters, "..." or not), else 0."""
    a, b = " ".join(name.split()), " ".join(selected.split())
    if a == b:
        return 2
    a = a.removesuffix("...").removesuffix("…").rstrip()
    return int(len(a) >= 20 and b.startswith(a))


@dataclass(frozen=True)
class Convention:
    """One way of counting positions: ``key`` for messages, ``label`` for people."""

    key: str
    label: str


STANDARD = Convention("code_points", "Unicode code points (the standard)")
CRLF_AS_ONE = Convention("crlf_as_one", "CRLF counted as one character")
BOM_COUNTED = Convention("bom_counted", "the byte-order mark counted as a character")
UTF16 = Convention("utf16", "UTF-16 code units (emoji counted twice)")
UTF8 = Convention("utf8_bytes", "UTF-8 bytes (accented letters counted twice)")


class OffsetReader:
    """Maps a file's (start, end) under a convention to positions in the "\\n" text."""

    def __init__(self, lines: LineEndings, had_bom: bool):
        self.lines = lines
        self.had_bom = had_bom
        self._unit_maps: dict[str, dict[int, int]] = {}

    def candidates(self) -> list[Convention]:
        out = [STANDARD]
        if self.lines.has_crlf:
            out.append(CRLF_AS_ONE)
        if self.had_bom:
            out.append(BOM_COUNTED)
        raw = self.lines.raw
        if any(ord(c) > 0xFFFF for c in raw):
            out.append(UTF16)
        if any(ord(c) > 0x7F for c in raw):
            out.append(UTF8)
        return out

    def _units(self, key: str) -> dict[int, int]:
        """Code-unit position -> code-point position, for UTF-16 or UTF-8 counting."""
        if key not in self._unit_maps:
            m, pos = {0: 0}, 0
            for i, ch in enumerate(self.lines.raw):
                o = ord(ch)
                pos += (2 if o > 0xFFFF else 1) if key == UTF16.key else \
                    (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4)
                m[pos] = i + 1
            self._unit_maps[key] = m
        return self._unit_maps[key]

    def to_text(self, conv: Convention, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) in the "\\n" text, or None when they do not fit the text."""
        n_raw, n_text = len(self.lines.raw), len(self.lines.text)
        if conv is CRLF_AS_ONE:
            return (start, end) if 0 <= start <= end <= n_text else None
        if conv is BOM_COUNTED:
            start, end = start - 1, end - 1
        elif conv in (UTF16, UTF8):
            m = self._units(conv.key)
            if start not in m or end not in m:
                return None
            start, end = m[start], m[end]
        if not 0 <= start <= end <= n_raw:
            return None
        return self.lines.to_text(start), self.lines.to_text(end)

    def choose(self, spans: Sequence[tuple[int, int, str | None]],
               prefer: Convention = STANDARD) -> tuple[Convention, int, int]:
        """The convention under which most named selections are their text.

        Returns (convention, its score: 2 per name equal to its text, 1 per name that starts
        it; names checked). Without any name to check, ``prefer`` wins (the standard, or a
        tool's known habit).
        """
        named = [(a, b, n) for a, b, n in spans if n]
        text = self.lines.text
        scores: list[tuple[int, int, Convention]] = []
        for k, conv in enumerate(self.candidates()):
            ok = 0
            for a, b, n in named:
                pos = self.to_text(conv, a, b)
                ok += same_text(n or "", text[pos[0]:pos[1]]) if pos is not None else 0
            scores.append((ok, -(0 if conv is prefer else k + 1), conv))
        best = max(scores, key=lambda s: (s[0], s[1]))
        if best[0] == 0:
            return prefer if prefer in self.candidates() else STANDARD, 0, len(named)
        return best[2], best[0], len(named)
