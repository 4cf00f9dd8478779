"""What an import did: the counts, every coding it could not map, the notes it found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Unmapped:
    """A coding that did not become a decision, and why."""

    source: str
    start: int
    end: int
    code: str
    user: str
    text: str
    reason: str


@dataclass
class ImportResult:
    """What ``import_project`` did (or would do, with ``dry_run``)."""

    path: Path
    origin: str
    sources_dir: Path
    sources_new: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)  # identical text already in the project
    files: list[Path] = field(default_factory=list)
    codebook_path: Path | None = None  # the codebook YAML written, when codes were added
    codebook_file: str = ""  # the codebook the project uses after the import (its YAML's path)
    codes: int = 0
    codes_new: list[str] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # coder -> decisions "applied"
    selections: int = 0  # coded selections read
    mapped_exact: int = 0  # exactly one segment, same span
    mapped_part: int = 0  # one segment, span differs (part of it, or a little beyond)
    mapped_span: int = 0  # several segments
    decisions_yes: int = 0
    decisions_no: int = 0
    implicit_no: int = 0
    stored: int = 0
    machine_skipped: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    annotations: list[tuple[str, str, str]] = field(default_factory=list)  # source, text, note
    notes: list[tuple[str, str]] = field(default_factory=list)  # title, text
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
