"""The review workbook's layout, shared by export and import so that they never drift apart.

Columns are found again by their header text (recorded in the hidden ``_meta`` sheet), never
by position, and rows by their segment id, never by order: the reviewer may sort, filter,
move or hide columns and rows freely.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .._i18n import tr

FORMAT = "qualcode-review"
FORMAT_VERSION = "1"
META_SHEET = "_meta"
HEADER_ROW = 3  # rows 1-2: reviewer name and instructions
FIRST_ROW = HEADER_ROW + 1
REVIEWER_CELL = "B1"

# Column keys. Per-code keys are "<kind>:<code id>".
SEGMENT, KEY, INTERVIEW, TEXT, QUESTION, EVIDENCE, MEMO = (
    "segment", "key", "interview", "text", "question", "evidence", "memo")
SPEAKER, TIMESTAMP, REVIEWS = "speaker", "timestamp", "reviews"
OLD_TEXT, NEW_TEXT, BEFORE, CONFIRM = "old_text", "new_text", "before", "confirm"
MACHINE, CONF, DECISION, ATTR = "machine", "conf", "decision", "attr"

def readme_lines(lang: str) -> list[str]:
    """The read-me sheet, one paragraph a line (title first)."""
    yes, no = decision_values(lang)
    return tr("review.readme_text", lang, yes=yes, no=no).split("\n")


def decision_values(lang: str) -> tuple[str, str]:
    """The dropdown's two decisions in the workbook's language: (applies, does not apply)."""
    return tr("review.yes", lang), tr("review.no", lang)


def clear_value(lang: str) -> str:
    """The dropdown's third value: withdraw my earlier decision (the cell becomes unreviewed)."""
    return tr("review.clear", lang)


def row_key(segment_id: str, text_sha: str) -> str:
    """A checksum binding a row's segment id to the text it was exported with.

    Stored in a hidden column: an edited id (or key) no longer matches, so a decision can
    never be silently applied to another segment.
    """
    return hashlib.sha1(f"{segment_id}\x1f{text_sha}".encode()).hexdigest()[:12]


def norm_header(value: object) -> str:
    """Header text compared whitespace-insensitively (wrapping may differ after a save)."""
    return " ".join(str(value).split()) if value is not None else ""


def norm_text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


@dataclass(frozen=True)
class Column:
    key: str  # e.g. "segment", "decision:JOBS", "attr:role"
    header: str
    width: float

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def code(self) -> str:
        return self.key.split(":", 1)[1] if ":" in self.key else ""


def code_header(code_label: str, code_id: str, kind: str, lang: str) -> str:
    return f"{code_label}\n[{code_id}] {tr('review.' + kind, lang)}"
