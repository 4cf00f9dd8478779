"""The codebook: the contract between the researcher and every coder.

Everything a code needs (labels, definition, include/exclude rules, examples, lexicon) lives
in the YAML, never in Python, so that any codebook a user writes works with every coder.
Loading validates the file and reports errors naming the file, the code and the field.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._i18n import Message
from ._yaml import YamlLimitError, safe_load
from .errors import CodebookError

DEFAULT_CODEBOOK_NAME = "ai_at_work.yaml"
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LOCALISED_LISTS = ("include", "exclude", "examples", "counter_examples")
_PALETTE = ["#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
            "#7F7F7F", "#BCBD22", "#17BECF"]


@dataclass(frozen=True)
class LexiconEntry:
    """One lexicon cue. ``all`` holds groups of alternatives that must co-occur in ``window``;
    ``unless`` holds alternatives that cancel the cue when they occur within that window."""

    all: tuple[tuple[str, ...], ...]
    weight: float
    window: int
    source: str  # the entry as written, shown as evidence
    derived: bool = False  # borrowed from the code's own texts (no lexicon in this language)
    unless: tuple[str, ...] = ()  # alternatives that cancel the entry when found within its window


@dataclass
class Code:
    id: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    include: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    counter_examples: dict[str, list[str]] = field(default_factory=dict)
    lexicon: dict[str, list[LexiconEntry]] = field(default_factory=dict)
    parent: str | None = None
    color: str = "#1F77B4"
    threshold: float = 0.5
    formerly: list[str] = field(default_factory=list)  # earlier ids: their decisions count here

    def text(self, attr: str, lang: str) -> Any:
        """A localised field in ``lang``, falling back to any language present."""
        value = getattr(self, attr)
        if lang in value and value[lang]:
            return value[lang]
        return next((v for v in value.values() if v), "" if attr in ("label", "definition") else [])


@dataclass
class Codebook:
    name: str
    version: str  # declared version + content hash: changes whenever the file changes
    language: str
    languages: list[str]
    codes: list[Code]
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    path: str = ""
    raw: str = ""  # the YAML text, kept in the store with each version

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def code(self, code_id: str) -> Code:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(code_id)

    def label(self, code_id: str, lang: str | None = None) -> str:
        return self.code(code_id).text("label", lang or self.language)

    def language_of(self, segment_language: str | None) -> str:
        """The language a segment is coded in: its own, else the project's (``language``).

        Every coder asks here, so that the coders of one ensemble never read the same words
        in two languages."""
        return segment_language or self.language

    def children(self, code_id: str) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook YAML file (the bundled default when ``path`` is None)."""
    p = Path(path) if path else default_codebook_path()
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(Message("msg.codebook.not_found", path=p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(Message("msg.codebook.unreadable", path=p, error=exc)) from None
    return parse_codebook(raw, str(p))


def default_codebook_path() -> Path:
    """``./codebook/ai_at_work.yaml`` when run from a project folder, else the copy shipped in
    the package (``qualcode/data``), so that an installed qualcode works in any folder."""
    here = Path.cwd() / "codebook" / DEFAULT_CODEBOOK_NAME
    if here.exists():
        return here
    from importlib.resources import files

    return Path(str(files("qualcode").joinpath("data", DEFAULT_CODEBOOK_NAME)))


#: Codebooks are a few tens of KB; a file far beyond this limit is not a codebook.
MAX_CODEBOOK_CHARS = 5_000_000


def parse_codebook(raw: str, where: str = "<codebook>") -> Codebook:
    """Parse codebook YAML text; pure function, errors name ``where``, the code and the field."""
    try:
        data = safe_load(raw, MAX_CODEBOOK_CHARS)
    except YamlLimitError as exc:
        raise CodebookError(Message("msg.in_file", file=where, msg=exc.args[0])) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Message("msg.codebook.yaml_at", line=mark.line + 1, column=mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(Message("msg.codebook.bad_yaml", where=where, loc=loc, problem=problem)) from None
    if not isinstance(data, dict):
        raise CodebookError(Message("msg.codebook.not_mapping", where=where, found=type(data).__name__))
    codes_data = data.get("codes")
    if not isinstance(codes_data, list) or not codes_data:
        raise CodebookError(Message("msg.codebook.no_codes", where=where, found=_show(codes_data)))
    languages = data.get("languages") or [data.get("language") or "en"]
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise CodebookError(Message("msg.codebook.bad_languages", where=where, found=_show(languages)))
    language = str(data.get("language") or languages[0])
    codes: list[Code] = []
    seen: set[str] = set()
    for i, cd in enumerate(codes_data):
        codes.append(_parse_code(cd, i, where, languages, seen, _PALETTE[i % len(_PALETTE)]))
    ids = {c.id for c in codes}
    for c in codes:
        if c.parent is not None and c.parent not in ids:
            raise CodebookError(Message("msg.codebook.unknown_parent", where=where, code=c.id, parent=c.parent,
                                        ids=", ".join(sorted(ids))))
    _check_cycles(codes, where)
    claimed: dict[str, str] = {}
    for c in codes:
        for old in c.formerly:
            if old in ids:
                raise CodebookError(Message("msg.codebook.formerly_is_code", where=where, code=c.id, old=old))
            if old in claimed:
                raise CodebookError(Message("msg.codebook.formerly_claimed", where=where, code=c.id, old=old,
                                            other=claimed[old]))
            claimed[old] = c.id
    declared = str(data.get("version") or "0")
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
    return Codebook(
        name=str(data.get("name") or Path(where).stem),
        version=f"{declared}+{digest}",
        language=language,
        languages=list(languages),
        codes=codes,
        title=_localised_str(data.get("title"), where, "(codebook)", "title", language),
        description=_localised_str(data.get("description"), where, "(codebook)", "description", language),
        path=where,
        raw=raw,
    )


def _parse_code(cd: Any, i: int, where: str, languages: list[str], seen: set[str], color: str) -> Code:
    if not isinstance(cd, dict):
        raise CodebookError(Message("msg.codebook.code_not_mapping", where=where, i=i, found=_show(cd)))
    cid = cd.get("id")
    if not isinstance(cid, str) or not _ID_RE.match(cid):
        raise CodebookError(Message("msg.codebook.bad_id", where=where, i=i, found=_show(cid)))
    if cid in seen:
        raise CodebookError(Message("msg.codebook.duplicate_id", where=where, code=cid))
    seen.add(cid)
    unknown = set(cd) - {"id", "label", "definition", "include", "exclude", "examples",
                         "counter_examples", "lexicon", "parent", "color", "threshold", "memo",
                         "formerly"}
    if unknown:
        raise CodebookError(Message("msg.codebook.unknown_fields", where=where, code=cid,
                                    fields=", ".join(sorted(unknown))))
    lang0 = languages[0]
    label = _localised_str(cd.get("label"), where, cid, "label", lang0)
    if not label:
        raise CodebookError(Message("msg.codebook.no_label", where=where, code=cid))
    color_v = cd.get("color") or color
    if not isinstance(color_v, str) or not _HEX_RE.match(color_v):
        raise CodebookError(Message("msg.codebook.bad_color", where=where, code=cid, found=_show(color_v)))
    threshold = cd.get("threshold", 0.5)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise CodebookError(Message("msg.codebook.bad_threshold", where=where, code=cid, found=_show(threshold)))
    parent = cd.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise CodebookError(Message("msg.codebook.parent_not_id", where=where, code=cid, found=_show(parent)))
    code = Code(id=cid, label=label, parent=parent, color=color_v.upper(), threshold=float(threshold),
                definition=_localised_str(cd.get("definition"), where, cid, "definition", lang0))
    for attr in _LOCALISED_LISTS:
        setattr(code, attr, _localised_list(cd.get(attr), where, cid, attr, lang0))
    code.lexicon = _parse_lexicon(cd.get("lexicon"), where, cid, lang0)
    formerly = cd.get("formerly") or []
    if isinstance(formerly, str):
        formerly = [formerly]
    if not isinstance(formerly, list) or not all(isinstance(f, str) and _ID_RE.match(f) for f in formerly):
        raise CodebookError(Message("msg.codebook.bad_formerly", where=where, code=cid, found=_show(formerly)))
    code.formerly = list(formerly)
    return code


def _localised_str(v: Any, where: str, cid: str, fld: str, lang: str) -> dict[str, str]:
    if v is None:
        return {}
    if isinstance(v, str):
        return {lang: v.strip()}
    if isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()):
        return {k: x.strip() for k, x in v.items()}
    raise CodebookError(Message("msg.codebook.bad_text", where=where, code=cid, field=fld, found=_show(v)))


def _localised_list(v: Any, where: str, cid: str, fld: str, lang: str) -> dict[str, list[str]]:
    if v is None:
        return {}
    if isinstance(v, list):
        v = {lang: v}
    if not isinstance(v, dict):
        raise CodebookError(Message("msg.codebook.bad_list", where=where, code=cid, field=fld, found=_show(v)))
    out: dict[str, list[str]] = {}
    for k, items in v.items():
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise CodebookError(Message("msg.codebook.bad_list_items", where=where, code=cid, field=f"{fld}.{k}",
                                        found=_show(items)))
        out[str(k)] = [x.strip() for x in items if x.strip()]
    return out


def _parse_lexicon(v: Any, where: str, cid: str, lang: str) -> dict[str, list[LexiconEntry]]:
    if v is None:
        return {}
    if isinstance(v, list):
        v = {lang: v}
    if not isinstance(v, dict):
        raise CodebookError(Message("msg.codebook.bad_lexicon", where=where, code=cid, found=_show(v)))
    out: dict[str, list[LexiconEntry]] = {}
    for lg, entries in v.items():
        if not isinstance(entries, list):
            raise CodebookError(Message("msg.codebook.bad_lexicon_list", where=where, code=cid, field=f"lexicon.{lg}",
                                        found=_show(entries)))
        out[str(lg)] = [_parse_entry(e, where, cid, f"lexicon.{lg}[{j}]") for j, e in enumerate(entries)]
    return out


def _parse_entry(e: Any, where: str, cid: str, fld: str) -> LexiconEntry:
    def bad(problem: str, **values: object) -> CodebookError:
        msg = Message(f"msg.codebook.entry.{problem}", **values)
        return CodebookError(Message("msg.codebook.bad_entry", where=where, code=cid, field=fld, msg=msg))

    if isinstance(e, str):
        e = {"term": e}
    if not isinstance(e, dict):
        raise bad("not_term", found=_show(e))
    extra = set(e) - {"term", "all", "weight", "window", "unless"}
    if extra:
        raise bad("unknown_keys", keys=", ".join(sorted(extra)))
    weight = e.get("weight", 0.5)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
        raise bad("bad_weight", found=_show(weight))
    window = e.get("window", 10)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise bad("bad_window", found=_show(window))
    if ("term" in e) == ("all" in e):
        raise bad("term_or_all")
    groups_raw = [e["term"]] if "term" in e else e["all"]
    if not isinstance(groups_raw, list) or not groups_raw or not all(isinstance(g, str) and g.strip() for g in groups_raw):
        raise bad("empty", found=_show(groups_raw))
    groups = tuple(tuple(a.strip() for a in g.split("|") if a.strip()) for g in groups_raw)
    source = e["term"] if "term" in e else " + ".join(groups_raw)
    unless_raw = e.get("unless", [])
    if isinstance(unless_raw, str):
        unless_raw = [unless_raw]
    if not isinstance(unless_raw, list) or not all(isinstance(g, str) and g.strip() for g in unless_raw):
        raise bad("bad_unless", found=_show(unless_raw))
    unless = tuple(a.strip() for g in unless_raw for a in g.split("|") if a.strip())
    return LexiconEntry(all=groups, weight=float(weight), window=window, source=source, unless=unless)


def _check_cycles(codes: list[Code], where: str) -> None:
    parent = {c.id: c.parent for c in codes}
    for c in codes:
        seen, cur = {c.id}, c.parent
        while cur is not None:
            if cur in seen:
                raise CodebookError(Message("msg.codebook.parent_loop", where=where, code=c.id, to=cur))
            seen.add(cur)
            cur = parent.get(cur)


def _show(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def rename_code(raw: str, old: str, new: str, where: str = "<codebook>") -> str:
    """The codebook YAML with code ``old`` renamed ``new`` and ``formerly: [old]`` recorded,
    so that every decision made on ``old`` counts for ``new``. Pure: returns the new text.

    The edit is textual (comments and layout are kept); parents pointing at ``old`` follow.
    """
    cb = parse_codebook(raw, where)
    if old not in cb.ids:
        raise CodebookError(Message("msg.codebook.rename_no_code", where=where, old=old, ids=", ".join(cb.ids)))
    if new in cb.ids:
        raise CodebookError(Message("msg.codebook.rename_exists", where=where, old=old, new=new))
    if not _ID_RE.match(new):
        raise CodebookError(Message("msg.codebook.rename_bad_id", where=where, new=new))
    if cb.code(old).formerly:
        raise CodebookError(Message("msg.codebook.rename_has_formerly", where=where, old=old, new=new))
    q = r"""["']?"""
    id_re = re.compile(rf"^(?P<lead>[ \t]*(?:-[ \t]+)?)id:[ \t]*{q}{re.escape(old)}{q}[ \t]*(?P<tail>#.*)?$",
                       re.MULTILINE)
    m = id_re.search(raw)
    if m is None:
        raise CodebookError(Message("msg.codebook.rename_no_line", where=where, old=old, new=new))
    indent = " " * len(m.group("lead"))
    out = raw[:m.start()] + f"{m.group('lead')}id: {new}\n{indent}formerly: [{old}]" + raw[m.end():]
    out = re.sub(rf"^(?P<lead>[ \t]*)parent:[ \t]*{q}{re.escape(old)}{q}[ \t]*$", rf"\g<lead>parent: {new}",
                 out, flags=re.MULTILINE)
    renamed = parse_codebook(out, where)
    if new not in renamed.ids or renamed.code(new).formerly != [old]:  # pragma: no cover - layout we missed
        raise CodebookError(Message("msg.codebook.rename_unsafe", where=where))
    return out


def save_codebook_text(path: str | Path, text: str) -> None:
    """Write codebook YAML atomically (a crash leaves the old file whole; a link is followed)."""
    from ._files import atomic_write_text

    atomic_write_text(Path(path).resolve(), text, respect_locks=False)
