"""Find a review workbook's columns the way a person reads them: by header words."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

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


def fill(path: Path, decisions: dict[str, dict[str, str]], memo: dict[str, str] | None = None) -> None:
    """Type decisions (and memos) into the rows whose text starts with each key, as a reviewer would."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = decision_columns(ws)
    text_col = column(ws, "Text", "Texte")
    memo_col = column(ws, "memo")
    for r in range(4, ws.max_row + 1):
        text = ws.cell(r, text_col).value or ""
        for start, codes in decisions.items():
            if text.startswith(start):
                for code_id, value in codes.items():
                    ws.cell(r, header[code_id]).value = value
                if memo and start in memo:
                    ws.cell(r, memo_col).value = memo[start]
    wb.save(path)
