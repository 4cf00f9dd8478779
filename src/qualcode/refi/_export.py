"""Write a project (.qdpx) or a codebook (.qdc) in the REFI-QDA exchange format.

The .qdpx holds every source as a UTF-8 text file without a byte-order mark, the codebook
(hierarchy, colours, definitions with include/exclude rules), every current human decision
"applied" as a ``PlainTextSelection`` at its segment's offsets (Unicode code points, exclusive
end) with the selected text as its name, the reviewer as ``creatingUser`` and the memo as its
``Description``; optionally the machine's proposals as a user of their own; participants as
cases with variables; codebook memos as notes. What REFI-QDA cannot say (a reviewer's "no",
the codebook's lexicons and examples, qualcode's segments) travels in
``sources/qualcode-project.json``, which other tools ignore and ``qualcode import`` reads back,
so that qualcode -> .qdpx -> qualcode loses nothing.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .._i18n import Message, number, tr
from .._version import __version__
from ..codebook import Codebook
from ..errors import ConfigError
from ..store import Store, now
from ._codes import code_memos, write_codes
from ._offsets import with_crlf
from ._project import ProjectSnapshot, read_project
from ._xml import (
    CODEBOOK_NS,
    PROJECT_NS,
    SIDECAR,
    atomic_write,
    make_guid,
    sub,
    to_bytes,
    xml_datetime,
)

MACHINE_MODES = ("none", "accepted", "all")
SIDECAR_VERSION = 1


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    sources: int
    codes: int
    human_codings: int  # decisions "applied" written as codings
    human_no: int  # decisions "not applied" (kept for qualcode in the side file)
    machine_codings: int
    reviewers: list[str]
    machine_user: str | None
    crlf: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Sel:
    source_id: str
    start: int
    end: int
    code_id: str
    user: str
    time: str | None
    memo: str
    key: str


def export_project(store: Store, path: str | Path, *, machine: str = "accepted", crlf: bool = False,
                   language: str | None = None, name: str | None = None) -> ExportResult:
    """Write the project in ``store`` as a REFI-QDA project file (.qdpx) at ``path``.

    ``machine``: ``none`` (human decisions only), ``accepted`` (plus the machine's proposals
    nobody has reviewed yet, as a user named for the coder) or ``all`` (plus every applied
    proposal, also where reviewers decided: for a coding comparison in the other tool).
    ``crlf`` writes the texts with CRLF line endings (offsets shifted accordingly), for
    tools that expect Windows line endings. ``language`` picks the codebook language of
    code names (default: the codebook's).
    """
    if machine not in MACHINE_MODES:
        raise ConfigError(f"machine={machine!r}: use one of {', '.join(MACHINE_MODES)}")
    path = Path(path)
    snap = read_project(store)
    return _write_qdpx(snap, path, machine, crlf, language, name or path.stem)


def export_codebook(codebook: Codebook, path: str | Path, *, language: str | None = None) -> Path:
    """Write ``codebook`` as a REFI-QDA codebook file (.qdc, urn:QDA-XML:codebook:1.0)."""
    lang = language or codebook.language
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"qualcode {__version__}"})
    codes = sub(root, "Codes", CODEBOOK_NS)
    write_codes(codes, codebook, lang, lambda cid: make_guid(codebook.name, "code", cid), CODEBOOK_NS)
    return atomic_write(Path(path), to_bytes(root, CODEBOOK_NS))


def _variable_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        return "Float"
    return "Text"


def _value(kind: str, v: Any) -> tuple[str, str]:
    if kind == "Boolean":
        return "BooleanValue", "true" if v else "false"
    if kind == "Integer":
        return "IntegerValue", str(v)
    if kind == "Float":
        return "FloatValue", format(Decimal(repr(float(v))), "f")
    return "TextValue", str(v)


def _selections(snap: ProjectSnapshot, machine: str, lang: str) -> tuple[list[_Sel], list[dict[str, Any]], str | None, list[str]]:
    """Codings to write, decisions "no" for the side file, the machine user, warnings."""
    segs = {s.id: s for s in snap.segments}
    ids = set(snap.codebook.ids)
    sels: list[_Sel] = []
    nos: list[dict[str, Any]] = []
    skipped = 0
    decided: set[tuple[str, str]] = set()
    for d in snap.decisions:
        seg = segs.get(d.segment_id)
        if seg is None or d.code_id not in ids:
            skipped += 1
            continue
        decided.add((d.segment_id, d.code_id))
        if d.applied:
            sels.append(_Sel(seg.source_id, seg.start, seg.end, d.code_id, d.coder, d.created_at,
                             d.memo or "", f"h/{d.coder}/{seg.id}/{d.code_id}"))
        else:
            nos.append({"segment": seg.id, "source": seg.source_id, "start": seg.start, "end": seg.end,
                        "code": d.code_id, "user": d.coder, "time": d.created_at, "memo": d.memo or ""})
    warnings = []
    if skipped:
        warnings.append(Message("msg.refi.export_skipped", n=skipped))
    user = None
    if machine != "none" and snap.machine_coder:
        user = tr("refi.machine_user", lang, coder=snap.machine_coder)
        for (seg_id, code_id), e in sorted(snap.machine.items()):
            seg = segs.get(seg_id)
            if not e.applied or seg is None or code_id not in ids:
                continue
            if machine == "accepted" and (seg_id, code_id) in decided:
                continue
            memo = tr("refi.machine_memo", lang, conf=number(e.confidence, lang) if e.confidence is not None else "?")
            if e.evidence:
                memo += "\n" + tr("refi.evidence", lang, ev="; ".join(map(str, e.evidence[:5])))
            sels.append(_Sel(seg.source_id, seg.start, seg.end, code_id, user, snap.machine_time, memo,
                             f"m/{seg.id}/{code_id}"))
    return sels, nos, user, warnings


def _write_qdpx(snap: ProjectSnapshot, path: Path, machine: str, crlf: bool, language: str | None,
                name: str) -> ExportResult:
    cb = snap.codebook
    lang = language or cb.language
    pid = snap.project_id

    def g(kind: str, key: str) -> str:
        return make_guid(pid, kind, key)

    stamp = now()
    sels, nos, machine_user, warnings = _selections(snap, machine, lang)
    reviewers = sorted({s.user for s in sels if s.user != machine_user} | {n["user"] for n in nos})
    users = {r: g("user", r) for r in reviewers}
    if machine_user:
        users[machine_user] = g("machine", machine_user)

    root = ET.Element(f"{{{PROJECT_NS}}}Project", {
        "name": name, "origin": f"qualcode {__version__}", "creationDateTime": xml_datetime(snap.created_at) or "",
        "modifiedDateTime": xml_datetime(stamp) or ""})
    if not root.get("creationDateTime"):
        del root.attrib["creationDateTime"]
    if users:
        ue = sub(root, "Users")
        for uname, guid in users.items():
            sub(ue, "User", guid=guid, name=uname)

    memos = {cid: m for cid, m in code_memos(cb).items() if cid in cb.ids}
    note_guid = {cid: g("code-memo", cid) for cid in memos}
    cbe = sub(root, "CodeBook")
    names = write_codes(sub(cbe, "Codes"), cb, lang, lambda cid: g("code", cid), PROJECT_NS, note_guid)

    # participants: one case per source that has attributes, its columns as variables
    attr_values: dict[str, list[Any]] = {}
    for s in snap.sources:
        for k, v in s.attributes.items():
            if v is not None and v != "":
                attr_values.setdefault(str(k), []).append(v)
    var_types = {k: _variable_type(v) for k, v in attr_values.items()}
    if var_types:
        ve = sub(root, "Variables")
        for k, kind in var_types.items():
            sub(ve, "Variable", guid=g("variable", k), name=k, typeOfVariable=kind)
        ce = sub(root, "Cases")
        for s in snap.sources:
            vals = [(str(k), v) for k, v in s.attributes.items() if v is not None and v != ""]
            if not vals:
                continue
            case = sub(ce, "Case", guid=g("case", s.id), name=s.id)
            for k, v in vals:
                vv = sub(case, "VariableValue")
                sub(vv, "VariableRef", targetGUID=g("variable", k))
                tag, text = _value(var_types[k], v)
                sub(vv, tag, text=text)
            sub(case, "SourceRef", targetGUID=g("source", s.id))
        if not len(ce):
            root.remove(ce)

    files: dict[str, bytes] = {}
    by_source: dict[str, list[_Sel]] = {}
    for sel in sels:
        by_source.setdefault(sel.source_id, []).append(sel)
    se = sub(root, "Sources") if snap.sources else None
    side_sources: dict[str, Any] = {}
    side_segments: dict[str, list[Any]] = {}
    segs_by_source: dict[str, list[Any]] = {}
    for seg in snap.segments:
        segs_by_source.setdefault(seg.source_id, []).append(seg)
    n_human = n_machine = 0
    for s in snap.sources:
        sg = g("source", s.id)
        text, pos = (with_crlf(s.text) if crlf else (s.text, _identity))
        files[f"sources/{sg}.txt"] = text.encode("utf-8")
        assert se is not None
        ts = sub(se, "TextSource", guid=sg, name=s.id, plainTextPath=f"internal://{sg}.txt",
                 creationDateTime=xml_datetime(snap.created_at))
        for sel in sorted(by_source.get(s.id, []), key=lambda x: (x.start, x.end, x.user, x.code_id)):
            a, b = pos(sel.start), pos(sel.end)
            when = xml_datetime(sel.time)
            pe = sub(ts, "PlainTextSelection", guid=g("selection", sel.key), name=text[a:b],
                     startPosition=str(a), endPosition=str(b), creatingUser=users[sel.user],
                     creationDateTime=when)
            if sel.memo:
                sub(pe, "Description", text=sel.memo)
            co = sub(pe, "Coding", guid=g("coding", sel.key), creatingUser=users[sel.user], creationDateTime=when)
            sub(co, "CodeRef", targetGUID=g("code", sel.code_id))
            if sel.user == machine_user:
                n_machine += 1
            else:
                n_human += 1
        side_sources[sg] = {"id": s.id, "path": s.path, "format": s.format, "sha256": s.sha256,
                            "encoding": s.encoding, "language": s.language, "attributes": s.attributes,
                            "turns": [t.__dict__ for t in s.turns]}
        side_segments[sg] = [[x.id, x.turn_index, x.start, x.end, x.speaker, x.question, x.timestamp]
                             for x in segs_by_source.get(s.id, [])]

    machine_txt = tr("refi.machine_none", lang) if not machine_user else tr(
        f"refi.machine_{machine}", lang, n=n_machine, user=machine_user)
    summary = tr("refi.summary", lang, pid=pid, date=stamp[:10], version=__version__, n_sources=len(snap.sources),
        cb=cb.name, cbv=cb.version, n_codes=len(cb.codes), n_human=n_human,
        reviewers=", ".join(reviewers) or tr("refi.nobody", lang), machine=machine_txt,
        eol="CRLF" if crlf else "LF")
    # the description is the project's memo in most tools; also a note, for those that only show notes
    notes: list[tuple[str, str, str]] = [(g("project-note", pid), tr("refi.project_note", lang), summary)]
    if cb.title or cb.description:
        title = cb.title.get(lang) or next(iter(cb.title.values()), cb.name)
        desc = cb.description.get(lang) or next(iter(cb.description.values()), "")
        notes.append((g("codebook-note", cb.name), tr("refi.codebook_note", lang, name=title),
                      "\n\n".join(x for x in (title, desc) if x)))
    for cid, memo in memos.items():
        notes.append((note_guid[cid], tr("refi.memo_note", lang, name=names[cid]), memo))
    if notes:
        ne = sub(root, "Notes")
        for guid, nname, ntext in notes:
            files[f"sources/{guid}.txt"] = ntext.encode("utf-8")
            sub(ne, "Note", guid=guid, name=nname, plainTextPath=f"internal://{guid}.txt",
                creationDateTime=xml_datetime(stamp))

    sub(root, "Description", text=summary)

    side = {"format": "qualcode-refi", "version": SIDECAR_VERSION, "qualcode": __version__,
            "project_id": pid, "exported_at": stamp, "crlf": crlf,
            "codebook": {"yaml": cb.raw, "path": cb.path},
            "codes": {g("code", cid): cid for cid in cb.ids},
            "users": {guid: u for u, guid in users.items()},
            "machine_users": [users[machine_user]] if machine_user else [],
            "sources": side_sources, "segments": side_segments, "decisions_no": nos}
    files[f"sources/{SIDECAR}"] = json.dumps(side, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write(path, _zip(to_bytes(root, PROJECT_NS), files))
    return ExportResult(path=path, sources=len(snap.sources), codes=len(cb.codes), human_codings=n_human,
                        human_no=len(nos), machine_codings=n_machine, reviewers=reviewers,
                        machine_user=machine_user, crlf=crlf, warnings=warnings)


def _identity(p: int) -> int:
    return p


def _zip(qde: bytes, files: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", qde)
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


