"""The data model shared by every stage.

Plain dataclasses, so that each stage (ingest -> segment -> code -> store -> review ->
export -> summaries) can be tested on its own with hand-made objects. Offsets are always
character offsets into ``Source.text``: ``source.text[seg.start:seg.end] == seg.text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

# progress(done, total, stage): how long work reports itself; the CLI draws bars from it
Progress = Callable[[int, int, str], None]

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"
SpeakerRole = Literal["interviewer", "respondent"]


#: Source attribute holding per-speaker attributes (focus groups: one participants row per
#: speaker): {speaker label as in the turns: {column: value}}. Segments see them merged.
BY_SPEAKER = "_by_speaker"


def segment_attributes(source_attributes: dict[str, Any], speaker: str) -> dict[str, Any]:
    """A segment's attributes: its source's, overlaid with its speaker's own (see BY_SPEAKER)."""
    attrs = dict(source_attributes)
    per = attrs.pop(BY_SPEAKER, None)
    if isinstance(per, dict) and isinstance(per.get(speaker), dict):
        attrs.update(per[speaker])
    return attrs


@dataclass
class Turn:
    """One speaker turn: ``source.text[start:end]`` is what the speaker said (label excluded)."""

    index: int
    speaker: str
    role: SpeakerRole
    start: int
    end: int
    timestamp: str | None = None  # as written in the transcript, e.g. "00:12:34"
    seconds: float | None = None  # the timestamp in seconds, when it parses


@dataclass
class Source:
    """One interview (or one document) as ingested.

    ``id`` is what people read (the file's stem, or the id column of a table). The project
    identifies a source by ``key`` (its path relative to the project folder, plus the row id
    for tables), so two files with the same name in two folders stay two interviews, and an
    id, once given, never changes.
    """

    id: str
    path: str
    text: str
    format: str
    sha256: str
    encoding: str = "utf-8"
    language: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    key: str = ""  # the project's identity for it: path relative to the project folder
    locator: str = ""  # inside a file holding several sources (a table), the row's own id


@dataclass
class Segment:
    """A unit of respondent speech, the unit that gets coded."""

    id: str
    source_id: str
    turn_index: int
    start: int
    end: int
    text: str
    speaker: str = ""
    question: str = ""  # the interviewer's turn just before, context only
    timestamp: str | None = None
    language: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Proposal:
    """One coder's verdict on one code for one segment.

    ``applied`` is the coder's decision at its own threshold; ``confidence`` is in [0, 1];
    ``evidence`` says why (matched words, closest example, rationale...).
    """

    code_id: str
    applied: bool
    confidence: float
    evidence: list[str] = field(default_factory=list)
    votes: dict[str, float] = field(default_factory=dict)  # for ensembles: coder -> score


@dataclass
class Coding:
    """A stored coding: who (coder), with which codebook version, when, and what."""

    segment_id: str
    code_id: str
    applied: bool
    confidence: float | None
    evidence: list[str]
    coder: str
    coder_kind: Literal["machine", "human"]
    codebook_version: str
    created_at: str
    pass_id: int | None = None
    memo: str = ""
    segment_sha: str = ""  # hash of the words decided on (humans): the decision is bound to them
    role: str = "reviewer"  # or "adjudicator", whose decision settles a disagreement
    withdrawn: bool = False  # a human withdrew their earlier decision (kept as history)
    id: int | None = None  # row id in the store
    replaces: tuple[int, ...] = ()  # earlier decisions this one settles (e.g. a stale one confirmed)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it neither starts nor ends with whitespace: the one rule
    every stage uses to cut exact spans (turns in ingest, units in segmentation)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
