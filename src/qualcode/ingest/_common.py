"""Small helpers shared by the ingest readers (no third-party imports here)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

from qualcode._i18n import Message
from qualcode.model import SpeakerRole, Turn

# Extensions read_source understands, mapped to the reader family.
TEXT_EXTS = frozenset({"txt", "md"})
SUBTITLE_EXTS = frozenset({"vtt", "srt"})
TABLE_EXTS = frozenset({"csv", "tsv", "xlsx", "jsonl"})
SUPPORTED_EXTS = TEXT_EXTS | SUBTITLE_EXTS | TABLE_EXTS | {"docx"}

# Formats people do put in an interview folder but that we cannot read: reported as
# errors with a conversion hint rather than silently skipped, since an interview would go missing.
CONVERTIBLE_EXTS: dict[str, Message] = {
    ext: Message(f"msg.ingest.convert.{ext}") for ext in ("doc", "odt", "rtf", "pages", "pdf", "xls", "ods")
}  # what to do with a file qualcode cannot read but its user can convert (a Message: French or English)

_TS_PARTS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d+))?$")


@lru_cache(maxsize=4096)  # the same few labels recur thousands of times in a corpus
def norm_label(label: str) -> str:
    """Comparable form of a speaker label or column name: case-, accent- and spacing-insensitive.

    Researchers type "Enquêteur", "ENQUETEUR" or "enquêteur." for the same role, so matching
    ignores case, accents, inner whitespace runs and a trailing full stop.
    """
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("’", "'").split()).rstrip(".")


def parse_timestamp(ts: str) -> float | None:
    """Seconds in "01:02:03", "12:34" (minutes:seconds) or "00:00:05.250"; None if it does not parse."""
    m = _TS_PARTS.match(ts.strip("[]() \t"))
    if not m:
        return None
    hours, minutes, seconds, frac = m.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(frac) / 10 ** len(frac) if frac else 0.0)


def format_hms(seconds: float) -> str:
    """Format seconds as HH:MM:SS for the readable text built from subtitles."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def normalise_newlines(text: str) -> str:
    """Windows and old-Mac line ends become "\\n"; nothing else in the text changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_record(record: dict[str, Any]) -> str:
    """Stable hash of a table row: canonical JSON, so re-saving a sheet does not change it."""
    canon = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class TurnText:
    """Builds a readable transcript turn by turn ("header speech" blocks separated by a blank
    line), recording each turn's exact offsets as it goes: for formats whose text we compose."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.turns: list[Turn] = []
        self.pos = 0

    def add(self, header: str, speech: str, speaker: str, role: SpeakerRole,
            timestamp: str | None = None, seconds: float | None = None) -> None:
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        self.parts.append(header + speech)
        start = self.pos + len(header)
        self.pos = start + len(speech)
        self.turns.append(Turn(len(self.turns), speaker, role, start, self.pos, timestamp, seconds))

    def text(self) -> str:
        return "".join(self.parts) + "\n"
