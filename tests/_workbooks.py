"""Find a review workbook's columns the way a person reads them: by header words."""

from __future__ import annotations

import re

_DECISION = re.compile(r"\[([A-Za-z][A-Za-z0-9_.-]*)\]\s+(?:DECISION|DÉCISION)$")


def decision_columns(ws, header_row: int = 3) -> dict[str, int]:
    """code id -> column number of its DECISION cells (headers may be wrapped anywhere)."""
    out = {}
    for c in ws[header_row]:
        m = _DECISION.search(" ".join(str(c.value or "").split()))
        if m:
            out[m.group(1)] = c.column
    return out


def column(ws, *names: str, header_row: int = 3) -> int:
    """The column whose header (whitespace folded, case ignored) contains one of ``names``."""
    for c in ws[header_row]:
        text = " ".join(str(c.value or "").split()).lower()
        if any(n.lower() in text for n in names):
            return c.column
    raise KeyError(names)
