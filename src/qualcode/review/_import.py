"""Bring a reviewer's decisions back: validate every file first, then apply all or nothing.

Each filled decision cell becomes a human coding (who = the reviewer, when = the import
time, origin = the file and its export id). The store skips a decision identical to the
reviewer's current one, so importing the same file twice changes nothing, and a changed
decision supersedes the older one, which is kept as history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReviewImportError
from ..model import Coding
from ..store import Store, now
from ._read import ProjectView, ReviewFile, read_review_file

Progress = Callable[[int, int, str], None]


@dataclass
class FileSummary:
    path: Path
    reviewer: str
    rows: int
    decisions: int  # filled decision cells
    stored: int  # new decisions (first decision on that segment and code by this reviewer)
    superseded: int  # decisions that replaced a different earlier one
    unchanged: int  # identical to the reviewer's current decision: nothing stored


@dataclass
class ImportResult:
    """What ``import_reviews`` did (or would do, with ``dry_run``)."""

    files: list[FileSummary]
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def stored(self) -> int:
        return sum(f.stored for f in self.files)

    @property
    def superseded(self) -> int:
        return sum(f.superseded for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def decisions(self) -> int:
        return sum(f.decisions for f in self.files)


def project_view(store: Store) -> ProjectView:
    cb = store.codebook()
    segs = store.segments()
    return ProjectView(project_id=store.project_id, segment_shas=store.segment_shas(),
                       texts={s.id: s.text for s in segs}, codes=cb.ids,
                       codebook_version=cb.version,
                       machine_coders={p["coder"] for p in store.passes() if p["kind"] == "machine"})


def import_reviews(store: Store, paths: Sequence[str | Path], *, reviewer: str | None = None,
                   dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Validate every workbook in ``paths``, then store all their decisions, or none.

    ``reviewer`` overrides the name typed in each workbook (and fills it when empty).
    Raises :class:`ReviewImportError` listing every problem (file, sheet and cell) when
    anything is wrong; then nothing is stored.
    """
    project = project_view(store)
    files: list[ReviewFile] = []
    for k, p in enumerate(paths):
        if progress:
            progress(k, len(paths), "read")
        files.append(read_review_file(p, project, reviewer))
    if progress:
        progress(len(paths), len(paths), "read")
    problems = _all_problems(files)
    if problems:
        where = ", ".join(str(f.path) for f in files)
        raise ReviewImportError(where, problems)

    current = {(c.segment_id, c.code_id, c.coder): (c.applied, c.memo or "")
               for c in store.human_codings()}
    stamp = now()
    summaries: list[FileSummary] = []
    warnings: list[str] = []
    for rf in files:
        prefix = f"{rf.path.name}: " if len(files) > 1 else ""
        warnings += [prefix + w for w in rf.warnings]
        codings, stored, superseded, unchanged = [], 0, 0, 0
        for d in rf.decisions:
            key = (d.segment_id, d.code_id, rf.reviewer)
            prev = current.get(key)
            if prev == (d.applied, d.memo):
                unchanged += 1
                continue
            stored += prev is None
            superseded += prev is not None
            current[key] = (d.applied, d.memo)
            codings.append(Coding(segment_id=d.segment_id, code_id=d.code_id, applied=d.applied,
                                  confidence=None, evidence=[], coder=rf.reviewer, coder_kind="human",
                                  codebook_version=rf.codebook_version, created_at=stamp, memo=d.memo))
        if codings and not dry_run:
            store.add_human_codings(codings, origin=f"{rf.path.name} (export {rf.export_id})")
        summaries.append(FileSummary(rf.path, rf.reviewer, rf.rows, len(rf.decisions), stored,
                                     superseded, unchanged))
    return ImportResult(summaries, warnings, dry_run)


def _all_problems(files: list[ReviewFile]) -> list[str]:
    """Every file's problems, plus conflicts between files by the same reviewer."""
    many = len(files) > 1
    out = [f"{rf.path.name}: {p}" if many else p for rf in files for p in rf.problems]
    seen: dict[tuple[str, str, str], tuple[bool, str, str]] = {}
    for rf in files:
        if rf.problems:
            continue
        for d in rf.decisions:
            key = (rf.reviewer, d.segment_id, d.code_id)
            where = f"{rf.path.name}: {d.address}"
            prev = seen.get(key)
            if prev is None:
                seen[key] = (d.applied, d.memo, where)
            elif (prev[0], prev[1]) != (d.applied, d.memo):
                out.append(f"{where}: reviewer {rf.reviewer!r} decided segment {d.segment_id}, code "
                           f"{d.code_id} differently at {prev[2]}; import the files separately (the later "
                           "import wins) or make them agree")
    return out
