"""Ingest: read interview transcripts into :class:`qualcode.model.Source` objects.

Reads .txt/.md (optional YAML front matter), .docx, .vtt/.srt subtitles and tables
(.csv/.tsv/.xlsx/.jsonl), decodes legacy encodings without losing French accents, and finds
speaker turns ("Enquêteur :", "[00:12:34] Marie:", "**Q :**", "User:"...). Every turn obeys
``source.text[turn.start:turn.end] == what the speaker said``.

``ingest()`` is the batch entry point: a file that cannot be read is reported in
``IngestReport.errors`` and the others are still read. Library code never prints; pass
``progress(n_done, n_total, label)`` to follow a long run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qualcode._i18n import Message
from qualcode.errors import IngestError
from qualcode.model import Source

from ..model import Progress
from ._checks import canonical_attributes, check_turn_sizes, turn_warnings
from ._common import (
    CONVERTIBLE_EXTS,
    SUBTITLE_EXTS,
    SUPPORTED_EXTS,
    TABLE_EXTS,
    normalise_newlines,
    sha256_bytes,
)
from ._discover import PathLike, is_side_file, scan
from ._docx import docx_text
from ._encoding import decode_bytes
from ._language import detect_language
from ._participants import ParticipantIndex, load_participants, merge_attributes
from ._speakers import (
    DEFAULT_INTERVIEWER_LABELS,
    DEFAULT_RESPONDENT_LABELS,
    SpeakerConfig,
    analyse_turns,
    parse_turns,
)
from ._subtitles import subtitle_document
from ._tables import TableSpec, table_sources
from ._text import split_front_matter

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "DEFAULT_RESPONDENT_LABELS",
    "SUPPORTED_EXTS",
    "IngestReport",
    "SpeakerConfig",
    "TableSpec",
    "detect_language",
    "discover",
    "ingest",
    "load_participants",
    "parse_turns",
    "read_source",
]



@dataclass
class IngestReport:
    """What ``ingest()`` read, what it could not read (path, message) and what it left aside."""

    sources: list[Source] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message): read, but check


def discover(paths: PathLike | Sequence[PathLike], recursive: bool = False) -> list[Path]:
    """Transcript files under ``paths``, sorted.

    Folders are expanded (sub-folders too when ``recursive``); only supported extensions are
    kept; participants.* and README* files, hidden files and Office lock files (~$...) are
    left out. Raises IngestError for a path that does not exist.
    """
    files, _, errors = scan(paths, recursive)
    missing = [msg for _, msg in errors if "no such file" in msg]
    if missing:
        raise IngestError(missing[0])
    return files


def read_source(
    path: PathLike, speakers: SpeakerConfig | None = None, table: TableSpec | None = None
) -> list[Source]:
    """The Source(s) in one file: one for a transcript, one per id for a table.

    ``Source.path`` is ``str(path)`` as given. Raises IngestError, naming the file, when it
    cannot be read.
    """
    return _read_source(path, speakers, table)[0]


def _read_source(
    path: PathLike, speakers: SpeakerConfig | None = None, table: TableSpec | None = None
) -> tuple[list[Source], list[str]]:
    """:func:`read_source`, with the warnings about what was read (see :func:`turn_warnings`)."""
    where = str(path)
    file = Path(path)
    ext = file.suffix.lower().lstrip(".")
    if ext not in SUPPORTED_EXTS:
        hint = CONVERTIBLE_EXTS.get(ext) or Message(
            "msg.ingest.supported_formats", formats=", ".join("." + e for e in sorted(SUPPORTED_EXTS))
        )
        raise IngestError(Message("msg.ingest.cannot_read_ext", where=where,
                                  ext=ext or Message("msg.ingest.no_extension"), hint=hint))
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise IngestError(Message("msg.ingest.no_such_file", where=where)) from None
    except OSError as exc:
        raise IngestError(Message("msg.ingest.unreadable", where=where, error=exc.strerror)) from None
    config = speakers or SpeakerConfig()

    if ext in TABLE_EXTS:
        sources = table_sources(data, file, where, table or TableSpec(), config)
        if not sources:
            raise IngestError(Message("msg.ingest.all_rows_empty", where=where))
        for source in sources:
            source.language = detect_language(source.text)
            check_turn_sizes(source, where)
        for source in _unique_ids(sources):
            source.locator = source.id  # the row's id within its file, before any cross-file renaming
        return sources, []

    attributes: dict[str, Any] = {}
    if ext == "docx":
        text, encoding = docx_text(data, where), "docx"
    else:
        decoded, encoding = decode_bytes(data, where)
        text = normalise_newlines(decoded).removeprefix("\ufeff")
        if ext in SUBTITLE_EXTS:
            text, turns = subtitle_document(text, where, config)
        else:
            attributes, text = split_front_matter(text, where)
    if not text.strip():
        raise IngestError(Message("msg.ingest.no_text", where=where))
    unread: Counter[str] = Counter()
    if ext not in SUBTITLE_EXTS:
        parsed = analyse_turns(text, config)
        turns, unread = parsed.turns, parsed.unread
        attributes = {**parsed.header, **attributes}  # front matter wins over header lines
    source = Source(
        id=file.stem, path=where, text=text, format=ext, sha256=sha256_bytes(data),
        encoding=encoding, language=detect_language(text),
        attributes=canonical_attributes(attributes), turns=turns,
    )  # fmt: skip
    check_turn_sizes(source, where)
    return [source], turn_warnings(source, unread)


def ingest(
    paths: PathLike | Sequence[PathLike],
    participants: PathLike | None = None,
    speakers: SpeakerConfig | None = None,
    table: TableSpec | None = None,
    progress: Progress | None = None,
    recursive: bool = False,
) -> IngestReport:
    """Read every transcript under ``paths``; unreadable files go to ``report.errors``.

    ``participants`` (csv/xlsx) rows are matched to sources by file name (with or without
    extension) or id, else by a respondent's speaker name; their columns are merged into
    ``Source.attributes`` and win over front matter (the sheet is the researcher's master
    list). A participants file that cannot be read raises IngestError at once, before any
    transcript is read. Source ids are made unique by appending "-2", "-3"...
    """
    index = ParticipantIndex(load_participants(participants)) if participants else None
    if index is not None and index.speaker_names():  # listed speakers are turns even said once
        speakers = speakers or SpeakerConfig()
        speakers = replace(speakers, names=set(speakers.names) | index.speaker_names())
    files, skipped, errors = scan(paths, recursive)
    if participants is not None:
        sheet = Path(participants).resolve()
        if any(f.resolve() == sheet for f in files):
            files = [f for f in files if f.resolve() != sheet]
            if not is_side_file(sheet):
                skipped.append(str(participants))
    report = IngestReport(errors=errors, skipped=skipped)
    seen: dict[str, int] = {}
    for done, file in enumerate(files, start=1):
        try:
            sources, notes = _read_source(file, speakers, table)
            report.warnings += [(str(file), n) for n in notes]
        except IngestError as exc:
            report.errors.append((str(file), exc.args[0] if len(exc.args) == 1 else str(exc)))  # a Message
            sources = []
        except Exception as exc:  # a batch must survive one odd file; keep the cause visible
            report.errors.append(
                (str(file), f"{file}: unexpected error while reading ({type(exc).__name__}: {exc})")
            )
            sources = []
        for source in sources:
            source.id = _unique(source.id, seen)
            if index is not None:
                row = index.match(source)
                if row is not None:
                    merge_attributes(source, row)
            report.sources.append(source)
        if progress is not None:
            progress(done, len(files), file.name)
    return report


def _unique(sid: str, seen: dict[str, int]) -> str:
    """Make an id unique: P01, P01-2, P01-3... in order of appearance."""
    count = seen.get(sid, 0) + 1
    seen[sid] = count
    if count == 1:
        return sid
    candidate = f"{sid}-{count}"
    while candidate in seen:  # "P01-2" may itself be a real id
        count += 1
        candidate = f"{sid}-{count}"
    seen[sid] = count
    seen[candidate] = 1
    return candidate


def _unique_ids(sources: list[Source]) -> list[Source]:
    seen: dict[str, int] = {}
    for source in sources:
        source.id = _unique(source.id, seen)
    return sources
