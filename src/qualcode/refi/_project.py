"""The only door between REFI-QDA exchange and the project database.

Everything the exporter reads and the importer writes goes through the few functions here,
which use :class:`~qualcode.store.Store`'s public methods only. A source written by an import
is identified by its file's path (``Store.source_key``), so a later ``qualcode code`` on the
written folder finds the same interviews, segments and decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook
from ..errors import StoreError
from ..model import Coding, Segment, Source
from ..segment import segment_source
from ..store import Effective, Store

UNIT = "turn"  # qualcode's default unit; unlabelled texts are cut in paragraphs by ingest's turns


@dataclass
class ProjectSnapshot:
    """What an export needs, read once."""

    project_id: str
    created_at: str | None
    codebook: Codebook
    sources: list[Source]
    segments: list[Segment]  # active segments, document order
    decisions: list[Coding]  # current human decisions (superseded ones stay in the store)
    machine: dict[tuple[str, str], Effective]  # (segment, code) -> latest machine proposal
    machine_coder: str | None = None
    machine_time: str | None = None
    unit: dict[str, str] = field(default_factory=dict)  # pass params, when known


def read_project(store: Store) -> ProjectSnapshot:
    cb = store.codebook()
    machine_passes = [p for p in store.passes() if p["kind"] == "machine" and p["finished_at"]]
    last = machine_passes[-1] if machine_passes else None
    return ProjectSnapshot(
        project_id=store.project_id, created_at=store.meta("created_at"), codebook=cb,
        sources=store.sources(), segments=store.segments(), decisions=store.human_codings(),
        machine=store.machine_codings() if last else {},
        machine_coder=last["coder"] if last else None, machine_time=last["finished_at"] if last else None)


def source_id_for(relpath: str) -> str:
    """The id ingest gives the file at ``relpath`` under the project's input folder."""
    return Path(relpath).stem


def file_name_for(source_id: str) -> str:
    """The file name (relative to the input folder) whose ingest id is ``source_id``."""
    return f"{source_id}.txt"


class ImportTarget:
    """A project receiving an import: what it already has, and the writes an import makes."""

    def __init__(self, store: Store):
        self.store = store
        try:
            self.codebook: Codebook | None = store.codebook()
        except StoreError:  # a fresh database has no codebook yet
            self.codebook = None
        units = store.active_units()
        self.unit = next(iter(units)) if len(units) == 1 else UNIT
        self.sources = {s.id: s for s in store.sources()}
        self.segments: dict[str, list[Segment]] = {}
        for seg in store.segments():
            self.segments.setdefault(seg.source_id, []).append(seg)
        self.project_id = store.project_id

    def decisions(self) -> list[Coding]:
        return self.store.human_codings()

    def save_codebook(self, cb: Codebook) -> None:
        self.store.save_codebook(cb)
        self.codebook = cb

    def add_source(self, source: Source, segments: Sequence[Segment] | None = None) -> list[Segment]:
        """Store a new source and its segments (qualcode's own segmentation unless given)."""
        segs = list(segments) if segments is not None else segment_source(source, self.unit)
        source.key = source.key or self.store.source_key(source)  # found again by `qualcode code`
        self.store.save_sources([source])
        self.store.replace_segments(source.id, segs, self.unit)
        self.sources[source.id] = source
        self.segments[source.id] = segs
        return segs

    def add_decisions(self, codings: Sequence[Coding], origin: str) -> int:
        return self.store.add_human_codings(codings, origin) if codings else 0

    def set_meta(self, key: str, value: str) -> None:
        self.store.set_meta(key, value)
