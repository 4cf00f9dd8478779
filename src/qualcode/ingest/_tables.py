"""Tables of transcripts or answers: .csv/.tsv, .xlsx and .jsonl.

Two layouts exist in practice. "document": one row is one whole transcript (the Anthropic
Interviewer jsonl, an export from a transcription service); its text is parsed for speaker
turns. "answer": one row is one answer of one participant (survey exports, a coding sheet);
rows are grouped into one Source per participant, the question column becoming the
interviewer turn before each answer. "auto" looks at the texts to decide.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode._i18n import Message
from qualcode.errors import IngestError
from qualcode.model import INTERVIEWER, RESPONDENT, Source, SpeakerRole

from ._common import TurnText, norm_label, normalise_newlines, sha256_record
from ._encoding import decode_bytes
from ._speakers import SpeakerConfig, has_speaker_labels, parse_turns

ID_COLUMNS = ("id", "participant", "respondent", "transcript_id")
TEXT_COLUMNS = ("text", "answer", "response", "réponse", "transcript")
QUESTION_COLUMNS = ("question",)
_AUTO_SAMPLE = 50
# csv refuses cells over 131,072 characters with a message about quotes; long answers are
# checked against MAX_TURN_CHARS with a message that says so instead
csv.field_size_limit(max(csv.field_size_limit(), 50_000_000))  # rows looked at to decide between "document" and "answer"
QUESTION_SPEAKER = "Q"


@dataclass
class TableSpec:
    """How to read a table. Column names compare case- and accent-insensitively.

    ``id_column`` defaults to the first of id/participant/respondent/transcript_id (rows
    without one get "<file stem>-<row>"); ``text_column`` to the first of
    text/answer/response/réponse/transcript; ``question_column`` to a "question" column if
    any; ``attribute_columns`` to all other columns. ``unit`` is "document", "answer" or
    "auto" ("document" when the texts contain speaker labels).
    """

    id_column: str | None = None
    text_column: str | None = None
    question_column: str | None = None
    attribute_columns: list[str] | None = None
    unit: str = "auto"


Row = dict[str, Any]
NumberedRow = tuple[int, Row]  # (row or line number in the file, values)


def read_table_rows(data: bytes, kind: str, where: str) -> tuple[list[str], list[NumberedRow], str]:
    """(columns, numbered rows, encoding) of a ``kind`` = csv/tsv/xlsx/jsonl file.

    Empty cells are None; strings from csv/xlsx are stripped, jsonl values are kept as they are.
    Formula cells of a workbook give their last computed value (see :func:`formula_cells`).
    """
    if kind == "xlsx":
        columns, rows, _ = _xlsx_rows(data, where)
        return columns, rows, "xlsx"
    text, encoding = decode_bytes(data, where)
    text = normalise_newlines(text)
    if kind == "jsonl":
        columns, rows = _jsonl_rows(text, where)
    else:
        columns, rows = _csv_rows(text, where, "\t" if kind == "tsv" else None)
    return columns, rows, encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the header into the most columns consistently."""
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(",;\t|", key=header.count)


def _csv_rows(text: str, where: str, delimiter: str | None) -> tuple[list[str], list[NumberedRow]]:
    delimiter = delimiter or sniff_delimiter(text)
    _check_quotes(text, where, delimiter)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        table = list(reader)
    except csv.Error as exc:
        raise IngestError(Message("msg.ingest.csv_error", where=where, line=reader.line_num, error=exc)) from None
    return _numbered(table, where)


def _check_quotes(text: str, where: str, delimiter: str) -> None:
    """Refuse a quote that opens a field and never closes: it would swallow every later row."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc) or "EOF" in str(exc):
                raise IngestError(Message("msg.ingest.open_quote", where=where, start=start,
                                          end=reader.line_num)) from None
            return  # other irregular quoting: the tolerant reader below copes as before
        start = reader.line_num + 1


def _numbered(table: list[list[Any]], where: str) -> tuple[list[str], list[NumberedRow]]:
    """Header = first non-blank row; data rows keep their spreadsheet row number (1-based)."""
    filled = [i for i, row in enumerate(table) if any(_filled(v) for v in row)]
    if not filled:
        raise IngestError(Message("msg.ingest.empty_table", where=where))
    head = filled[0]
    columns = _unique_columns([str(v).strip() if v is not None else "" for v in table[head]])
    rows = [
        (
            i + 1,
            {
                col: _cell(table[i][j]) if j < len(table[i]) else None
                for j, col in enumerate(columns)
            },
        )
        for i in filled[1:]
    ]
    return columns, rows


Formulas = dict[str, list[tuple[str, str]]]  # column -> [(cell, formula)]


def _xlsx_rows(data: bytes, where: str) -> tuple[list[str], list[NumberedRow], Formulas]:
    """Rows of the first sheet (cached values of formulas) and the formula cells by column."""
    import openpyxl  # lazily: slow to import
    from openpyxl.utils import get_column_letter

    sheets = []
    for data_only in (True, False):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                              data_only=data_only)
        except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
            raise IngestError(Message("msg.ingest.bad_xlsx", where=where, error=f"{type(exc).__name__}: {exc}")
                              ) from None
        try:
            sheets.append([list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)])
        finally:
            workbook.close()
    values, raw = sheets
    columns, rows = _numbered(values, where)
    formulas: Formulas = {}
    head = next(i for i, row in enumerate(values) if any(_filled(v) for v in row))
    for i, row in enumerate(raw[head + 1:], start=head + 1):
        for j, v in enumerate(row[:len(columns)]):
            if isinstance(v, str) and v.startswith("=") and v != values[i][j]:
                formulas.setdefault(columns[j], []).append((f"{get_column_letter(j + 1)}{i + 1}", v))
    return columns, rows, formulas


def _refuse_formulas(formulas: Formulas, column: str, where: str) -> None:
    """A formula in the text column is not what the respondent said: name the cells."""
    cells = formulas.get(column)
    if not cells:
        return
    shown = ", ".join(f"{c} ({f[:30]})" for c, f in cells[:5]) + (" ..." if len(cells) > 5 else "")
    raise IngestError(Message("msg.ingest.text_formulas", where=where, n=len(cells), column=column, shown=shown))


def _jsonl_rows(text: str, where: str) -> tuple[list[str], list[NumberedRow]]:
    columns: dict[str, None] = {}
    rows: list[NumberedRow] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(Message("msg.ingest.bad_json_line", where=where, line=lineno, error=exc.msg,
                                      column=exc.colno)) from None
        if not isinstance(record, dict):
            raise IngestError(Message("msg.ingest.json_not_object", where=where, line=lineno,
                                      kind=type(record).__name__))
        rows.append((lineno, record))
        columns.update(dict.fromkeys(record))
    if not rows:
        raise IngestError(Message("msg.ingest.no_json_lines", where=where))
    return list(columns), rows


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _cell(value: Any) -> Any:
    """Spreadsheet cell -> JSON-friendly value (dates as ISO strings, blanks as None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _unique_columns(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for i, name in enumerate(names):
        name = name or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _find_column(
    columns: list[str], wanted: str | None, defaults: tuple[str, ...], what: str, where: str
) -> str | None:
    """The actual column for an explicit name (error if absent) or the first default present."""
    by_key = {}
    for col in columns:
        by_key.setdefault(norm_label(col), col)
    if wanted is not None:
        found = by_key.get(norm_label(wanted))
        if found is None:
            raise IngestError(Message("msg.ingest.no_named_column", where=where, wanted=wanted,
                                      what=Message(f"msg.ingest.what.{what}"), columns=", ".join(columns)))
        return found
    for name in defaults:
        if norm_label(name) in by_key:
            return by_key[norm_label(name)]
    return None


def _as_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1.0 from a spreadsheet means participant "1"
    return str(value).strip()


def table_sources(
    data: bytes, path: Path, where: str, spec: TableSpec, config: SpeakerConfig
) -> list[Source]:
    """Sources of one table file, following ``spec``. ``where`` is the path as given."""
    fmt = path.suffix.lower().lstrip(".")
    formulas: Formulas = {}
    if fmt == "xlsx":
        columns, rows, formulas = _xlsx_rows(data, where)
        encoding = "xlsx"
    else:
        columns, rows, encoding = read_table_rows(data, fmt, where)
    text_col = _find_column(columns, spec.text_column, TEXT_COLUMNS, "text", where)
    if text_col is None:
        raise IngestError(Message("msg.ingest.no_text_column", where=where, columns=", ".join(columns)))
    _refuse_formulas(formulas, text_col, where)
    id_col = _find_column(columns, spec.id_column, ID_COLUMNS, "id", where)
    q_col = _find_column(columns, spec.question_column, QUESTION_COLUMNS, "question", where)
    if spec.attribute_columns is None:
        attr_cols = [c for c in columns if c not in (text_col, id_col, q_col)]
    else:
        attr_cols = [
            _find_column(columns, c, (), "attribute", where) or c for c in spec.attribute_columns
        ]
    unit = spec.unit
    if unit not in ("auto", "document", "answer"):
        raise IngestError(Message("msg.ingest.bad_unit", where=where, unit=unit))
    if unit == "auto":
        unit = "document" if _texts_have_labels(rows, text_col, config) else "answer"
    common = (where, fmt, encoding)
    if unit == "document":
        return _document_sources(rows, text_col, id_col, attr_cols, path.stem, common, config)
    return _answer_sources(rows, text_col, id_col, q_col, attr_cols, path.stem, common)


def _texts_have_labels(rows: list[NumberedRow], text_col: str, config: SpeakerConfig) -> bool:
    texts = [r[text_col] for _, r in rows if isinstance(r.get(text_col), str)][:_AUTO_SAMPLE]
    return any(has_speaker_labels(normalise_newlines(t), config) for t in texts)


def _document_sources(
    rows: list[NumberedRow],
    text_col: str,
    id_col: str | None,
    attr_cols: list[str],
    stem: str,
    common: tuple[str, str, str],
    config: SpeakerConfig,
) -> list[Source]:
    where, fmt, encoding = common
    sources: list[Source] = []
    for n, row in rows:
        value = row.get(text_col)
        if value is None or not str(value).strip():
            continue  # an empty row is not an interview
        text = normalise_newlines(str(value))
        sid = _as_id(row[id_col]) if id_col and _filled(row.get(id_col)) else f"{stem}-{n}"
        attrs = {c: row.get(c) for c in attr_cols if row.get(c) is not None}
        sources.append(
            Source(
                id=sid, path=where, text=text, format=fmt, sha256=sha256_record(row),
                encoding=encoding, attributes=attrs, turns=parse_turns(text, config),
            )
        )  # fmt: skip
    return sources


def _answer_sources(
    rows: list[NumberedRow],
    text_col: str,
    id_col: str | None,
    q_col: str | None,
    attr_cols: list[str],
    stem: str,
    common: tuple[str, str, str],
) -> list[Source]:
    """Group answer rows by id; text is "Q: question\\n\\n<id>: answer" blocks."""
    where, fmt, encoding = common
    groups: dict[str, list[Row]] = {}
    for n, row in rows:
        sid = _as_id(row[id_col]) if id_col and _filled(row.get(id_col)) else f"{stem}-{n}"
        groups.setdefault(sid, []).append(row)
    sources: list[Source] = []
    for sid, group in groups.items():
        out = TurnText()
        for row in group:
            answer = row.get(text_col)
            if answer is None or not str(answer).strip():
                continue
            blocks: list[tuple[str, SpeakerRole, str]] = []  # (speaker, role, speech)
            question = row.get(q_col) if q_col else None
            if question is not None and str(question).strip():
                blocks.append(
                    (QUESTION_SPEAKER, INTERVIEWER, normalise_newlines(str(question)).strip())
                )
            blocks.append((sid, RESPONDENT, normalise_newlines(str(answer)).strip()))
            for speaker, role, speech in blocks:
                out.add(f"{speaker}: ", speech, speaker, role)
        if not out.turns:
            continue
        attrs: dict[str, Any] = {}
        for col in attr_cols:  # first non-empty value of each column within the group
            for row in group:
                if row.get(col) is not None:
                    attrs[col] = row[col]
                    break
        sources.append(
            Source(
                id=sid, path=where, text=out.text(), format=fmt,
                sha256=sha256_record({"rows": group}), encoding=encoding,
                attributes=attrs, turns=out.turns,
            )
        )  # fmt: skip
    return sources
