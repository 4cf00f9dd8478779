"""The researcher's participants sheet: one row per interview or per participant.

Its columns (age, role, site...) become Source.attributes. The sheet is the master list, so
its values override front-matter and table attributes of the same name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode._i18n import Message
from qualcode.errors import IngestError
from qualcode.model import BY_SPEAKER, RESPONDENT, Source

from ._checks import canonical_attributes
from ._common import CONVERTIBLE_EXTS, SUPPORTED_EXTS, TABLE_EXTS, norm_label
from ._tables import read_table_rows

# Column names, French and English, compared with norm_label (case and accents ignored).
FILE_COLUMNS = ("file", "fichier", "filename", "file name", "nom de fichier", "nom du fichier",
                "source", "transcript", "transcription", "document", "entretien", "interview")
ID_COLUMNS = ("id", "identifiant", "code")
SPEAKER_COLUMNS = ("participant", "participante", "speaker", "locuteur", "locutrice",
                   "intervenant", "intervenante", "interviewee", "interviewe", "enquete",
                   "enquetee", "repondant", "repondante", "respondent", "pseudo", "pseudonyme")
KEY_COLUMNS = FILE_COLUMNS + ID_COLUMNS + SPEAKER_COLUMNS


def load_participants(path: str | Path) -> dict[str, dict[str, Any]]:
    """{key: {column: value}} from a .csv (delimiter , ; or tab, any encoding) or .xlsx sheet.

    The key column is the first of file/source/transcript/id/participant/speaker. Text values
    are stripped; empty cells are None. Raises IngestError naming the file, row and column.
    """
    path = Path(path)
    where = path.name
    ext = path.suffix.lower().lstrip(".")
    if ext not in ("csv", "tsv", "txt", "xlsx"):
        raise IngestError(Message("msg.ingest.participants_ext", where=where,
                                  ext=ext or Message("msg.ingest.no_extension")))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(Message("msg.ingest.participants_unreadable", where=path, error=exc.strerror)
                          ) from None
    kind = ext if ext in ("tsv", "xlsx") else "csv"
    columns, rows, _ = read_table_rows(data, kind, where)
    by_key = {norm_label(c): c for c in reversed(columns)}
    key_col = next((by_key[k] for k in KEY_COLUMNS if k in by_key), None)
    if key_col is None:
        raise IngestError(Message("msg.ingest.participants_no_key", where=where, columns=", ".join(columns)))
    speaker_col = next((by_key[k] for k in SPEAKER_COLUMNS if k in by_key), None)
    if speaker_col == key_col:
        speaker_col = None
    table: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    per_speaker: dict[str, list[dict[str, Any]]] = {}
    for rownum, row in rows:
        key = row.get(key_col)
        if key is None or not str(key).strip():
            raise IngestError(Message("msg.ingest.participants_empty_key", where=where, row=rownum,
                                      column=key_col))
        key = _as_key(key)
        clean = {c: (v.strip() if isinstance(v, str) else v) for c, v in row.items()}
        if key in table:
            speakers = {norm_label(str(r.get(speaker_col) or "")) for r in per_speaker[key]}
            name = norm_label(str(clean.get(speaker_col) or "")) if speaker_col else ""
            if not name or name in speakers:
                what = (Message("msg.ingest.participants_and_speaker", speaker=clean.get(speaker_col))
                        if name else "")
                raise IngestError(Message("msg.ingest.participants_duplicate", where=where, row=rownum,
                                          column=key_col, key=key, what=what, first=first_row[key]))
        else:
            first_row[key] = rownum
            per_speaker[key] = []
        per_speaker[key].append(clean)
        table[key] = clean
    for key, group in per_speaker.items():
        if len(group) > 1:
            table[key] = _by_speaker(group, speaker_col)  # type: ignore[arg-type]
    return table


def _by_speaker(group: list[dict[str, Any]], speaker_col: str) -> dict[str, Any]:
    """One row for a transcript with one row per speaker: the values all rows share, and each
    speaker's own row under :data:`BY_SPEAKER` (keyed by the name as written)."""
    common = {c: v for c, v in group[0].items() if all(r.get(c) == v for r in group)}
    common.pop(speaker_col, None)
    common[BY_SPEAKER] = {str(r[speaker_col]): {c: v for c, v in r.items() if c not in common}
                          for r in group}
    return common


_FILE_COLUMNS = set(FILE_COLUMNS)


def _as_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _match_key(name: str) -> str:
    """Comparable file key: Entretien_01.docx, entretien_01 and ENTRETIEN_01 all match."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in SUPPORTED_EXTS or suffix in CONVERTIBLE_EXTS:
        name = name[: -len(suffix) - 1]
    return norm_label(name)


class ParticipantIndex:
    """Finds the participants row of a Source: by file name or id, else by respondent name."""

    def __init__(self, table: dict[str, dict[str, Any]]):
        self.by_key: dict[str, dict[str, Any]] = {}
        self.by_speaker: dict[str, list[dict[str, Any]]] = {}
        for key, row in table.items():
            self.by_key.setdefault(_match_key(key), row)
            names = {norm_label(str(v)) for c, v in row.items()
                     if norm_label(c) in SPEAKER_COLUMNS and v is not None and str(v).strip()}  # fmt: skip
            names |= {norm_label(n) for n in row.get(BY_SPEAKER, {})}
            for name in names:
                self.by_speaker.setdefault(name, []).append(row)

    def speaker_names(self) -> set[str]:
        """Speaker names the sheet lists (they start turns even when said once)."""
        return set(self.by_speaker)

    def match(self, source: Source) -> dict[str, Any] | None:
        """The row for ``source``; a speaker match counts only when it is unambiguous."""
        keys = [source.id]
        if source.format not in TABLE_EXTS:  # a table's file name is shared by all its rows
            keys += [Path(source.path).name]
        for key in keys:
            row = self.by_key.get(_match_key(key))
            if row is not None:
                return row
        speakers = {
            norm_label(t.speaker) for t in source.turns if t.role == RESPONDENT and t.speaker
        }
        rows = {id(r): r for s in speakers for r in self.by_speaker.get(s, [])}
        return next(iter(rows.values())) if len(rows) == 1 else None


def merge_attributes(source: Source, row: dict[str, Any]) -> None:
    """Participants values win over what the transcript itself said (empty cells do not).

    The file-name column only locates the transcript: it is not an attribute of the person.
    """
    for column, value in row.items():
        if column == BY_SPEAKER:
            _merge_speakers(source, value)
            continue
        if norm_label(column) in _FILE_COLUMNS:
            continue
        if value is not None and value != "":
            source.attributes[canonical_attributes({column: None}).popitem()[0]] = value


def _merge_speakers(source: Source, rows: dict[str, dict[str, Any]]) -> None:
    """Per-speaker rows, keyed by the speaker labels of the turns ("MARIE" finds "Marie")."""
    by_name = {norm_label(n): r for n, r in rows.items()}
    per: dict[str, dict[str, Any]] = {}
    for label in {t.speaker for t in source.turns if t.speaker}:
        row = by_name.get(norm_label(label))
        if row is not None:
            per[label] = {canonical_attributes({c: None}).popitem()[0]: v for c, v in row.items()
                          if v is not None and v != "" and norm_label(c) not in _FILE_COLUMNS}
    if per:
        source.attributes[BY_SPEAKER] = per
