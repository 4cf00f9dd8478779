"""Read a REFI-QDA project file (.qdpx) into plain objects, tolerating other tools' habits.

Nothing here knows qualcode's project: this is what the file says, with every text decoded,
every position read in the convention its selections prove, and every oddity noted as a
warning. Problems that make the file unusable (not a ZIP, not XML, a text that is missing)
are collected and raised together, naming the file and what is wrong.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._i18n import Joined, Message
from ..errors import ExchangeError
from ._codes import ForeignCode, read_codes
from ._offsets import CRLF_AS_ONE, STANDARD, Convention, LineEndings, OffsetReader
from ._xml import SIDECAR, kid, kid_text, kids, local, norm_guid


@dataclass
class ForeignCoding:
    code: str  # code guid
    user: str | None  # user guid
    time: str | None
    notes: list[str] = field(default_factory=list)  # note guids


@dataclass
class ForeignSelection:
    guid: str
    start: int  # in the "\n" text, after the offset convention was applied
    end: int
    raw_start: int  # as written in the file
    raw_end: int
    name: str | None
    description: str
    user: str | None
    time: str | None
    codings: list[ForeignCoding]
    notes: list[str]
    line: int | None = None
    fits: bool = True  # False: the positions are outside the text


@dataclass
class ForeignSource:
    guid: str
    name: str
    text: str  # "\n" line endings, no BOM
    description: str
    selections: list[ForeignSelection]
    variables: dict[str, Any]  # variable guid -> value
    notes: list[str]
    whole_codings: list[ForeignCoding]
    convention: Convention = STANDARD
    had_bom: bool = False
    had_crlf: bool = False
    names_checked: int = 0  # selections whose name could prove the convention


@dataclass
class ForeignCase:
    guid: str
    name: str | None
    description: str
    variables: dict[str, Any]
    sources: list[str]  # source guids (as written; may dangle)


@dataclass
class ForeignProject:
    path: Path
    name: str
    origin: str
    description: str
    users: dict[str, str]  # guid -> name
    codes: list[ForeignCode]
    variables: dict[str, tuple[str, str]]  # guid -> (name, type)
    cases: list[ForeignCase]
    sources: list[ForeignSource]
    notes: dict[str, tuple[str, str]]  # guid -> (name, text)
    sidecar: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)
    note_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # annotation notes (QualCoder)


def _bad(path: Path, problems: list[str]) -> ExchangeError:
    return ExchangeError(Message("msg.refi.bad_project", path=path, problems=Joined(problems, sep="\n  - ")))


def open_container(path: Path) -> tuple[zipfile.ZipFile, str, list[str]]:
    """The ZIP and the name of its project.qde; warnings for tolerated deviations."""
    if not path.exists():
        raise ExchangeError(Message("msg.refi.no_file", path=path))
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(Message("msg.refi.not_zip", path=path, error=exc)) from None
    names = zf.namelist()
    qdes = [n for n in names if n.lower().endswith(".qde")]
    if "project.qde" in names:
        return zf, "project.qde", []
    if qdes:
        return zf, qdes[0], [Message("msg.refi.qde_name", name=qdes[0])]
    raise ExchangeError(Message("msg.refi.no_qde", path=path,
                                found=", ".join(names[:8]) or Message("msg.refi.nothing")))


def parse_xml(data: bytes, where: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise ExchangeError(Message("msg.refi.bad_xml", where=where, line=line, col=col + 1,
                                    error=exc.msg if hasattr(exc, "msg") else exc)) from None


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class _Texts:
    """Reads text files out of the archive; counts the BOMs and encodings it had to fix."""

    def __init__(self, zf: zipfile.ZipFile, base: str | None, where: Path):
        self.zf = zf
        self.names = {n.lower(): n for n in zf.namelist()}
        self.base = base
        self.where = where
        self.boms: list[str] = []
        self.not_utf8: list[str] = []

    def member(self, ref: str) -> str | None:
        if ref.startswith("internal://"):
            fname = ref[len("internal://"):].lstrip("/")
            for cand in (f"sources/{fname}", fname):
                if cand.lower() in self.names:
                    return self.names[cand.lower()]
        return None

    def read(self, ref: str | None, content: ET.Element | None, what: str) -> tuple[str | None, bool, str | None]:
        """(text with BOM removed, had a BOM, problem)."""
        if ref:
            if ref.startswith("internal://"):
                member = self.member(ref)
                if member is None:
                    return None, False, Message("msg.refi.missing_member", what=what, ref=ref)
                data = self.zf.read(member)
            else:
                rel = ref.split("://", 1)[-1]
                p = Path(rel) if ref.startswith("absolute://") else Path(self.base or self.where.parent) / rel
                try:
                    data = p.read_bytes()
                except OSError:
                    return None, False, Message("msg.refi.outside_archive", what=what, ref=ref, file=p)
            had_bom = data.startswith(b"\xef\xbb\xbf")
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
                self.not_utf8.append(what)
            if had_bom:
                self.boms.append(what)
            return text, had_bom, None
        if content is not None:
            return content.text or "", False, None
        return None, False, Message("msg.refi.no_text_given", what=what)


def _values(el: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for vv in kids(el, "VariableValue"):
        ref = kid(vv, "VariableRef")
        g = norm_guid(ref.get("targetGUID")) if ref is not None else None
        if not g:
            continue
        for c in vv:
            tag = local(c.tag)
            if tag.endswith("Value"):
                raw = (c.text or "").strip()
                value: Any = raw
                if tag == "IntegerValue" and _int(raw) is not None:
                    value = _int(raw)
                elif tag == "FloatValue":
                    try:
                        f = float(raw)
                        value = int(f) if f.is_integer() and "." not in raw else f
                    except ValueError:
                        pass
                elif tag == "BooleanValue":
                    value = raw.lower() in ("true", "1")
                out[g] = value
    return out


def _codings(el: ET.Element) -> list[ForeignCoding]:
    out = []
    for c in kids(el, "Coding"):
        ref = kid(c, "CodeRef")
        out.append(ForeignCoding(code=norm_guid(ref.get("targetGUID")) if ref is not None else "",
                                 user=norm_guid(c.get("creatingUser")), time=c.get("creationDateTime"),
                                 notes=[norm_guid(n.get("targetGUID")) or "" for n in kids(c, "NoteRef")]))
    return out


def read_project_file(path: str | Path) -> ForeignProject:
    path = Path(path)
    zf, qde, warnings = open_container(path)
    with zf:
        root = parse_xml(zf.read(qde), f"{path} ({qde})")
        if local(root.tag) != "Project":
            raise ExchangeError(Message("msg.refi.not_project", path=path, qde=qde, root=local(root.tag)))
        sidecar = None
        side_name = next((n for n in zf.namelist() if n.lower() == f"sources/{SIDECAR}"), None)
        if side_name:
            try:
                sidecar = json.loads(zf.read(side_name).decode("utf-8"))
                if not isinstance(sidecar, dict) or sidecar.get("format") != "qualcode-refi":
                    sidecar = None
            except (ValueError, UnicodeDecodeError):
                warnings.append(Message("msg.refi.sidecar_unreadable", name=side_name))
        origin = root.get("origin") or ""
        texts = _Texts(zf, root.get("basePath"), path)
        problems: list[str] = []
        users = {}
        for ue in kids(root, "Users"):
            for u in kids(ue, "User"):
                g = norm_guid(u.get("guid"))
                if g:
                    users[g] = (u.get("name") or u.get("id") or f"user {g[:8]}").strip()
        cb = kid(root, "CodeBook")
        codes = read_codes(kid(cb, "Codes") if cb is not None else None)
        variables = {}
        for ve in kids(root, "Variables"):
            for v in kids(ve, "Variable"):
                g = norm_guid(v.get("guid"))
                if g:
                    variables[g] = ((v.get("name") or "").strip() or f"variable {g[:8]}", v.get("typeOfVariable") or "Text")
        notes: dict[str, tuple[str, str]] = {}
        note_spans: dict[str, tuple[int, int]] = {}
        for ne in kids(root, "Notes"):
            for n in kids(ne, "Note"):
                g = norm_guid(n.get("guid"))
                t, _, problem = texts.read(n.get("plainTextPath"), kid(n, "PlainTextContent"),
                                           Message("msg.refi.what_note", name=n.get("name") or g))
                if problem and not (n.get("richTextPath")):
                    warnings.append(Message("msg.refi.note_left_out", problem=problem))
                if g:
                    notes[g] = ((n.get("name") or "").strip(), (t or "").replace("\r\n", "\n").strip())
                    sel = kid(n, "PlainTextSelection")
                    a, b = (_int(sel.get("startPosition")), _int(sel.get("endPosition"))) if sel is not None else (None, None)
                    if a is not None and b is not None:
                        note_spans[g] = (a, b)
        cases = []
        for ce in kids(root, "Cases"):
            for c in kids(ce, "Case"):
                cases.append(ForeignCase(guid=norm_guid(c.get("guid")) or "", name=(c.get("name") or "").strip() or None,
                                         description=kid_text(c, "Description").strip(), variables=_values(c),
                                         sources=[norm_guid(s.get("targetGUID")) or "" for s in kids(c, "SourceRef")]))
        sources: list[ForeignSource] = []
        skipped: dict[str, int] = {}
        for se in kids(root, "Sources"):
            for el in se:
                kind = local(el.tag)
                text_el = el if kind == "TextSource" else kid(el, "Representation") if kind == "PDFSource" else None
                if text_el is None:
                    skipped[kind] = skipped.get(kind, 0) + 1
                    continue
                src = _read_source(el, text_el, texts, problems, origin)
                if src is not None:
                    sources.append(src)
        if problems:
            raise _bad(path, problems)
    for kind, n in skipped.items():
        warnings.append(Message("msg.refi.skipped_kind", n=n, kind=kind))
    if texts.boms:
        warnings.append(Message("msg.refi.boms", n=len(texts.boms)))
    if texts.not_utf8:
        warnings.append(Message("msg.refi.not_utf8", n=len(texts.not_utf8), files=Joined(texts.not_utf8[:5], sep=", ")))
    return ForeignProject(path=path, name=root.get("name") or path.stem, origin=origin,
                          description=kid_text(root, "Description").strip(), users=users, codes=codes,
                          variables=variables, cases=cases, sources=sources, notes=notes, sidecar=sidecar,
                          warnings=warnings, note_spans=note_spans)


def _read_source(el: ET.Element, text_el: ET.Element, texts: _Texts, problems: list[str],
                 origin: str) -> ForeignSource | None:
    guid = norm_guid(el.get("guid")) or ""
    name = (el.get("name") or "").strip() or f"source {guid[:8]}"
    raw, had_bom, problem = texts.read(text_el.get("plainTextPath"), kid(text_el, "PlainTextContent"),
                                       Message("msg.refi.what_source", name=name))
    if problem:
        problems.append(problem)
        return None
    assert raw is not None
    lines = LineEndings(raw)
    reader = OffsetReader(lines, had_bom)
    spans = []
    sel_els = kids(text_el, "PlainTextSelection")
    for s in sel_els:
        a, b = _int(s.get("startPosition")), _int(s.get("endPosition"))
        spans.append((a if a is not None else -1, b if b is not None else -1, s.get("name")))
    habit = CRLF_AS_ONE if lines.has_crlf and any(t in origin.upper() for t in ("ATLAS", "MAXQDA")) else STANDARD
    conv, _, checked = reader.choose(spans, prefer=habit)
    sels = []
    for s, (a, b, nm) in zip(sel_els, spans):
        pos = reader.to_text(conv, a, b) if a >= 0 and b >= 0 else None
        sels.append(ForeignSelection(
            guid=norm_guid(s.get("guid")) or "", start=pos[0] if pos else -1, end=pos[1] if pos else -1,
            raw_start=a, raw_end=b, name=nm, description=kid_text(s, "Description").strip(),
            user=norm_guid(s.get("creatingUser") or s.get("modifyingUser")),
            time=s.get("creationDateTime") or s.get("modifiedDateTime"), codings=_codings(s),
            notes=[norm_guid(n.get("targetGUID")) or "" for n in kids(s, "NoteRef")], fits=pos is not None))
    return ForeignSource(guid=guid, name=name, text=lines.text, description=kid_text(el, "Description").strip(),
                         selections=sels, variables=_values(el),
                         notes=[norm_guid(n.get("targetGUID")) or "" for n in kids(el, "NoteRef")],
                         whole_codings=_codings(el), convention=conv, had_bom=had_bom, had_crlf=lines.has_crlf,
                         names_checked=checked)
