"""How another tool's codings become decisions on qualcode's segments.

A segment is coded when a selection covers at least half of it (``COVER``); when no segment
is, the one segment that holds at least half of the selection (a quote inside a long answer
codes the answer). A selection that touches no respondent segment (an interviewer's question,
a title) or spreads thinly over several is not mapped and is reported with its text and why.
A coder who coded a source is taken to have read all of it: the segments of that source they
did not code with a code get a "no" for that code (``implicit_no``), which agreement and
training need; not for a coder the project already has decisions from (their "no"s are
known, or were never made), nor for qualcode's own reviewers coming back with qualcode's
side file (their "no"s travel in it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._i18n import Message, shorten
from ..codebook import Codebook
from ..model import INTERVIEWER, Coding, Segment, Turn
from ._read import ForeignProject
from ._result import ImportResult, Unmapped
from ._xml import qualcode_time

COVER = 0.5  # a segment is coded when a selection covers this share of it
MACHINE_USER = re.compile(r"^qualcode \(machine ?: ")  # the user qualcode's export gives the machine


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
        return [], Message("msg.refi.reason.empty")
    over = [(s, min(b, s.end) - max(a, s.start)) for s in segments if min(b, s.end) > max(a, s.start)]
    if not over:
        if any(t.role == INTERVIEWER and min(b, t.end) > max(a, t.start) for t in turns):
            return [], Message("msg.refi.reason.interviewer")
        return [], Message("msg.refi.reason.outside")
    hit = [s for s, o in over if o >= COVER * (s.end - s.start)]
    if not hit:
        s, o = max(over, key=lambda x: x[1])
        if o >= COVER * (b - a):
            hit = [s]
    if not hit:
        s, o = max(over, key=lambda x: x[1])
        return [], Message("msg.refi.reason.spread", pct=f"{100 * o / (s.end - s.start):.0f}", segment=s.id,
                           n=len(over))
    if len(hit) > 1:
        return hit, "span"
    return hit, "exact" if (hit[0].start, hit[0].end) == (a, b) else "part"



def decisions(fp: ForeignProject, placed: dict[str, tuple[str, list[Segment], list[Turn]]],
               code_map: dict[str, str], cb: Codebook, res: ImportResult, stamp: str,
               implicit_no: bool, known_coders: set[str]) -> list[Coding]:
    side = fp.sidecar or {}
    machine_users = set(side.get("machine_users") or [])
    # qualcode's machine user keeps its name through another tool that drops the side file
    machine_users |= {g for g, name in fp.users.items() if MACHINE_USER.match(name)}
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
                hit, how = [], Message("msg.refi.reason.out_of_text", start=sel.raw_start, end=sel.raw_end,
                                        n=len(s.text))
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
                    res.unmapped.append(Unmapped(s.name, sel.raw_start, sel.raw_end, c.code, user, shorten(text, 80),
                                                 Message("msg.refi.reason.no_code")))
                    continue
                if not hit:
                    res.unmapped.append(Unmapped(s.name, sel.raw_start, sel.raw_end, code_id, user, shorten(text, 80), how))
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
                                         fp.users.get(c.user or "", default_user), Message("msg.refi.whole_source"),
                                         Message("msg.refi.reason.whole_source")))
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
            res.warnings.append(Message("msg.refi.coders_already", coders=", ".join(already)))
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
