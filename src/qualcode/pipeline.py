"""The coding pass, end to end: transcripts in, coded workbook out.

Data flows one way: ingest -> segment -> code -> store -> export. Work already done is not
redone: sources whose bytes did not change keep their segments, and proposals are cached by
(coder version, codebook version, segment text), so a second run over unchanged files only
records a new pass and rewrites the outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codebook import Codebook, load_codebook
from .coders import get_coder
from .coders.base import Coder
from .errors import QualcodeError
from .ingest import SpeakerConfig, TableSpec, discover, ingest
from .model import Proposal
from .segment import segment_source
from .store import Store, text_sha

Progress = Callable[[int, int, str], None]
DEFAULT_DB = "qualcode.db"
DEFAULT_OUT = "outputs"
WORKBOOK_NAME = "coded.xlsx"


@dataclass
class CodingResult:
    """What a coding pass did, for the CLI's summary line and for callers."""

    files: int
    sources: int
    segments: int
    coded_segments: int
    code_counts: dict[str, int]
    pass_id: int
    workbook: Path | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    reused: int = 0  # segments whose proposals came from the cache
    changed_sources: int = 0


def code_project(
    paths: Sequence[str | Path],
    *,
    codebook: str | Path | Codebook | None = None,
    participants: str | Path | None = None,
    db: str | Path = DEFAULT_DB,
    out: str | Path | None = DEFAULT_OUT,
    unit: str = "turn",
    coder: str | Coder = "ensemble",
    coder_options: dict[str, Any] | None = None,
    speakers: SpeakerConfig | None = None,
    table: TableSpec | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> CodingResult:
    """Ingest ``paths``, segment, code with ``coder``, store a new pass and write the workbook.

    Files that cannot be read are reported in ``CodingResult.errors``; the others are coded.
    """
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if participants is None:
        participants = _find_participants(paths)
    report = ingest(paths, participants=participants, speakers=speakers, table=table, progress=progress)
    files = discover(paths)  # for the count; ingest itself also reports unreadable .doc/.pdf...
    if not report.sources and not report.errors:
        raise QualcodeError(f"no transcripts found in {', '.join(map(str, paths))}; supported: "
                            ".txt .md .docx .vtt .srt .csv .xlsx .jsonl")
    if not report.sources:
        detail = "; ".join(f"{p}: {m}" for p, m in report.errors[:5])
        raise QualcodeError(f"none of the {len(report.errors)} file(s) could be read ({detail})")
    if language:
        for s in report.sources:
            s.language = language
    opts = dict(coder_options or {})
    if coder == "ensemble" and "learned" not in opts:  # the project's model from `qualcode train`
        from .coders.ensemble import model_path_for

        learned = model_path_for(db)
        opts["learned"] = str(learned) if learned.exists() else None
    if coder in ("ensemble", "semantic") and "cache" not in opts:  # embeddings belong to the project
        from .coders._embed import project_cache_path

        opts["cache"] = str(project_cache_path(db))
    cdr = coder if not isinstance(coder, str) else get_coder(coder, **opts)

    with Store(db) as store:
        store.save_codebook(cb)
        known = store.source_shas()
        units = store.active_units()
        changed = [s for s in report.sources if known.get(s.id) != s.sha256 or units - {unit}]
        store.save_sources(report.sources)  # attributes may have changed even if the text did not
        for s in changed:
            store.replace_segments(s.id, segment_source(s, unit), unit)
        segments = store.segments([s.id for s in report.sources])

        # proposals may depend on the question too ("Not really." means what it answers)
        shas = [text_sha(s.question + "\x00" + s.text) for s in segments]
        cached = store.cached_proposals(cdr.version, cb.version, shas)
        todo = [i for i, sha in enumerate(shas) if sha not in cached]
        fresh = cdr.code([segments[i] for i in todo], cb, progress) if todo else []
        store.cache_proposals(cdr.version, cb.version, [(shas[i], p) for i, p in zip(todo, fresh)])
        by_sha: dict[str, list[Proposal]] = {**cached, **{shas[i]: p for i, p in zip(todo, fresh)}}
        proposals = [by_sha[sha] for sha in shas]

        pass_id = store.start_pass(cdr.name, cdr.version, "machine", cb.version,
                                   {"unit": unit, "files": len(files), "reused": len(segments) - len(todo)})
        store.add_machine_codings(pass_id, cdr.name, cb.version, segments, proposals)
        store.finish_pass(pass_id, len(segments))

        counts = {c: 0 for c in cb.ids}
        coded = 0
        for props in proposals:
            hit = [p.code_id for p in props if p.applied]
            coded += bool(hit)
            for c in hit:
                counts[c] = counts.get(c, 0) + 1
        workbook = None
        if out is not None:
            from .export import write_coded_workbook

            workbook = write_coded_workbook(store, Path(out) / WORKBOOK_NAME, codebook=cb, progress=progress)
    return CodingResult(files=len(files), sources=len(report.sources), segments=len(segments),
                        coded_segments=coded, code_counts=counts, pass_id=pass_id, workbook=workbook,
                        errors=list(report.errors), reused=len(segments) - len(todo),
                        changed_sources=len(changed))


def _find_participants(paths: Sequence[str | Path]) -> Path | None:
    """A ``participants.csv`` / ``.xlsx`` beside the transcripts is used when none is given."""
    for p in paths:
        folder = Path(p) if Path(p).is_dir() else Path(p).parent
        for name in ("participants.csv", "participants.xlsx"):
            if (folder / name).exists():
                return folder / name
    return None
