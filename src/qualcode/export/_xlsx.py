"""Shared workbook helpers: safe cells, house style, atomic saves.

Transcript text must never become a formula: openpyxl turns any string starting with "="
into one, so :func:`cell` forces the string type. Characters XML forbids are dropped rather
than crashing the save. Saves go to a temporary file in the same folder and are renamed over
the target, so a crash never leaves half a workbook; a file open in Excel or LibreOffice (a
lock file is present) is never overwritten: the new workbook gets a dated name instead. Both
live in :mod:`qualcode._files`, shared by every writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .._files import atomic_write, target_for

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(bottom=THIN)
TITLE_FONT = Font(bold=True, size=14, color="1F3864")
MAX_CELL = 32767  # Excel's limit on characters in a cell


def clean(value: Any) -> Any:
    """A value safe to put in a cell: XML-illegal characters dropped, long text cut."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - 1] + "…"
    return value


def cell(ws: Worksheet, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
         alignment: Alignment | None = None, number_format: str | None = None) -> WriteOnlyCell:
    """A write-only cell whose text stays text, whatever it starts with."""
    c = WriteOnlyCell(ws, value=clean(value))
    if isinstance(value, str):
        c.data_type = "s"
    if font:
        c.font = font
    if fill:
        c.fill = fill
    if alignment:
        c.alignment = alignment
    if number_format:
        c.number_format = number_format
    return c


def row_height(texts_and_widths: Iterable[tuple[Any, float]], line: float = 15.0) -> float:
    """Height (points) for a row whose wrapped cells hold these texts at these column widths.

    Spreadsheet programs do not grow rows on opening a file, so wrapped text would be cut
    or overlap; this estimates the lines each cell needs (capped at Excel's 409 points).
    """
    lines = 1
    for text, width in texts_and_widths:
        if not text:
            continue
        per_line = max(width * 1.15, 1.0)
        n = sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n"))
        lines = max(lines, n)
    return min(line * lines + 2, 409.0)


def print_setup(ws: Worksheet, landscape: bool = True) -> None:
    """Print as a reader expects: landscape, fit to the page width, header row repeated.

    Call before the first row of a write-only sheet (its properties are written first).
    """
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def header_cells(ws: Worksheet, names: Sequence[str]) -> list[WriteOnlyCell]:
    return [cell(ws, n, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN) for n in names]


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def write_table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                widths: Sequence[float] | None = None, number_formats: dict[int, str] | None = None,
                wrap: Sequence[int] = (), freeze: str | None = "B2", autofilter: bool = True,
                title: str | None = None) -> int:
    """Append a styled table (optional title row) to a write-only sheet; returns rows written.

    ``number_formats`` and ``wrap`` use 0-based column indexes.
    """
    # Write-only sheets emit their views and column widths before the first row: set them first.
    first = 3 if title else 1
    print_setup(ws)
    if not title:
        ws.print_title_rows = f"{first}:{first}"
    else:
        ws.print_title_rows = None
    if widths:
        set_widths(ws, widths)
    if freeze:
        col = "".join(ch for ch in freeze if ch.isalpha())
        row_no = int("".join(ch for ch in freeze if ch.isdigit())) + first - 1
        ws.freeze_panes = f"{col}{row_no}"
    if title:
        ws.append([cell(ws, title, font=TITLE_FONT)])
        ws.append([])
    ws.row_dimensions[first].height = row_height((h, (widths or [10] * len(header))[j])
                                                 for j, h in enumerate(header))
    ws.append(header_cells(ws, header))
    n = 0
    fmts = number_formats or {}
    for row in rows:
        if widths and wrap:
            ws.row_dimensions[first + n + 1].height = row_height((row[j], widths[j]) for j in wrap)
        ws.append([cell(ws, v, number_format=fmts.get(j), alignment=WRAP if j in wrap else TOP)
                   for j, v in enumerate(row)])
        n += 1
    if autofilter and n:
        ws.auto_filter.ref = f"A{first}:{get_column_letter(len(header))}{first + n}"
    return n


def writable_target(path: Path) -> Path:
    """``path``, or a dated sibling when the file is open in Excel or LibreOffice."""
    return target_for(Path(path))


def atomic_save(wb: Workbook, path: Path) -> Path:
    """Save ``wb`` to ``path`` atomically (see :mod:`qualcode._files`); returns the path written."""
    return atomic_write(path, wb.save)
