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
            who = f"{t.speaker}'s turn" if t.speaker else "the paragraph"
            raise IngestError(
                f"{where}: {who} starting line {line} is {t.end - t.start:,} characters long, "
                f"above the limit of {MAX_TURN_CHARS:,} for one turn; the file probably lacks "
                "speaker labels or blank lines between paragraphs: add them, or split the file"
            )


def turn_warnings(source: Source, unread: Counter[str]) -> list[str]:
    """Messages about a transcript that was read but may have lost or misplaced speech."""
    notes: list[str] = []
    respondent = [t for t in source.turns if t.role == RESPONDENT and t.end > t.start]
    if not respondent:
        labels = Counter(t.speaker for t in source.turns)
        seen = ", ".join(f"{k} ×{n}" for k, n in labels.most_common(5)) or "none"
        notes.append(
            f"no respondent speech found, so nothing will be coded: {len(source.turns)} turn(s), "
            f"all the interviewer's (labels: {seen}); if one of these labels is a respondent, "
            "give it as a respondent label, or list the speaker in the participants file"
        )
    if unread and source.turns and any(t.speaker for t in source.turns):
        shown = ", ".join(f"{k} ×{n}" for k, n in unread.most_common(6))
        notes.append(
            f"{sum(unread.values())} line(s) look like speaker labels but were read as speech "
            f"({shown}); if they name speakers, list them in the participants file or give "
            "them as respondent or interviewer labels"
        )
    return notes
