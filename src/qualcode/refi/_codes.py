"""Codebook <-> REFI-QDA codes, shared by the project (.qdpx) and codebook (.qdc) files.

A qualcode code becomes a ``<Code>`` named by its label, nested under its parent, with its
colour, and a ``<Description>`` holding its definition and include/exclude rules (in that
layout, so that an import reads them back into the YAML fields). A foreign code becomes a
YAML code whose id is made from its name (``Sécurité des données`` -> ``SECURITE_DES_DONNEES``).
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .._i18n import tr
from ..codebook import Codebook, parse_codebook
from ._xml import kid_text, kids, norm_guid, sub

_LISTS = ("include", "exclude", "examples")


def code_memos(cb: Codebook) -> dict[str, str]:
    """Code id -> memo: the optional ``memo`` field of each code in the YAML."""
    try:
        data = yaml.safe_load(cb.raw) or {}
    except yaml.YAMLError:
        return {}
    out = {}
    for cd in data.get("codes") or []:
        if isinstance(cd, dict) and isinstance(cd.get("memo"), str) and cd["memo"].strip():
            out[str(cd.get("id"))] = cd["memo"].strip()
    return out


def description(cb: Codebook, code_id: str, lang: str) -> str:
    """Definition, then "Include:" / "Exclude:" / "Examples:" lists, in ``lang`` if present."""
    code = cb.code(code_id)
    parts = [code.text("definition", lang)]
    for attr in _LISTS:
        items = code.text(attr, lang)
        if items:
            parts.append(tr(f"refi.{attr}", lang) + "\n" + "\n".join(f"- {x}" for x in items))
    return "\n\n".join(p for p in parts if p).strip()


def write_codes(parent: ET.Element, cb: Codebook, lang: str, guid: Callable[[str], str], ns: str,
                note_refs: dict[str, str] | None = None) -> dict[str, str]:
    """``<Code>`` elements for the codebook's tree under ``parent``; returns code id -> name."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for c in cb.codes:  # names must be unique in some tools (QualCoder merges same-name codes)
        name = c.text("label", lang) or c.id
        if name.casefold() in used:
            name = f"{name} [{c.id}]"
        used.add(name.casefold())
        names[c.id] = name

    def add(el: ET.Element, code_id: str) -> None:
        code = cb.code(code_id)
        ce = sub(el, "Code", ns, guid=guid(code_id), name=names[code_id], isCodable="true",
                 color=code.color)
        desc = description(cb, code_id, lang)
        if desc:
            sub(ce, "Description", ns, text=desc)
        if note_refs and code_id in note_refs:
            sub(ce, "NoteRef", ns, targetGUID=note_refs[code_id])
        for child in cb.children(code_id):
            add(ce, child.id)

    ids = set(cb.ids)
    for c in cb.codes:
        if c.parent is None or c.parent not in ids:
            add(parent, c.id)
    return names


@dataclass
class ForeignCode:
    """A code as another tool wrote it."""

    guid: str
    name: str
    parent: str | None
    codable: bool
    color: str | None
    description: str
    note_refs: list[str] = field(default_factory=list)
    path: str = ""


def read_codes(codes_el: ET.Element | None) -> list[ForeignCode]:
    """Every ``<Code>`` of a ``<Codes>`` element, parents before children."""
    out: list[ForeignCode] = []

    def walk(el: ET.Element, parent: ForeignCode | None) -> None:
        name = (el.get("name") or "").strip()
        fc = ForeignCode(guid=norm_guid(el.get("guid")) or "", name=name,
                         parent=parent.guid if parent else None,
                         codable=(el.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                         color=el.get("color"), description=kid_text(el, "Description").strip(),
                         note_refs=[norm_guid(n.get("targetGUID")) or "" for n in kids(el, "NoteRef")],
                         path=f"{parent.path}/{name}" if parent else name)
        out.append(fc)
        for c in kids(el, "Code"):
            walk(c, fc)

    if codes_el is not None:
        for c in kids(codes_el, "Code"):
            walk(c, None)
    return out


def make_id(name: str, taken: set[str]) -> str:
    """A codebook id from a code name: ASCII capitals, digits and underscores, unique."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").upper()[:40].rstrip("_")
    if not s or not s[0].isalpha():
        s = "CODE_" + s if s else "CODE"
    base, k = s, 1
    while s in taken:
        k += 1
        s = f"{base}_{k}"
    taken.add(s)
    return s


def _colour(c: str | None) -> str | None:
    if not c:
        return None
    c = c.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", c):
        return c.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", c):
        return "#" + "".join(ch * 2 for ch in c[1:]).upper()
    return None


def split_description(text: str, lang: str) -> dict[str, Any]:
    """A description back into definition / include / exclude / examples (our own layout);
    anything else stays in the definition."""
    heads = {tr(f"refi.{a}", lg).rstrip(": ").casefold(): a for a in _LISTS for lg in ("fr", "en")}
    out: dict[str, Any] = {}
    definition: list[str] = []
    current: str | None = None
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().splitlines()
        head = lines[0].strip().rstrip(":").rstrip().casefold() if lines else ""
        items = [ln.strip()[2:].strip() for ln in lines[1:] if ln.strip().startswith("- ")]
        if head in heads and items and len(items) == len(lines) - 1:
            current = heads[head]
            out.setdefault(current, {lang: []})[lang] += items
        else:
            definition.append(block.strip())
    if definition:
        out["definition"] = {lang: "\n\n".join(definition)}
    return out


def code_entry(c: ForeignCode, cid: str, lang: str, parent: str | None, memo: str = "") -> dict[str, Any]:
    """One foreign code as a YAML code of qualcode's schema."""
    cd: dict[str, Any] = {"id": cid, "label": {lang: c.name or cid}}
    if parent:
        cd["parent"] = parent
    colour = _colour(c.color)
    if colour:
        cd["color"] = colour
    cd.update(split_description(c.description, lang) if c.description else {})
    if memo:
        cd["memo"] = memo
    return cd


def foreign_codebook_yaml(codes: list[ForeignCode], *, lang: str, name: str, source: str, date: str,
                          memos: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """A codebook YAML (qualcode's schema) from another tool's codes; returns (yaml, guid -> id)."""
    taken: set[str] = set()
    ids = {c.guid: make_id(c.name or "code", taken) for c in codes}
    out = [code_entry(c, ids[c.guid], lang, ids.get(c.parent or ""), (memos or {}).get(c.guid, ""))
           for c in codes]
    doc = {"name": name, "version": "1", "language": lang, "languages": [lang], "codes": out}
    head = tr("refi.head", lang, src=source, date=date)
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), ids


def merged_codebook_yaml(cb: Codebook, extra: list[dict[str, Any]]) -> str:
    """The project's codebook with ``extra`` codes appended (comments of the original are lost;
    the store keeps the original version)."""
    data = yaml.safe_load(cb.raw) or {}
    data.setdefault("codes", []).extend(extra)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def parse(yaml_text: str, where: str) -> Codebook:
    return parse_codebook(yaml_text, where)
