"""Bring a reviewer's decisions back: validate every file first, then apply all or nothing.

Each filled decision cell becomes a human coding (who = the reviewer, when = the import
time, origin = the file and its export id). The store skips a decision identical to the
reviewer's current one, so importing the same file twice changes nothing, and a changed
decision supersedes the older one, which is kept as history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._i18n import Joined, Message, tr
from ..errors import ReviewImportError
from ..model import Coding, Progress
from ..store import ADJUDICATOR, REVIEWER, Store, now
from ._read import ProjectView, ReviewFile, read_review_file


@dataclass
class FileSummary:
    path: Path
    reviewer: str
    rows: int
    decisions: int  # filled decision cells
    stored: int  # new decisions (first decision on that segment and code by this reviewer)
    superseded: int  # decisions that replaced a different earlier one
    unchanged: int  # identical to the reviewer's current decision: nothing stored
    withdrawn: int = 0  # earlier decisions withdrawn ("clear"), kept as history


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
    def withdrawn(self) -> int:
        return sum(f.withdrawn for f in self.files)

    @property
    def decisions(self) -> int:
        return sum(f.decisions for f in self.files)


def project_view(store: Store) -> ProjectView:
    cb = store.codebook()
    segs = store.segments()
    shas = store.segment_shas()
    return ProjectView(project_id=store.project_id, segment_shas=shas,
                       texts={s.id: s.text for s in segs}, codes=cb.ids,
                       codebook_version=cb.version,
                       machine_coders={p["coder"] for p in store.passes() if p["kind"] == "machine"},
                       known=store.segment_versions(), active_shas=set(shas.values()))


def import_reviews(store: Store, paths: Sequence[str | Path], *, reviewer: str | None = None,
                   dry_run: bool = False, force: bool = False,
                   progress: Progress | None = None) -> ImportResult:
    """Validate every workbook in ``paths``, then store all their decisions, or none.

    ``reviewer`` overrides the name typed in each workbook (and fills it when empty). A
    workbook exported before one already imported for the same reviewer would revert newer
    decisions: it is refused, naming them, unless ``force``. Raises
    :class:`ReviewImportError` listing every problem (file, sheet and cell) when anything is
    wrong; then nothing is stored. The store is written in one transaction: an interrupted
    import leaves no file half in.
    """
    project = project_view(store)
    files: list[ReviewFile] = []
    for k, p in enumerate(paths):
        if progress:
            progress(k, len(paths), "read")
        files.append(read_review_file(p, project, reviewer))
    if progress:
        progress(len(paths), len(paths), "read")
    decided = store.human_codings(roles=(REVIEWER, ADJUDICATOR))  # re-attaching is a full pass: once
    problems = _all_problems(files)
    if not problems and not force:
        problems = _reverts(store, files, decided)
    if problems:
        where = ", ".join(str(f.path) for f in files)
        raise ReviewImportError(where, problems)

    current = {(c.segment_id, c.code_id, c.coder, c.role): (c.applied, c.memo or "") for c in decided}
    stamp = now()
    summaries: list[FileSummary] = []
    warnings: list[str] = []
    with store.atomic():
        for rf in files:
            found: list[str] = list(rf.warnings)
            stale_sheet = tr("review.stale_sheet", rf.language)  # as the workbook names it
            if rf.moved_rows:
                found.append(Message("msg.review.moved_rows", n=rf.moved_rows))
            if rf.unconfirmed:
                found.append(Message("msg.review.unconfirmed", n=rf.unconfirmed, sheet=stale_sheet))
            if rf.stale_rows:
                found.append(Message("msg.review.stale_rows", n=rf.stale_rows, sheet=stale_sheet))
            warnings += [Message("msg.in_file", file=rf.path.name, msg=w) if len(files) > 1 else w for w in found]
            codings, stored, superseded, unchanged, withdrawn = [], 0, 0, 0, 0
            for d in rf.decisions:
                key = (d.segment_id, d.code_id, rf.reviewer, rf.role)
                prev = current.get(key)
                if d.applied is None:  # withdraw
                    if prev is None and not d.replaces:
                        unchanged += 1
                        continue
                    withdrawn += 1
                    current.pop(key, None)
                else:
                    if prev == (d.applied, d.memo) and not d.replaces:
                        unchanged += 1
                        continue
                    stored += prev is None
                    superseded += prev is not None
                    current[key] = (d.applied, d.memo)
                codings.append(Coding(segment_id=d.segment_id, code_id=d.code_id, applied=bool(d.applied),
                                      confidence=None, evidence=[], coder=rf.reviewer, coder_kind="human",
                                      codebook_version=rf.codebook_version, created_at=stamp, memo=d.memo,
                                      segment_sha=d.sha, role=rf.role, withdrawn=d.applied is None,
                                      replaces=d.replaces))
            if codings and not dry_run:
                imp = store.record_import(path=str(rf.path), export_id=rf.export_id, exported_at=rf.exported_at,
                                          exported_for=rf.exported_for, reviewer=rf.reviewer, role=rf.role,
                                          forced=force)
                store.add_human_codings(codings, origin=f"{rf.path.name} (export {rf.export_id})",
                                        import_id=imp)
            summaries.append(FileSummary(rf.path, rf.reviewer, rf.rows, len(rf.decisions), stored,
                                         superseded, unchanged, withdrawn))
    return ImportResult(summaries, warnings, dry_run)


def _reverts(store: Store, files: list[ReviewFile], decided: list[Coding]) -> list[str]:
    """Decisions an older export would put back over newer ones by the same reviewer."""
    exported_at = store.decision_exports()
    current = {(c.segment_id, c.code_id, c.coder, c.role): c for c in decided}
    out = []
    for rf in files:
        if not rf.exported_at:
            continue
        newer = [i for i in store.imports(rf.reviewer) if i["role"] == rf.role
                 and (i["exported_at"] or "") > rf.exported_at and i["export_id"] != rf.export_id]
        if not newer:
            continue
        hits = []
        for d in rf.decisions:
            c = current.get((d.segment_id, d.code_id, rf.reviewer, rf.role))
            if c is None or (exported_at.get(c.id or 0) or "") <= rf.exported_at:
                continue
            if d.applied is None or c.applied != d.applied:
                hits.append(Message("msg.review.revert_hit", cell=d.address, code=d.code_id, segment=d.segment_id,
                                    now=_yn(c.applied), says=_yn(d.applied)))
        if hits:
            last = max(newer, key=lambda i: i["exported_at"])
            shown = Joined(hits[:10], Message("msg.review.and_more", n=len(hits) - 10) if len(hits) > 10 else "")
            out.append(Message("msg.review.older_export", file=rf.path.name, exported=rf.exported_at,
                               newer=Path(last["path"]).name, newer_exported=last["exported_at"],
                               reviewer=rf.reviewer, n=len(hits), shown=shown))
    return out


def _yn(v: bool | None) -> Message:
    return Message("msg.review.yn.withdrawn" if v is None else ("msg.review.yn.yes" if v else "msg.review.yn.no"))



def _all_problems(files: list[ReviewFile]) -> list[str]:
    """Every file's problems, plus conflicts between files by the same reviewer."""
    many = len(files) > 1
    out = [Message("msg.in_file", file=rf.path.name, msg=p) if many else p for rf in files for p in rf.problems]
    seen: dict[tuple[str, str, str], tuple[bool | None, str, str]] = {}
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
                out.append(Message("msg.review.files_disagree", where=where, reviewer=rf.reviewer,
                                   segment=d.segment_id, code=d.code_id, other=prev[2]))
    return out
