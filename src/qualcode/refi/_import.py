"""Bring a REFI-QDA project made elsewhere into a qualcode project.

Sources become sources (their text exactly as in the file, with "\\n" line endings and no
byte-order mark), written as UTF-8 files in a folder so that ``qualcode code FOLDER`` codes
them later without re-segmenting, and segmented like any transcript (speaker turns when the
text has speaker labels, else paragraphs). Codes become codebook codes; cases and variables
become source attributes; memos become decision memos.

How a selection becomes decisions is :mod:`._mapping`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from .._i18n import Message
from ..codebook import Codebook
from ..errors import ExchangeError
from ..ingest import detect_language, parse_turns
from ..model import Segment, Source, Turn
from ..store import Store, now
from ._codes import (
    ForeignCode,
    code_entry,
    foreign_codebook_yaml,
    make_id,
    merged_codebook_yaml,
    parse,
    read_codes,
)
from ._mapping import decisions
from ._offsets import STANDARD
from ._project import ImportTarget, file_name_for, source_id_for
from ._read import ForeignProject, open_container, parse_xml, read_project_file
from ._result import ImportResult
from ._xml import CODEBOOK_NS, atomic_write, kid, local


def _file_stem(name: str) -> str:
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if re.search(r"\.(txt|docx?|rtf|pdf|odt|md|html?)$", stem, re.I):
        stem = stem.rsplit(".", 1)[0]
    stem = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', "_", stem).strip(" ._")
    return stem or "source"


def _backup(path: Path) -> None:
    if path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path.rename(path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}"))


def _norm(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def _codebook(fp: ForeignProject, target: ImportTarget, lang: str, out: Path,
              stamp: str) -> tuple[Codebook | None, str | None, dict[str, str], list[str]]:
    """(new codebook or None if unchanged, its YAML, code guid -> id, ids of codes added)."""
    side = fp.sidecar or {}
    memos = {c.guid: "\n\n".join(fp.notes[n][1] for n in c.note_refs if n in fp.notes and fp.notes[n][1])
             for c in fp.codes}
    existing = target.codebook
    if existing is None and side.get("codebook", {}).get("yaml"):
        try:
            existing_new = parse(side["codebook"]["yaml"], str(out))
        except Exception:
            existing_new = None
            fp.warnings.append(Message("msg.refi.codebook_unreadable"))
        if existing_new is not None:
            mapping = {g: cid for g, cid in (side.get("codes") or {}).items() if cid in existing_new.ids}
            extra, mapping, added = _extra_codes(fp.codes, existing_new, mapping, lang, memos)
            yaml_text = merged_codebook_yaml(existing_new, extra) if extra else side["codebook"]["yaml"]
            return parse(yaml_text, str(out)), yaml_text, mapping, added
    if existing is None:
        if not fp.codes:
            raise ExchangeError(Message("msg.refi.no_codes", path=fp.path))
        yaml_text, mapping = foreign_codebook_yaml(fp.codes, lang=lang, name=_file_stem(fp.name),
                                                   source=fp.path.name, date=stamp[:10], memos=memos)
        return parse(yaml_text, str(out)), yaml_text, mapping, list(mapping.values())
    mapping = {g: cid for g, cid in (side.get("codes") or {}).items() if cid in existing.ids}
    extra, mapping, added = _extra_codes(fp.codes, existing, mapping, lang, memos)
    if not extra:
        return None, None, mapping, []
    yaml_text = merged_codebook_yaml(existing, extra)
    return parse(yaml_text, str(out)), yaml_text, mapping, added


def _extra_codes(codes: list[ForeignCode], cb: Codebook, mapping: dict[str, str], lang: str,
                 memos: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str], list[str]]:
    """Match foreign codes to the codebook's (by id or any label); the others become new codes."""
    by_name: dict[str, str] = {}
    for c in cb.codes:
        by_name.setdefault(_norm(c.id), c.id)
        for label in c.label.values():
            by_name.setdefault(_norm(label), c.id)
    mapping = dict(mapping)
    taken = set(cb.ids)
    extra: list[dict[str, Any]] = []
    for c in codes:
        if c.guid in mapping:
            continue
        hit = by_name.get(_norm(c.name))
        if hit:
            mapping[c.guid] = hit
            continue
        cid = make_id(c.name or "code", taken)
        mapping[c.guid] = cid
        extra.append(code_entry(c, cid, lang, mapping.get(c.parent or ""), memos.get(c.guid, "")))
    return extra, mapping, [e["id"] for e in extra]


def _attributes(fp: ForeignProject, warnings: list[str]) -> dict[str, dict[str, Any]]:
    """Source guid -> attributes, from its own variables, its cases and its memo."""
    names = {g: n for g, (n, _) in fp.variables.items()}
    attrs: dict[str, dict[str, Any]] = {s.guid: {} for s in fp.sources}
    by_guid = {s.guid: s for s in fp.sources}
    for s in fp.sources:
        for g, v in s.variables.items():
            attrs[s.guid][names.get(g, g)] = v
        memo = "\n\n".join([s.description] + [fp.notes[n][1] for n in s.notes
                                               if n in fp.notes and fp.notes[n][1] and n not in fp.note_spans])
        if memo.strip():
            attrs[s.guid]["memo"] = memo.strip()
    unnamed = 0
    for c in fp.cases:
        refs = [r for r in c.sources if r in by_guid]
        dangling = len(c.sources) - len(refs)
        label = Message("msg.refi.case_named", name=c.name) if c.name else Message("msg.refi.case_unnamed")
        if dangling:
            warnings.append(Message("msg.refi.case_dangling", case=label, n=dangling))
        if not refs and c.name:
            key = _norm(c.name)
            cands = [s.guid for s in fp.sources if key and key in _norm(s.name)]
            if len(cands) == 1:
                refs = cands
                warnings.append(Message("msg.refi.case_by_name", case=label, source=by_guid[cands[0]].name))
        if not refs:
            if c.variables or c.description:
                warnings.append(Message("msg.refi.case_no_source", case=label, n=len(c.variables)))
            continue
        if not c.name:
            unnamed += 1
        for r in refs:
            a = attrs[r]
            for g, v in c.variables.items():
                a[names.get(g, g)] = v
            if c.name and _norm(c.name) != _norm(_file_stem(by_guid[r].name)):
                a.setdefault("case", c.name)
            if c.description:
                a.setdefault("case memo", c.description)
    if unnamed:
        warnings.append(Message("msg.refi.unnamed_cases", n=unnamed))
    return attrs


def import_project(store: Store, path: str | Path, *, sources_dir: str | Path,
                   codebook_out: str | Path | None = None, language: str | None = None,
                   implicit_no: bool = True, dry_run: bool = False) -> ImportResult:
    """Import the REFI-QDA project file ``path`` into the project of ``store``.

    New sources are written to ``sources_dir`` (one UTF-8 .txt per source, ``participants.csv``
    with their attributes) and stored with their segments; a source whose text the project
    already has is matched, not duplicated. When codes are added, the codebook YAML is written
    to ``codebook_out`` (default: ``sources_dir``'s parent / ``codebook_<file stem>.yaml``). Each
    coder's codings become their decisions (see the module docstring for the mapping rule).
    Raises :class:`ExchangeError` naming the file and every problem when it cannot be read.
    """
    fp = read_project_file(path)
    target = ImportTarget(store)
    stamp = now()
    sources_dir = Path(sources_dir)
    res = ImportResult(path=fp.path, origin=fp.origin, sources_dir=sources_dir, dry_run=dry_run,
                       warnings=list(fp.warnings))
    lang = language or (target.codebook.language if target.codebook else
                        detect_language(" ".join(s.text[:4000] for s in fp.sources[:5])))
    cb_out = Path(codebook_out) if codebook_out else sources_dir.parent / f"codebook_{_file_stem(fp.path.stem)}.yaml"
    new_cb, yaml_text, code_map, added = _codebook(fp, target, lang, cb_out, stamp)
    cb = new_cb or target.codebook
    assert cb is not None
    res.codes, res.codes_new, res.codebook_file = len(cb.codes), added, cb.path
    side = fp.sidecar or {}
    side_sources = side.get("sources") or {}
    for s in fp.sources:
        if s.convention is not STANDARD:
            why = (Message("msg.refi.why_checked") if s.names_checked else
                   Message("msg.refi.why_habit", origin=fp.origin))
            res.warnings.append(Message("msg.refi.convention", source=s.name, why=why,
                                        convention=Message(f"msg.refi.convention.{s.convention.key}")))
    attrs = _attributes(fp, res.warnings)

    # sources: match identical texts, else create
    by_text = {src.text: sid for sid, src in target.sources.items()}
    taken = set(target.sources)
    placed: dict[str, tuple[str, list[Segment], list[Turn]]] = {}  # guid -> (id, segments, turns)
    new_sources: list[tuple[Source, list[Segment] | None, bytes, Path]] = []
    for s in fp.sources:
        if not s.text.strip():
            res.warnings.append(Message("msg.refi.no_text", source=s.name))
            continue
        if s.text in by_text:
            sid = by_text[s.text]
            res.sources_matched.append(sid)
            placed[s.guid] = (sid, target.segments.get(sid, []), target.sources[sid].turns)
            continue
        info = side_sources.get(s.guid) or {}
        want = str(info.get("id") or source_id_for(file_name_for(_file_stem(s.name))))
        sid, k = want, 1
        data = s.text.encode("utf-8")
        while sid in taken or ((sources_dir / file_name_for(sid)).exists()
                               and (sources_dir / file_name_for(sid)).read_bytes() != data):
            k += 1
            sid = f"{want}-{k}"
        taken.add(sid)
        file = sources_dir / file_name_for(sid)
        turns = _turns(info.get("turns"), s.text) or parse_turns(s.text)
        src = Source(id=sid, path=str(file), text=s.text, format="txt", sha256=hashlib.sha256(data).hexdigest(),
                     encoding="utf-8", language=info.get("language") or detect_language(s.text),
                     attributes=dict(info["attributes"]) if isinstance(info.get("attributes"), dict) else attrs[s.guid],
                     turns=turns)
        segs = _segments((side.get("segments") or {}).get(s.guid), src, str(info.get("id") or ""))
        if s.text.startswith("---"):
            res.warnings.append(Message("msg.refi.front_matter", source=s.name))
        new_sources.append((src, segs, data, file))
        placed[s.guid] = (sid, segs or [], turns)
        by_text[s.text] = sid
        res.sources_new.append(sid)

    if not dry_run:
        if yaml_text is not None:
            assert new_cb is not None
            if not (cb_out.exists() and cb_out.read_text(encoding="utf-8") == yaml_text):
                _backup(cb_out)
                atomic_write(cb_out, yaml_text.encode("utf-8"))
            res.codebook_path = cb_out
            target.save_codebook(new_cb)
        for src, segs, data, file in new_sources:
            if not (file.exists() and file.read_bytes() == data):
                atomic_write(file, data)
            res.files.append(file)
            stored = target.add_source(src, segs)
            gid = next(g for g, v in placed.items() if v[0] == src.id)
            placed[gid] = (src.id, stored, src.turns)
        _participants(new_sources, sources_dir, res)
    else:
        from ..segment import segment_source

        for src, segs, _, _ in new_sources:
            gid = next(g for g, v in placed.items() if v[0] == src.id)
            placed[gid] = (src.id, segs if segs is not None else segment_source(src, target.unit), src.turns)

    known_coders = {c.coder for c in target.decisions()}
    codings = decisions(fp, placed, code_map, cb, res, stamp, implicit_no, known_coders)
    res.notes = [(Message("msg.refi.project_description"), fp.description)] if fp.description else []
    code_notes = {n for c in fp.codes for n in c.note_refs}
    res.notes += [(name or Message("msg.refi.untitled_note"), text) for g, (name, text) in fp.notes.items()
                  if g not in code_notes and g not in fp.note_spans and text]  # annotations are listed apart
    if not dry_run:
        res.stored = target.add_decisions(codings, origin=f"{fp.path.name} (REFI-QDA, {fp.origin or 'unknown origin'})")
        target.set_meta(f"refi_import:{fp.path.name}", stamp)
    return res


def _turns(raw: Any, text: str) -> list[Turn] | None:
    if not isinstance(raw, list) or not raw:
        return None
    try:
        turns = [Turn(**t) for t in raw]
    except TypeError:
        return None
    return turns if all(0 <= t.start <= t.end <= len(text) for t in turns) else None


def _segments(raw: Any, src: Source, old_id: str) -> list[Segment] | None:
    """qualcode's own segments from the side file, when they fit the text."""
    if not isinstance(raw, list) or not raw:
        return None
    out = []
    for r in raw:
        try:
            sid, turn, a, b, speaker, question, ts = r
        except (TypeError, ValueError):
            return None
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(src.text)):
            return None
        if old_id and old_id != src.id and str(sid).startswith(old_id + "#"):
            sid = src.id + str(sid)[len(old_id):]
        out.append(Segment(id=str(sid), source_id=src.id, turn_index=int(turn), start=a, end=b, text=src.text[a:b],
                           speaker=speaker or "", question=question or "", timestamp=ts, language=src.language,
                           attributes=dict(src.attributes)))
    return out


def _participants(new: list[tuple[Source, Any, bytes, Path]], folder: Path, res: ImportResult) -> None:
    """Attributes as participants.csv beside the texts, so that `qualcode code FOLDER` keeps them."""
    rows = [(f.name, s.attributes) for s, _, _, f in new if s.attributes]
    if not rows:
        return
    import csv
    import io

    cols: list[str] = []
    for _, a in rows:
        cols += [k for k in a if k not in cols]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["file", *cols])
    for name, a in rows:
        w.writerow([name, *["" if a.get(c) is None else a.get(c) for c in cols]])
    target = folder / "participants.csv"
    if target.exists() and target.read_text(encoding="utf-8-sig") != buf.getvalue():
        target = folder / f"participants_{_file_stem(res.path.stem)}.csv"
        res.warnings.append(Message("msg.refi.participants_exists", existing=folder / "participants.csv", target=target))
    atomic_write(target, buf.getvalue().encode("utf-8"))


def import_codebook(path: str | Path, out: str | Path, *, language: str | None = None) -> tuple[Path, Codebook]:
    """Write a codebook YAML from a REFI-QDA codebook (.qdc), or from a project's (.qdpx) codebook."""
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        zf, qde, _ = open_container(path)
        with zf:
            root = parse_xml(zf.read(qde), f"{path} ({qde})")
        cb_el = kid(root, "CodeBook")
        codes_el = kid(cb_el, "Codes") if cb_el is not None else None
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExchangeError(Message("msg.refi.codebook_unreadable_file", path=path, error=exc.strerror)) from None
        root = parse_xml(data, str(path))
        if local(root.tag) != "CodeBook":
            raise ExchangeError(Message("msg.refi.not_codebook", path=path, root=local(root.tag), ns=CODEBOOK_NS))
        codes_el = kid(root, "Codes")
    codes = read_codes(codes_el)
    if not codes:
        raise ExchangeError(Message("msg.refi.codebook_empty", path=path))
    lang = language or detect_language(" ".join(f"{c.name}. {c.description}" for c in codes))
    yaml_text, _ = foreign_codebook_yaml(codes, lang=lang, name=_file_stem(path.stem), source=path.name,
                                         date=now()[:10])
    out = Path(out)
    cb = parse(yaml_text, str(out))
    _backup(out)
    atomic_write(out, yaml_text.encode("utf-8"))
    return out, cb
