"""Find speaker turns in plain transcript text.

A turn starts on a line that begins with a label and a colon ("Marie :", "[00:12:34] Q:",
"**Enquêteur :**"), also right after a form feed (text from ``pdftotext``). Free text also
contains such lines ("Note: ...", "Here's my last question:"), so a label counts when:

- it is a known interviewer or respondent label (``E``, ``Enquêteur``, ``Q``, ``R``...), or a
  speaker name listed in the participants file, even if said once;
- it recurs as a label in the document; when the document has a known interviewer, it must
  also answer the interviewer (or another accepted speaker) at least once: that keeps a
  dialogue pasted inside one answer ("Me: ... / ChatGPT: ...") inside that answer;
- it is said once but follows the file's label pattern (same shape: timestamp, emphasis,
  capitals, space before the colon, as an accepted label) and answers the interviewer, or
  speaks in a focus group where other unknown names were accepted. Words that head notes
  ("Note", "Remarque", "PS"...) never count this way.

Lines such as ``Participant : Julie Martin, 45 ans`` or ``Durée : 45 min`` at the top of the
file, before the interviewer's first line, are header metadata, not turns: see
:func:`analyse_turns`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from qualcode.model import INTERVIEWER, RESPONDENT, SpeakerRole, Turn

from ..model import trim
from ._common import norm_label, parse_timestamp

DEFAULT_INTERVIEWER_LABELS: frozenset[str] = frozenset(
    {
        "interviewer", "intervieweur", "intervieweuse", "enquêteur", "enquêtrice",
        "enquêteuse", "q", "question", "assistant", "ai", "ia", "moderator",
        "modérateur", "modératrice", "animateur", "animatrice", "chercheur", "chercheuse",
        "researcher", "journaliste", "int", "i", "e", "enq",
    }
)  # fmt: skip
DEFAULT_RESPONDENT_LABELS: frozenset[str] = frozenset(
    {
        "user", "r", "a", "réponse", "answer", "répondant", "répondante", "respondent",
        "participant", "participante", "interviewé", "interviewée", "interviewee",
        "enquêté", "enquêtée", "p",
    }
)  # fmt: skip


# Words that head a note or a remark inside speech: never a speaker said once.
NOT_SPEAKERS: frozenset[str] = frozenset(
    {
        "note", "nota", "nb", "n.b", "ps", "p.s", "remarque", "remark", "rq", "attention",
        "exemple", "example", "e.g", "ex", "edit", "update", "source", "sources", "citation",
        "quote", "rappel", "reminder", "important", "info", "tip", "astuce", "conseil",
        "definition", "définition", "bref", "resume", "résumé", "summary", "conclusion",
        "introduction", "objet", "subject", "sujet", "titre", "title", "total", "warning",
        "avertissement", "question", "réponse", "answer", "pause", "silence", "rires",
        "laughs", "inaudible", "fin", "end", "suite", "voici", "voila", "voilà", "ok",
    }
)  # fmt: skip

# Keys of header lines ("Durée : 45 min") read as the source's attributes when they open the file.
HEADER_KEYS: frozenset[str] = frozenset(
    {
        "participant", "participante", "participants", "interviewé", "interviewée",
        "interviewee", "enquêté", "enquêtée", "répondant", "répondante", "respondent",
        "durée", "duration", "length", "date", "heure", "time", "lieu", "location", "place",
        "ville", "city", "entretien", "interview", "entretien n°", "âge", "age", "sexe",
        "genre", "gender", "poste", "fonction", "job", "position", "métier", "profession",
        "secteur", "sector", "entreprise", "company", "organisation", "organization", "rôle",
        "role", "projet", "project", "étude", "study", "transcription", "transcript",
        "transcripteur", "transcriber", "langue", "language", "mode", "support", "format",
        "code", "id",
    }
)  # fmt: skip
_MAX_HEADER_VALUE = 160
_NOT_SPEAKER_KEYS = frozenset(norm_label(x) for x in NOT_SPEAKERS)
_HEADER_KEYS = frozenset(norm_label(x) for x in HEADER_KEYS)


@dataclass
class SpeakerConfig:
    """Which labels name the interviewer; every other speaker is a respondent.

    Labels compare case-, accent- and spacing-insensitively ("ENQUETEUR" == "Enquêteur").
    Known labels (either set, and ``names``: speakers listed in a participants file) start
    turns even when they occur once. :meth:`with_labels` adds labels to the defaults; passing
    a set to the constructor replaces them, e.g.
    ``SpeakerConfig(interviewer_labels=DEFAULT_INTERVIEWER_LABELS | {"Sophie"})``.
    """

    interviewer_labels: set[str] = field(default_factory=lambda: set(DEFAULT_INTERVIEWER_LABELS))
    respondent_labels: set[str] = field(default_factory=lambda: set(DEFAULT_RESPONDENT_LABELS))
    names: set[str] = field(default_factory=set)

    @classmethod
    def with_labels(cls, interviewer: Iterable[str] = (), respondent: Iterable[str] = ()
                    ) -> SpeakerConfig:
        """The default labels plus ``interviewer`` and ``respondent`` labels.

        A label given as a respondent is no longer an interviewer label (``R`` stays a
        respondent even if a default said otherwise), and conversely.
        """
        extra_i = {x.strip() for x in interviewer if x.strip()}
        extra_r = {x.strip() for x in respondent if x.strip()}
        ki, kr = {norm_label(x) for x in extra_i}, {norm_label(x) for x in extra_r}
        inter = {x for x in DEFAULT_INTERVIEWER_LABELS if norm_label(x) not in kr} | extra_i
        resp = {x for x in DEFAULT_RESPONDENT_LABELS if norm_label(x) not in ki} | extra_r
        return cls(interviewer_labels=inter, respondent_labels=resp)

    def keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """Normalised (interviewer, respondent) label sets; interviewer wins on overlap."""
        inter, resp = _role_keys(frozenset(self.interviewer_labels),
                                 frozenset(self.respondent_labels))
        if self.names:
            resp = resp | (frozenset(norm_label(x) for x in self.names) - inter)
        return inter, resp

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
    (?:^|(?<=\f))[ \t\f\v]*                                         # a form feed starts a page
    (?:(?P<ts>\[{_TS}\]|\({_TS}\)|{_TS})[ \t]*(?:[-–—][ \t]*)?)?   # [00:12:34] / (00:12) / 00:12:34
    {_EM}?
    (?P<label>[^\W\d_][\w.'’-]*(?:[ \t]+{_WORD}){{0,3}})            # 1-4 words, starts with a letter
    (?:{_SP}*(?P<ts2>\[{_TS}\]|\({_TS}\)))?                         # Name (00:12:34):
    (?P<sp>{_SP}*){_EM}?{_SP}*:{_EM}?                                      # ":", "** :", " :**"
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
    shape: tuple[object, ...] = ()


def _shape(m: re.Match[str], label: str) -> tuple[object, ...]:
    """How a label is written: timestamp, emphasis, capitals, words, space before the colon."""
    letters = [c for c in label if c.isalpha()]
    if len(letters) <= 1:
        case = "letter"
    elif all(c.isupper() for c in letters):
        case = "upper"
    elif all(w[:1].isupper() for w in label.split()):
        case = "title"  # every word capitalised, as names are ("Mme Durand", "Jean-Marc")
    elif label[:1].isupper():
        case = "sentence"  # "Autre paragraphe": a phrase, not a name
    else:
        case = "lower"
    emphasis = "*" in m.group(0) or "_" in m.group(0).replace(label, "")
    return (bool(m.group("ts") or m.group("ts2")), emphasis, case, len(label.split()),
            bool(m.group("sp")))


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
                m.start(), m.end(), label, norm_label(label), ts.strip("[]()") if ts else None,
                _shape(m, label),
            )
        )
    return found


def accepted_keys(keys: list[str], config: SpeakerConfig,
                  shapes: list[tuple[object, ...]] | None = None) -> set[str]:
    """The normalised labels, among ``keys`` (in document order), that really name speakers.

    ``shapes`` (how each label line is written, see :func:`find_label_lines`) lets a label
    said once count when it follows the file's label pattern (module docstring).
    """
    interviewer, respondent = config.keys()
    counts = Counter(keys)
    known = {k for k in counts if k in interviewer or k in respondent}
    recurring = {k for k, n in counts.items() if n >= 2 and k not in known}
    accepted: set[str] = set()
    if recurring and not (known & interviewer):
        accepted = set(recurring)
    elif recurring:
        # With a known interviewer, an unknown speaker must reply to the interviewer or to
        # another accepted unknown speaker (focus groups) at least once.
        sequence = [k for k in keys if k in known or k in recurring]
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
    if shapes is not None:
        accepted |= _said_once(keys, shapes, known | accepted, interviewer, bool(accepted))
    return known | accepted


def _fits(shape: tuple[object, ...], pattern: set[tuple[object, ...]], after_interviewer: bool
          ) -> bool:
    """Whether a label is written like the accepted ones. After the interviewer, only the
    typography must agree (timestamp, emphasis, space before the colon): "E :" then "Julie :";
    elsewhere (focus groups) capitals and word count must agree too."""
    if not after_interviewer:
        return shape in pattern
    key = (shape[0], shape[1], shape[4])
    return any((p[0], p[1], p[4]) == key for p in pattern)


def _said_once(keys: list[str], shapes: list[tuple[object, ...]], accepted: set[str],
               interviewer: frozenset[str], focus_group: bool) -> set[str]:
    """Labels said once that follow the pattern of the accepted labels (module docstring)."""
    pattern = {shapes[i] for i, k in enumerate(keys) if k in accepted}
    if not pattern:
        return set()
    counts = Counter(keys)
    found: set[str] = set()
    prev: str | None = None
    for k, shape in zip(keys, shapes):
        if k in accepted:
            prev = k
            continue
        if (counts[k] == 1 and k not in _NOT_SPEAKER_KEYS and prev is not None
                and (prev in interviewer or focus_group)
                and _fits(shape, pattern, prev in interviewer)):
            found.add(k)
            prev = k
    return found


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


@dataclass
class TurnParse:
    """Turns of a text, its header attributes, and the label-like lines read as speech."""

    turns: list[Turn]
    header: dict[str, str] = field(default_factory=dict)
    unread: Counter[str] = field(default_factory=Counter)  # label -> lines read as speech


def _header(text: str, lines: list[LabelLine], interviewer: frozenset[str]) -> list[LabelLine]:
    """The label lines that open the file as metadata ("Durée : 45 min"), before any turn.

    Each is one short line whose key is a header word, with no interviewer line before it;
    a value ending like a sentence ("Participant : Bonjour.") is speech, not metadata, and
    so is a key that comes back further down as a speaker label.
    """
    head: list[LabelLine] = []
    pos = 0
    counts = Counter(ln.key for ln in lines)
    for ln in lines:
        if counts[ln.key] > 1:
            break  # "Participant :" said again further down: a speaker, not metadata
        if text[pos:ln.line_start].strip() and head:
            break  # prose between: the header block is over
        eol = text.find("\n", ln.content_start)
        eol = len(text) if eol < 0 else eol
        value = text[ln.content_start:eol].strip()
        if (ln.key not in _HEADER_KEYS or ln.key in interviewer or not value
                or len(value) > _MAX_HEADER_VALUE or value[-1] in ".?!…"):
            break
        head.append(ln)
        pos = eol
    if head and not any(ln.key in interviewer or ln.key not in _HEADER_KEYS
                        for ln in lines[len(head):]):
        return []  # nothing but header-like lines: they are the dialogue
    return head


def analyse_turns(text: str, config: SpeakerConfig | None = None) -> TurnParse:
    """Speaker turns, header attributes and unread label lines of a transcript."""
    config = config or SpeakerConfig()
    interviewer, _ = config.keys()
    found = find_label_lines(text)
    head = _header(text, found, interviewer)
    header = {}
    for ln in head:
        eol = text.find("\n", ln.content_start)
        header[ln.label.strip().lower()] = text[ln.content_start:len(text) if eol < 0 else eol
                                                ].strip()
    lines = found[len(head):]
    keep = (accepted_keys([ln.key for ln in lines], config, [ln.shape for ln in lines])
            if lines else set())
    unread = Counter(ln.label for ln in lines if ln.key not in keep)
    lines = [ln for ln in lines if ln.key in keep]
    if not lines:
        first = head[-1] if head else None
        start = 0 if first is None else text.find("\n", first.content_start) + 1 or len(text)
        return TurnParse(paragraph_turns(text, start), header, unread)
    turns: list[Turn] = []
    for i, ln in enumerate(lines):
        stop = lines[i + 1].line_start if i + 1 < len(lines) else len(text)
        start, end = trim(text, ln.content_start, stop)
        if end <= start:
            continue  # a label with nothing said: no turn
        role: SpeakerRole = INTERVIEWER if ln.key in interviewer else RESPONDENT
        seconds = parse_timestamp(ln.timestamp) if ln.timestamp else None
        turns.append(Turn(len(turns), ln.label, role, start, end, ln.timestamp, seconds))
    return TurnParse(turns, header, unread)


def parse_turns(text: str, config: SpeakerConfig | None = None) -> list[Turn]:
    """Speaker turns of a transcript; paragraphs as respondent turns when there is no label.

    Text before the first label (title, header) belongs to no turn; lines after a label line
    belong to its turn until the next accepted label line.
    """
    return analyse_turns(text, config).turns


def has_speaker_labels(text: str, config: SpeakerConfig | None = None, minimum: int = 2) -> bool:
    """True when ``text`` has at least ``minimum`` accepted label lines (a dialogue)."""
    lines = find_label_lines(text)
    if len(lines) < minimum:
        return False
    keep = accepted_keys([ln.key for ln in lines], config or SpeakerConfig())
    return sum(ln.key in keep for ln in lines) >= minimum
