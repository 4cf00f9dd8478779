"""Bring a REFI-QDA project made elsewhere into a qualcode project.

Sources become sources (their text exactly as in the file, with "\\n" line endings and no
byte-order mark), written as UTF-8 files in a folder so that ``qualcode code FOLDER`` codes
them later without re-segmenting, and segmented like any transcript (speaker turns when the
text has speaker labels, else paragraphs). Codes become codebook codes; cases and variables
become source attributes; memos become decision memos.

How a selection becomes decisions (the rule, also in the README): a segment is coded when the
selection covers at least half of it, or, when no segment is, the one segment that holds at
least half of the selection (a quote inside a long answer codes the answer). A selection that
touches no respondent segment (an interviewer's question, a title) or spreads thinly over
several is not mapped and is reported with its text and the reason. A user who coded a
source is taken to have read all of it: the segments of that source they did not code with a
code get a "no" for that code (``implicit_no``), which is what agreement and training need;
not for a coder the project already has decisions from (their "no"s are known, or were never
made), nor for qualcode's own reviewers coming back with qualcode's side file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..codebook import Codebook
from ..errors import ExchangeError
from ..ingest import detect_language, parse_turns
from ..model import INTERVIEWER, Coding, Segment, Source, Turn
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
from ._offsets import STANDARD
from ._project import ImportTarget, file_name_for, source_id_for
from ._read import ForeignProject, open_container, parse_xml, read_project_file
from ._xml import CODEBOOK_NS, atomic_write, kid, local, qualcode_time

COVER = 0.5  # a segment is coded when a selection covers this share of it


@dataclass
class Unmapped:
    """A coding that did not become a decision, and why."""

    source: str
    start: int
    end: int
    code: str
    user: str
    text: str
    reason: str


@dataclass
class ImportResult:
    """What ``import_project`` did (or would do, with ``dry_run``)."""

    path: Path
    origin: str
    sources_dir: Path
    sources_new: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)  # identical text already in the project
    files: list[Path] = field(default_factory=list)
    codebook_path: Path | None = None  # the codebook YAML written, when codes were added
    codebook_file: str = ""  # the codebook the project uses after the import (its YAML's path)
    codes: int = 0
    codes_new: list[str] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # coder -> decisions "applied"
    selections: int = 0  # coded selections read
    mapped_exact: int = 0  # exactly one segment, same span
    mapped_part: int = 0  # one segment, span differs (part of it, or a little beyond)
    mapped_span: int = 0  # several segments
    decisions_yes: int = 0
    decisions_no: int = 0
    implicit_no: int = 0
    stored: int = 0
    machine_skipped: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    annotations: list[tuple[str, str, str]] = field(default_factory=list)  # source, text, note
    notes: list[tuple[str, str]] = field(default_factory=list)  # title, text
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def _file_stem(name: str) -> str:
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if re.search(r"\.(txt|docx?|rtf|pdf|odt|md|html?)$", stem, re.I):
        stem = stem.rsplit(".", 1)[0]
    stem = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', "_", stem).strip(" ._")
    return stem or "source"


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def map_selection(text: str, a: int, b: int, segments: Sequence[Segment],
                  turns: Sequence[Turn] = ()) -> tuple[list[Segment], str]:
    """The segments a selection [a, b) codes, and "exact", "part", "span" or why none."""
    a, b = _trim(text, a, b)
    if b <= a:
        return [], "the selection is empty (or only spaces)"
    over = [(s, min(b, s.end) - max(a, s.start)) for s in segments if min(b, s.end) > max(a, s.start)]
    if not over:
        if any(t.role == INTERVIEWER and min(b, t.end) > max(a, t.start) for t in turns):
            return [], "it is in an interviewer's turn; qualcode codes what respondents say"
        return [], "it is outside every respondent segment (a title, a header or a speaker label)"
    hit = [s for s, o in over if o >= COVER * (s.end - s.start)]
    if not hit:
        s, o = max(over, key=lambda x: x[1])
        if o >= COVER * (b - a):
            hit = [s]
    if not hit:
        s, o = max(over, key=lambda x: x[1])
        return [], (f"it covers only {100 * o / (s.end - s.start):.0f}% of segment {s.id} and spreads over "
                    f"{len(over)} segments without covering half of any")
    if len(hit) > 1:
        return hit, "span"
    return hit, "exact" if (hit[0].start, hit[0].end) == (a, b) else "part"


def _short(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


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
            fp.warnings.append("qualcode's codebook in the file is unreadable: codes rebuilt from the REFI-QDA codebook")
        if existing_new is not None:
            mapping = {g: cid for g, cid in (side.get("codes") or {}).items() if cid in existing_new.ids}
            extra, mapping, added = _extra_codes(fp.codes, existing_new, mapping, lang, memos)
            yaml_text = merged_codebook_yaml(existing_new, extra) if extra else side["codebook"]["yaml"]
            return parse(yaml_text, str(out)), yaml_text, mapping, added
    if existing is None:
        if not fp.codes:
            raise ExchangeError(f"{fp.path}: the project has no codes and this qualcode project has no codebook yet; "
                                "import a codebook first (qualcode import FILE.qdc) or code the project with one")
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
        label = f"case {c.name!r}" if c.name else "an unnamed case"
        if dangling:
            warnings.append(f"{label} refers to {dangling} source(s) that the file does not have (a known "
                            "QualCoder export bug)")
        if not refs and c.name:
            key = _norm(c.name)
            cands = [s.guid for s in fp.sources if key and key in _norm(s.name)]
            if len(cands) == 1:
                refs = cands
                warnings.append(f"{label} linked to source {by_guid[cands[0]].name!r} by its name")
        if not refs:
            if c.variables or c.description:
                warnings.append(f"{label} is linked to no source: its {len(c.variables)} variable value(s) "
                                "are not imported")
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
        warnings.append(f"{unnamed} unnamed case(s) carry variables (MAXQDA / Quirkos style): read as the "
                        "variables of their source")
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
            why = ("as the selected texts named in the file show" if s.names_checked else
                   f"the habit of {fp.origin} (no selection names its text to check it)")
            res.warnings.append(f"source {s.name!r}: positions counted in {s.convention.label}, {why}: "
                                "read that way")
    attrs = _attributes(fp, res.warnings)

    # sources: match identical texts, else create
    by_text = {src.text: sid for sid, src in target.sources.items()}
    taken = set(target.sources)
    placed: dict[str, tuple[str, list[Segment], list[Turn]]] = {}  # guid -> (id, segments, turns)
    new_sources: list[tuple[Source, list[Segment] | None, bytes, Path]] = []
    for s in fp.sources:
        if not s.text.strip():
            res.warnings.append(f"source {s.name!r} has no text: left out")
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
            res.warnings.append(f"source {s.name!r} starts with '---': `qualcode code` would read its first lines as "
                                "front matter; remove that line from the file before coding it")
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
    codings = _decisions(fp, placed, code_map, cb, res, stamp, implicit_no, known_coders)
    res.notes = [("project description", fp.description)] if fp.description else []
    code_notes = {n for c in fp.codes for n in c.note_refs}
    res.notes += [(name or "note", text) for g, (name, text) in fp.notes.items()
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
        res.warnings.append(f"{folder / 'participants.csv'} already exists: attributes written to {target}; "
                            "give it to `qualcode code` as the participants file")
    atomic_write(target, buf.getvalue().encode("utf-8"))


def _decisions(fp: ForeignProject, placed: dict[str, tuple[str, list[Segment], list[Turn]]],
               code_map: dict[str, str], cb: Codebook, res: ImportResult, stamp: str,
               implicit_no: bool, known_coders: set[str]) -> list[Coding]:
    side = fp.sidecar or {}
    machine_users = set(side.get("machine_users") or [])
    side_users = set((side.get("users") or {}).values())
    default_user = f"unknown coder ({fp.origin or 'REFI-QDA'})"
    yes: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    touched: dict[tuple[str, str], str] = {}  # (user, source id) -> latest time
    for s in fp.sources:
        if s.guid not in placed:
            continue
        sid, segs, turns = placed[s.guid]
        for sel in s.selections:
            if not sel.codings:
                text = s.text[sel.start:sel.end] if sel.fits else ""
                note = "\n".join([sel.description] + [fp.notes[n][1] for n in sel.notes if n in fp.notes])
                res.annotations.append((s.name, text, note.strip()))
                continue
            if sel.fits:
                hit, how = map_selection(s.text, sel.start, sel.end, segs, turns)
            else:
                hit, how = [], (f"its positions [{sel.raw_start}, {sel.raw_end}) are outside the text "
                                f"({len(s.text)} characters)")
            counted = False
            for c in sel.codings:
                user_g = c.user or sel.user
                if user_g in machine_users:
                    res.machine_skipped += 1
                    continue
                user = fp.users.get(user_g or "", default_user)
                code_id = code_map.get(c.code)
                text = s.text[sel.start:sel.end] if sel.fits else (sel.name or "")
                if code_id is None:
                    res.unmapped.append(Unmapped(s.name, sel.raw_start, sel.raw_end, c.code, user, _short(text),
                                                 "it refers to no code of the file's codebook"))
                    continue
                if not hit:
                    res.unmapped.append(Unmapped(s.name, sel.raw_start, sel.raw_end, code_id, user, _short(text), how))
                    continue
                if not counted:
                    counted = True
                    res.selections += 1
                    res.mapped_exact += how == "exact"
                    res.mapped_part += how == "part"
                    res.mapped_span += how == "span"
                when = qualcode_time(c.time or sel.time) or stamp
                memo = [m for m in [sel.description] + [fp.notes[n][1] for n in c.notes + sel.notes if n in fp.notes]
                        if m]
                for seg in hit:
                    key = (seg.id, code_id, user)
                    prev = yes.get(key)
                    yes[key] = (max(when, prev[0]) if prev else when,
                                (prev[1] if prev else []) + [m for m in memo if m not in (prev[1] if prev else [])])
                t = touched.get((user, sid))
                touched[(user, sid)] = max(when, t) if t else when
        for n in s.notes:  # QualCoder writes an annotation as a note with its own selection
            if n in fp.note_spans and n in fp.notes:
                a, b = fp.note_spans[n]
                res.annotations.append((s.name, s.text[a:b] if 0 <= a <= b <= len(s.text) else "", fp.notes[n][1]))
        for c in s.whole_codings:
            res.unmapped.append(Unmapped(s.name, 0, len(s.text), code_map.get(c.code, c.code),
                                         fp.users.get(c.user or "", default_user), "(the whole source)",
                                         "it codes the whole source, not a passage; qualcode codes segments"))
    out: list[Coding] = []
    for (seg, code, user), (when, memos) in yes.items():
        out.append(Coding(seg, code, True, None, [], user, "human", cb.version, when, memo="\n\n".join(memos)))
        res.users[user] = res.users.get(user, 0) + 1
    res.decisions_yes = len(out)

    # "no" decisions: qualcode's own (side file), then implied by a coder's work on a source
    sid_of = {g: v[0] for g, v in placed.items()}
    segs_of = {v[0]: v[1] for v in placed.values()}
    for d in side.get("decisions_no") or []:
        if not isinstance(d, dict):
            continue
        sid = sid_of.get(next((g for g, info in (side.get("sources") or {}).items()
                               if info.get("id") == d.get("source")), ""))
        segs = segs_of.get(sid or "", [])
        seg = next((x for x in segs if x.id == d.get("segment")), None) or \
            next((x for x in segs if (x.start, x.end) == (d.get("start"), d.get("end"))), None)
        if seg is None or d.get("code") not in cb.ids or not d.get("user"):
            continue
        if (seg.id, d["code"], d["user"]) in yes:
            continue
        out.append(Coding(seg.id, d["code"], False, None, [], d["user"], "human", cb.version,
                          qualcode_time(d.get("time")) or stamp, memo=d.get("memo") or ""))
        res.decisions_no += 1
    if implicit_no:
        codable = sorted({code_map[c.guid] for c in fp.codes if c.codable and c.guid in code_map})
        already = sorted({u for u, _ in touched if u in known_coders and u not in side_users})
        if already:
            res.warnings.append(f"coder(s) {', '.join(already)} already have decisions in this project: their "
                                "codings were imported, but no 'no' is implied for what they left uncoded")
        for (user, sid), when in touched.items():
            if user in side_users or user in known_coders:
                continue  # qualcode's reviewers: their "no" travelled in the side file, or is known
            for seg in segs_of.get(sid, []):
                for code in codable:
                    if (seg.id, code, user) not in yes:
                        out.append(Coding(seg.id, code, False, None, [], user, "human", cb.version, when))
                        res.implicit_no += 1
        res.decisions_no += res.implicit_no
    out.sort(key=lambda c: (c.created_at, c.segment_id, c.code_id, c.coder))
    return out


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
            raise ExchangeError(f"{path}: cannot read the codebook ({exc.strerror}); check the path") from None
        root = parse_xml(data, str(path))
        if local(root.tag) != "CodeBook":
            raise ExchangeError(f"{path}: the root element is <{local(root.tag)}>, not a REFI-QDA <CodeBook> "
                                f"({CODEBOOK_NS}); export the codebook again (REFI-QDA codebook, .qdc)")
        codes_el = kid(root, "Codes")
    codes = read_codes(codes_el)
    if not codes:
        raise ExchangeError(f"{path}: the codebook has no <Code>; nothing to import")
    lang = language or detect_language(" ".join(f"{c.name}. {c.description}" for c in codes))
    yaml_text, _ = foreign_codebook_yaml(codes, lang=lang, name=_file_stem(path.stem), source=path.name,
                                         date=now()[:10])
    out = Path(out)
    cb = parse(yaml_text, str(out))
    _backup(out)
    atomic_write(out, yaml_text.encode("utf-8"))
    return out, cb
