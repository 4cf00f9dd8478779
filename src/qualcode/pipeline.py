"""The coding pass, end to end: transcripts in, a coding pass in the project database.

Data flows one way: ingest -> segment -> code -> store. Work already done is not redone:
sources whose bytes did not change keep their segments, and proposals are cached by (coder
version, codebook version, segment text), so a second run over unchanged files stores nothing.
The coded workbook is an output, written by the caller (:func:`qualcode.code_project`, or
``qualcode code``) with :func:`qualcode.export.write_project_workbook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import DEFAULT_DB
from ._i18n import Joined, Message
from .codebook import Codebook, load_codebook
from .coders import get_coder
from .coders.base import Coder
from .errors import QualcodeError
from .ingest import SpeakerConfig, TableSpec, discover, ingest
from .model import Progress, Proposal, segment_attributes
from .segment import segment_source
from .store import Store, text_sha


@dataclass
class CodingResult:
    """What a coding pass did, for the CLI's summary line and for callers."""

    files: int
    sources: int
    segments: int
    coded_segments: int
    code_counts: dict[str, int]
    pass_id: int
    workbook: Path | None  # set by whoever writes the coded workbook after the pass
    errors: list[tuple[str, str]] = field(default_factory=list)
    reused: int = 0  # segments whose proposals came from the cache
    changed_sources: int = 0
    new_pass: bool = True  # False when nothing changed since the last pass (none was added)
    stale: int = 0  # human decisions whose words are no longer in the transcripts
    language: str = "en"  # the codebook's language: what the project speaks
    warnings: list[tuple[str, str]] = field(default_factory=list)  # files read, but check them


def coding_pass(
    paths: Sequence[str | Path],
    *,
    codebook: str | Path | Codebook | None = None,
    participants: str | Path | None = None,
    db: str | Path = DEFAULT_DB,
    unit: str = "turn",
    coder: str | Coder = "ensemble",
    coder_options: dict[str, Any] | None = None,
    speakers: SpeakerConfig | None = None,
    table: TableSpec | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> CodingResult:
    """Ingest ``paths``, segment, code with ``coder`` and store a new pass (none when nothing
    changed); ``CodingResult.workbook`` is left None.

    Files that cannot be read are reported in ``CodingResult.errors``; the others are coded.
    """
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if participants is None:
        participants = _find_participants(paths)
    report = ingest(paths, participants=participants, speakers=speakers, table=table, progress=progress)
    files = discover(paths)  # for the count; ingest itself also reports unreadable .doc/.pdf...
    if not report.sources and not report.errors:
        raise QualcodeError(Message("msg.pipeline.no_transcripts", paths=", ".join(map(str, paths))))
    if not report.sources:
        detail = Joined([Message("msg.in_file", file=p, msg=m) for p, m in report.errors[:5]])
        raise QualcodeError(Message("msg.pipeline.none_readable", n=len(report.errors), detail=detail))
    if language:
        for s in report.sources:
            s.language = language
    opts = dict(coder_options or {})
    if coder == "ensemble" and "learned" not in opts:  # the project's model from `qualcode train`
        from .coders.ensemble import model_path_for

        learned = model_path_for(db)
        opts["learned"] = str(learned) if learned.exists() else None
    if coder in ("ensemble", "semantic") and "cache" not in opts:  # embeddings belong to the project
        from ._files import project_cache_path

        opts["cache"] = str(project_cache_path(db))
    cdr = coder if not isinstance(coder, str) else get_coder(coder, **opts)

    with Store(db) as store:
        store.assign_ids(report.sources, [store.source_key(s) for s in report.sources])
        # what must be (re)segmented: new or edited texts, a unit change, or segments that do
        # not match their text (left by an interrupted run of an older qualcode)
        known = store.source_shas()
        units = store.active_units()
        repair = store.sources_needing_repair()
        changed = [s for s in report.sources
                   if known.get(s.id) != s.sha256 or units - {unit} or s.id in repair]
        fresh_segments = {s.id: segment_source(s, unit) for s in changed}
        current = {s.id for s in report.sources}
        segments = [seg for s in report.sources for seg in fresh_segments.get(s.id, [])]
        kept = store.segments([s.id for s in report.sources if s.id not in fresh_segments])
        attrs = {s.id: s.attributes for s in report.sources}
        for seg in kept:
            if seg.source_id in attrs:  # the participants sheet may have changed since
                seg.attributes = segment_attributes(attrs[seg.source_id], seg.speaker)
        segments = sorted(kept + segments, key=lambda g: (g.source_id, g.start))
        segments = [g for g in segments if g.source_id in current]

        # which segments need proposals from this coder and codebook, on their present words
        stale = store.segments_to_code(cdr.version, cb.version)
        todo_segs = [g for g in segments if g.source_id in fresh_segments or g.id in stale]
        # proposals may depend on the question too ("Not really." means what it answers)
        shas = [text_sha(g.question + "\x00" + g.text) for g in todo_segs]
        cached = store.cached_proposals(cdr.version, cb.version, shas)
        todo = [i for i, sha in enumerate(shas) if sha not in cached]
        fresh = cdr.code([todo_segs[i] for i in todo], cb, progress) if todo else []
        by_sha: dict[str, list[Proposal]] = {**cached, **{shas[i]: p for i, p in zip(todo, fresh)}}
        proposals = [by_sha[sha] for sha in shas]

        # publish everything in one transaction: an interrupted run changes nothing
        with store.atomic():
            store.save_codebook(cb)
            store.save_sources(report.sources)  # attributes may change even when the text did not
            for s in changed:
                store.replace_segments(s.id, fresh_segments[s.id], unit)
            store.cache_proposals(cdr.version, cb.version, [(shas[i], p) for i, p in zip(todo, fresh)])
            if todo_segs:
                pass_id = store.start_pass(cdr.name, cdr.version, "machine", cb.version,
                                           {"unit": unit, "files": len(files), "reused": len(todo_segs) - len(todo)})
                store.add_machine_codings(pass_id, cdr.name, cb.version, todo_segs, proposals)
                store.finish_pass(pass_id, len(todo_segs))
            else:  # nothing changed: no new pass, the file does not grow
                pass_id = max((p["id"] for p in store.passes() if p["kind"] == "machine"), default=0)

        stale = len(store.stale_decisions())
        state = store.machine_codings()
        counts = {c: 0 for c in cb.ids}
        coded = 0
        for g in segments:
            hit = [c for c in cb.ids if (e := state.get((g.id, c))) and e.applied]
            coded += bool(hit)
            for c in hit:
                counts[c] = counts.get(c, 0) + 1
    return CodingResult(files=len(files), sources=len(report.sources), segments=len(segments),
                        coded_segments=coded, code_counts=counts, pass_id=pass_id, workbook=None,
                        errors=list(report.errors), warnings=list(report.warnings),
                        reused=len(segments) - len(todo), changed_sources=len(changed),
                        new_pass=bool(todo_segs), stale=stale, language=cb.language)


def _find_participants(paths: Sequence[str | Path]) -> Path | None:
    """A ``participants.csv`` / ``.xlsx`` beside the transcripts is used when none is given."""
    for p in paths:
        folder = Path(p) if Path(p).is_dir() else Path(p).parent
        for name in ("participants.csv", "participants.xlsx"):
            if (folder / name).exists():
                return folder / name
    return None
