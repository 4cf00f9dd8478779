"""Find speaker turns in plain transcript text.

A turn starts on a line that begins with a label and a colon ("Marie :", "[00:12:34] Q:",
"**Enquêteur :**"). Free text also contains such lines ("Note: ...", "Here's my last
question:"), so a label only counts when it is a known interviewer/respondent label or when
it recurs as a label in the document. When the document has a known interviewer, a recurring
unknown label must also answer the interviewer (or another accepted speaker) at least once:
that keeps a dialogue pasted inside one answer ("Me: ... / ChatGPT: ...") inside that answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from qualcode.model import INTERVIEWER, RESPONDENT, SpeakerRole, Turn

from ._common import norm_label, parse_timestamp, trim

DEFAULT_INTERVIEWER_LABELS: frozenset[str] = frozenset(
    {
        "interviewer", "intervieweur", "intervieweuse", "enquêteur", "enquêtrice",
        "enquêteuse", "q", "question", "assistant", "ai", "ia", "moderator",
        "modérateur", "modératrice", "animateur", "animatrice", "chercheur", "chercheuse",
        "researcher", "journaliste", "int", "i",
    }
)  # fmt: skip
DEFAULT_RESPONDENT_LABELS: frozenset[str] = frozenset(
    {
        "user", "r", "a", "réponse", "answer", "répondant", "répondante", "respondent",
        "participant", "participante", "interviewé", "interviewée", "interviewee",
        "enquêté", "enquêtée", "p",
    }
)  # fmt: skip


@dataclass
class SpeakerConfig:
    """Which labels name the interviewer; every other speaker is a respondent.

    Labels compare case-, accent- and spacing-insensitively ("ENQUETEUR" == "Enquêteur").
    Known labels (either set) start turns even when they occur once; other labels must recur.
    Passing a set replaces the default, e.g.
    ``SpeakerConfig(interviewer_labels=DEFAULT_INTERVIEWER_LABELS | {"Sophie"})``.
    """

    interviewer_labels: set[str] = field(default_factory=lambda: set(DEFAULT_INTERVIEWER_LABELS))
    respondent_labels: set[str] = field(default_factory=lambda: set(DEFAULT_RESPONDENT_LABELS))

    def keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """Normalised (interviewer, respondent) label sets; interviewer wins on overlap."""
        return _role_keys(frozenset(self.interviewer_labels), frozenset(self.respondent_labels))

    def role(self, speaker: str) -> SpeakerRole:
        return INTERVIEWER if norm_label(speaker) in self.keys()[0] else RESPONDENT


@lru_cache(maxsize=32)
def _role_keys(
    interviewer_labels: frozenset[str], respondent_labels: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    interviewer = frozenset(norm_label(x) for x in interviewer_labels)
    return interviewer, frozenset(norm_label(x) for x in respondent_labels) - interviewer


_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_SP = r"[ \t\u00a0\u202f]"  # French typography puts a (narrow) no-break space before ":"
_EM = r"(?:\*\*|__|\*|_)"
_WORD = r"[\w.'’-]+"
LABEL_LINE = re.compile(
    rf"""
    ^[ \t]*
    (?:(?P<ts>\[{_TS}\]|\({_TS}\)|{_TS})[ \t]*(?:[-–—][ \t]*)?)?   # [00:12:34] / (00:12) / 00:12:34
    {_EM}?
    (?P<label>[^\W\d_][\w.'’-]*(?:[ \t]+{_WORD}){{0,3}})            # 1-4 words, starts with a letter
    (?:{_SP}*(?P<ts2>\[{_TS}\]|\({_TS}\)))?                         # Name (00:12:34):
    {_SP}*{_EM}?{_SP}*:{_EM}?                                      # ":", "** :", " :**"
    (?=[ \t\u00a0\u202f\n]|$)                                      # not "http://", not "12:30"
    {_SP}*
    """,
    re.MULTILINE | re.VERBOSE,
)
_MAX_LABEL = 40


@dataclass(slots=True)
class LabelLine:
    """A line that looks like it starts a turn; accepted or not later."""

    line_start: int
    content_start: int
    label: str
    key: str
    timestamp: str | None


def find_label_lines(text: str) -> list[LabelLine]:
    """Every line shaped like "label: ...", in order (candidates, not yet accepted)."""
    found: list[LabelLine] = []
    for m in LABEL_LINE.finditer(text):
        label = m.group("label").strip("_*")
        if not label or len(label) > _MAX_LABEL:
            continue
        ts = m.group("ts") or m.group("ts2")
        found.append(
            LabelLine(
                m.start(), m.end(), label, norm_label(label), ts.strip("[]()") if ts else None
            )
        )
    return found


def accepted_keys(keys: list[str], config: SpeakerConfig) -> set[str]:
    """The normalised labels, among ``keys`` (in document order), that really name speakers."""
    interviewer, respondent = config.keys()
    counts = Counter(keys)
    known = {k for k in counts if k in interviewer or k in respondent}
    recurring = {k for k, n in counts.items() if n >= 2 and k not in known}
    if not recurring or not (known & interviewer):
        return known | recurring
    # With a known interviewer, an unknown speaker must reply to the interviewer or to
    # another accepted unknown speaker (focus groups) at least once.
    sequence = [k for k in keys if k in known or k in recurring]
    accepted: set[str] = set()
    changed = True
    while changed:
        changed = False
        for prev, cur in zip(sequence, sequence[1:], strict=False):
            if (
                cur in recurring
                and cur not in accepted
                and (prev in interviewer or prev in accepted)
            ):
                accepted.add(cur)
                changed = True
    return known | accepted


def paragraph_turns(text: str, offset: int = 0, end: int | None = None) -> list[Turn]:
    """No speaker labels: each paragraph (blank-line separated) is a respondent turn, speaker ""."""
    stop = len(text) if end is None else end
    turns: list[Turn] = []
    para_start: int | None = None
    pos = offset
    while pos <= stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl == -1 else nl
        blank = not text[pos:line_end].strip()
        if blank and para_start is not None:
            _add_paragraph(turns, text, para_start, pos)
            para_start = None
        elif not blank and para_start is None:
            para_start = pos
        if nl == -1:
            break
        pos = nl + 1
    if para_start is not None:
        _add_paragraph(turns, text, para_start, stop)
    return turns


def _add_paragraph(turns: list[Turn], text: str, start: int, end: int) -> None:
    start, end = trim(text, start, end)
    if end > start:
        turns.append(Turn(len(turns), "", RESPONDENT, start, end))


def parse_turns(text: str, config: SpeakerConfig | None = None) -> list[Turn]:
    """Speaker turns of a transcript; paragraphs as respondent turns when there is no label.

    Text before the first label (title, header) belongs to no turn; lines after a label line
    belong to its turn until the next accepted label line.
    """
    config = config or SpeakerConfig()
    interviewer, _ = config.keys()
    lines = find_label_lines(text)
    keep = accepted_keys([ln.key for ln in lines], config) if lines else set()
    lines = [ln for ln in lines if ln.key in keep]
    if not lines:
        return paragraph_turns(text)
    turns: list[Turn] = []
    for i, ln in enumerate(lines):
        stop = lines[i + 1].line_start if i + 1 < len(lines) else len(text)
        start, end = trim(text, ln.content_start, stop)
        if end <= start:
            continue  # a label with nothing said: no turn
        role: SpeakerRole = INTERVIEWER if ln.key in interviewer else RESPONDENT
        seconds = parse_timestamp(ln.timestamp) if ln.timestamp else None
        turns.append(Turn(len(turns), ln.label, role, start, end, ln.timestamp, seconds))
    return turns


def has_speaker_labels(text: str, config: SpeakerConfig | None = None, minimum: int = 2) -> bool:
    """True when ``text`` has at least ``minimum`` accepted label lines (a dialogue)."""
    lines = find_label_lines(text)
    if len(lines) < minimum:
        return False
    keep = accepted_keys([ln.key for ln in lines], config or SpeakerConfig())
    return sum(ln.key in keep for ln in lines) >= minimum
