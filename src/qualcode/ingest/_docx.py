"""Word (.docx) transcripts: paragraphs (and table rows) become plain text."""

from __future__ import annotations

import io

from qualcode._i18n import Message
from qualcode.errors import IngestError


def docx_text(data: bytes, where: str) -> str:
    """Readable plain text of a .docx: non-empty paragraphs joined by a blank line.

    Tables are kept in reading order, one row per paragraph. Transcripts laid out as a
    "speaker | speech" table become "speaker: speech" so that turns are found as in text files.
    """
    import docx  # lazily: python-docx pulls in lxml
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError, lxml errors...
        raise IngestError(Message("msg.ingest.bad_docx", where=where, error=f"{type(exc).__name__}: {exc}")
                          ) from None
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_rows(item))
        else:
            text = item.text.replace("\r\n", "\n").replace("\r", "\n").strip()
            if text:
                blocks.append(text)
    return "\n\n".join(blocks)


def _table_rows(table: object) -> list[str]:
    rows: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            value = cell.text.strip()
            if value and (not cells or cells[-1] != value):  # merged cells repeat themselves
                cells.append(value)
        if len(cells) >= 2:
            rows.append(" ".join(cells[:-1]) + ": " + cells[-1])
        elif cells:
            rows.append(cells[0])
    return rows
