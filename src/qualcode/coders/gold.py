"""Reference ("gold") units: the JSON Lines files that ``qualcode eval`` scores against and
``qualcode train`` learns from.

A gold file is JSON Lines, one coded unit a line: ``unit_id``, ``text``, optional ``question``
(the interviewer's turn before, context only), optional ``transcript_id`` and ``language``,
and ``codes`` (list of code ids, possibly empty).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..codebook import Codebook
from ..errors import ConfigError
from ..model import Segment

__all__ = ["GoldUnit", "load_gold", "check_codes", "gold_segments"]


@dataclass
class GoldUnit:
    """One reference unit: a text and the codes a careful human gave it."""

    unit_id: str
    text: str
    codes: list[str]
    question: str = ""
    transcript_id: str = ""
    language: str | None = None



def load_gold(path: str | Path) -> list[GoldUnit]:
    """Read a gold JSON Lines file; errors name the file, the line and the field."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{p}: gold file not found; give a JSON Lines file with unit_id, text "
                          "and codes on each line") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the gold file ({exc}); save it as UTF-8 JSON Lines") from None
    units: list[GoldUnit] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{p}, line {n}: not valid JSON ({exc.msg}); each line must be one "
                              'object like {"unit_id": "a#1", "text": "...", "codes": []}') from None
        if not isinstance(obj, dict):
            raise ConfigError(f"{p}, line {n}: expected a JSON object, found {type(obj).__name__}")
        for key, kind in (("unit_id", str), ("text", str), ("codes", list)):
            if not isinstance(obj.get(key), kind):
                raise ConfigError(f"{p}, line {n}: field {key!r} must be a {'list of code ids' if kind is list else 'text'}, "
                                  f"found {obj.get(key)!r:.60}")
        if not all(isinstance(c, str) for c in obj["codes"]):
            raise ConfigError(f"{p}, line {n}: field 'codes' must list code ids as texts, found {obj['codes']!r:.60}")
        uid = obj["unit_id"]
        if uid in seen:
            raise ConfigError(f"{p}, line {n}: unit_id {uid!r} appears twice; unit ids must be unique")
        seen.add(uid)
        tid = obj.get("transcript_id") or uid.split("#")[0]
        units.append(GoldUnit(uid, obj["text"], list(dict.fromkeys(obj["codes"])),
                              str(obj.get("question") or ""), str(tid), obj.get("language")))
    if not units:
        raise ConfigError(f"{p}: the gold file has no units")
    return units


def check_codes(units: Sequence[GoldUnit], codebook: Codebook, where: str = "gold") -> None:
    """Gold codes must exist in the codebook, else every figure would be silently wrong."""
    known = set(codebook.ids)
    for u in units:
        unknown = [c for c in u.codes if c not in known]
        if unknown:
            raise ConfigError(f"{where}: unit {u.unit_id} has code(s) {', '.join(unknown)} that codebook "
                              f"{codebook.name} does not define (codes: {', '.join(codebook.ids)}); "
                              "evaluate with the codebook the gold file was coded with")


def gold_segments(units: Sequence[GoldUnit], language: str | None = None) -> list[Segment]:
    """Segments to code from gold units; language from ``language``, the unit, or detected."""
    from ..ingest import detect_language

    out = []
    for u in units:
        lang = language or u.language or detect_language(u.text)
        out.append(Segment(id=u.unit_id, source_id=u.transcript_id, turn_index=0, start=0,
                           end=len(u.text), text=u.text, question=u.question, language=lang))
    return out
