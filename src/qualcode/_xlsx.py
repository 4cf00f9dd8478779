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

from ._files import atomic_write, target_for

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
INDENT = Alignment(horizontal="left", vertical="top", indent=1)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(bottom=THIN)
TITLE_FONT = Font(bold=True, size=14, color="1F3864")
ROTATED = Alignment(text_rotation=90, wrap_text=True, vertical="bottom", horizontal="center")
MAX_CELL = 32767  # Excel's limit on characters in a cell
ROW_CAP = 180.0  # points (~12 lines): taller rows make a sheet unreadable; longer texts get a comment
LINE = 15.0  # points per line of 11-pt text
BOLD_WIDTH = 1.12  # bold header letters are wider than the regular ones column widths count


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


def fit_height(texts_and_widths: Iterable[tuple[Any, float]], cap: float = ROW_CAP) -> tuple[float, bool]:
    """(height, overflow): the row height for these wrapped texts, at most ``cap`` points, and
    whether some text needs more (then it must stay readable some other way: a comment)."""
    h = row_height(texts_and_widths)
    return min(h, cap), h > cap


def full_text_comment(text: str, author: str = "qualcode") -> Any:
    """A comment holding a whole long text, sized to show a good part of it on hovering."""
    from openpyxl.comments import Comment

    c = Comment(clean(text), author)
    c.width = 520
    c.height = min(60 + 15 * (len(text) // 80 + text.count("\n")), 700)
    return c


def question_tail(question: str | None, limit: int = 280) -> str:
    """The end of a long interviewer turn: the question is at its end, the introduction before it
    only makes rows tall. Whatever is left out is marked with "…" (the caller keeps the whole)."""
    q = question or ""
    if len(q) <= limit:
        return q
    tail = q[-limit:]
    cut = tail.find(" ")
    return "… " + (tail[cut + 1:] if 0 <= cut < 40 else tail)


def as_number(value: Any) -> Any:
    """Attribute values read from CSV are text; "650" becomes the number 650 so that it sorts,
    filters and sums as a number."""
    if isinstance(value, str):
        v = value.strip()
        digits = v.lstrip("-")
        leading_zero = len(digits) > 1 and digits[0] == "0" and digits[1] != "."  # "007": an id
        if v and len(v) < 16 and digits.replace(".", "", 1).isdigit() and not leading_zero:
            return float(v) if "." in v else int(v)
    return value


def longest_word(text: str) -> int:
    return max((len(w) for w in str(text).split()), default=0)


def header_width(text: str, minimum: float = 6.0, maximum: float = 60.0) -> float:
    """A column width (characters) at which a wrapped bold header never breaks a word."""
    return max(minimum, min(maximum, longest_word(text) * BOLD_WIDTH + 2.5))


def wrap_words(text: str, width: float) -> str:
    """``text`` with line breaks at word boundaries so that no line is longer than ``width``
    characters (a longer word gets its own line), for headers spreadsheets would break mid-word."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def rotated_header_height(text: str, size: float = 11) -> float:
    """Row height (points) for a header rotated 90 degrees: its longest line, in bold."""
    longest = max((len(line) for line in str(text).split("\n")), default=0)
    return min(409.0, longest * 7.0 * size / 11 + 12)


def rotated_header_width(text: str, size: float = 11) -> float:
    """Column width for a rotated header: one line of text per ~2.9 characters of width."""
    return max(4.5, 2.9 * size / 11 * (str(text).count("\n") + 1) + 1.5)


PAGE_WIDTH = 140.0  # column-width units on a landscape A4 page at 100 % (default margins)
MIN_SCALE = 0.65  # below this, printed text is too small to read


def print_setup(ws: Worksheet, landscape: bool = True, widths: Sequence[float] | None = None,
                title_cols: str | None = None) -> None:
    """Print as a reader expects: landscape A4, header row repeated, one page wide when that
    stays legible. A sheet too wide for that (``widths``) prints at 65 % across several pages,
    with ``title_cols`` (e.g. "A:C", who said it) repeated on each page.

    Call before the first row of a write-only sheet (its properties are written first).
    """
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.print_title_rows = "1:1"
    page = PAGE_WIDTH if landscape else PAGE_WIDTH * 0.7
    if widths is not None and sum(widths) * MIN_SCALE > page:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        ws.page_setup.scale = int(MIN_SCALE * 100)
        if title_cols:
            ws.print_title_cols = title_cols
        return
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def header_cells(ws: Worksheet, names: Sequence[str]) -> list[WriteOnlyCell]:
    return [cell(ws, n, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN) for n in names]


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def write_table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                widths: Sequence[float] | None = None, number_formats: dict[int, str] | None = None,
                wrap: Sequence[int] = (), freeze: str | None = "B2", autofilter: bool = True,
                title: str | None = None, indent: Sequence[int] = ()) -> int:
    """Append a styled table (optional title row) to a write-only sheet; returns rows written.

    ``number_formats``, ``wrap`` and ``indent`` (text set apart from a number on its left) use
    0-based column indexes.
    """
    # Write-only sheets emit their views and column widths before the first row: set them first.
    first = 3 if title else 1
    print_setup(ws, widths=widths)
    if not title:
        ws.print_title_rows = f"{first}:{first}"
    else:
        ws.print_title_rows = None
    if widths:  # never narrower than a header's longest word: wrapped headers break at spaces
        widths = [max(w, header_width(h)) for w, h in zip(widths, header)] + list(widths[len(header):])
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
        cells = [cell(ws, v, number_format=fmts.get(j),
                      alignment=WRAP if j in wrap else INDENT if j in indent else TOP)
                 for j, v in enumerate(row)]
        if widths and wrap:
            height, over = fit_height((row[j], widths[j]) for j in wrap)
            ws.row_dimensions[first + n + 1].height = height
            for j in wrap if over else ():
                if isinstance(row[j], str) and row_height([(row[j], widths[j])]) > height:
                    cells[j].comment = full_text_comment(row[j])  # capped row: the whole text here
        ws.append(cells)
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
