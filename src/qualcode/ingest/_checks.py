"""What ingest checks after reading a file: sizes it refuses, and what it warns about.

A transcript that reads "successfully" can still lose a respondent's words (every turn read
as the interviewer's, a speaker label not recognised), so those cases are warnings naming the
file and the counts, while the file is still coded. A single turn too large to be a turn is
refused: it is a file without speaker labels or paragraphs, and would exhaust the language
pipeline (spaCy refuses texts over 1,000,000 characters).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from qualcode._i18n import Message
from qualcode.errors import IngestError
from qualcode.model import RESPONDENT, Source

from ._common import norm_label

#: One speaker turn (or table cell) longer than this is refused. An hour of speech is about
#: 60,000 characters; spaCy's own limit is 1,000,000.
MAX_TURN_CHARS = 200_000

# Attribute names that the outputs look for, whatever the language of the column.
_CANONICAL = {"role": "role", "rôle": "role"}


def canonical_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """``Rôle``/``ROLE``/``role`` all become ``role``, the breakdown the outputs use."""
    return {_CANONICAL.get(norm_label(k), k): v for k, v in attributes.items()}


def check_turn_sizes(source: Source, where: str) -> None:
    """Raise IngestError when a turn is larger than :data:`MAX_TURN_CHARS`."""
    for t in source.turns:
        if t.end - t.start > MAX_TURN_CHARS:
            line = source.text.count("\n", 0, t.start) + 1
            who = Message("msg.ingest.turn_of", speaker=t.speaker) if t.speaker else Message("msg.ingest.paragraph")
            raise IngestError(Message("msg.ingest.turn_too_long", where=where, who=who, line=line,
                                      size=f"{t.end - t.start:,}", limit=f"{MAX_TURN_CHARS:,}"))


def turn_warnings(source: Source, unread: Counter[str]) -> list[str]:
    """Messages about a transcript that was read but may have lost or misplaced speech."""
    notes: list[str] = []
    respondent = [t for t in source.turns if t.role == RESPONDENT and t.end > t.start]
    if not respondent:
        labels = Counter(t.speaker for t in source.turns)
        seen = ", ".join(f"{k} ×{n}" for k, n in labels.most_common(5)) or Message("msg.ingest.none")
        notes.append(Message("msg.ingest.no_respondent", turns=len(source.turns), seen=seen))
    if unread and source.turns and any(t.speaker for t in source.turns):
        shown = ", ".join(f"{k} ×{n}" for k, n in unread.most_common(6))
        notes.append(Message("msg.ingest.unread_labels", n=sum(unread.values()), shown=shown))
    return notes
