"""WebVTT and SubRip subtitles: cues become timestamped speaker turns.

Speakers come from voice tags (``<v Sophie>``) or from a "Name:" label at the start of a cue
line (accepted with the same rule as in text transcripts). A cue without a speaker continues
the current one, and consecutive cues of one speaker merge into a single turn. The readable
text is ``[HH:MM:SS] Speaker: speech`` paragraphs; turn offsets point at the speech.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qualcode._i18n import Message
from qualcode.errors import IngestError
from qualcode.model import INTERVIEWER, RESPONDENT, Turn

from ._common import TurnText, format_hms, norm_label, parse_timestamp
from ._speakers import LABEL_LINE, SpeakerConfig, accepted_keys

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)"
)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>|\{\\[^}]*\}")  # <i>, </v>, <00:00:01.000>, {\an8}
_LEAD = re.compile(r"^(?:>>|-)\s*")  # caption dialogue dashes and ">>" speaker-change marks
_NEW_TURN_GAP = 2.0  # seconds of silence that split a file without any speaker


@dataclass(slots=True)
class _Line:
    start: float
    end: float
    speaker: str | None  # None: continues whoever spoke last
    key: str | None  # normalised label when it came from "Name:" (needs acceptance)
    text: str
    label_text: str  # the text when the "Name:" label is rejected


def _cue_lines(text: str, where: str) -> list[_Line]:
    lines: list[_Line] = []
    for block in _BLOCK_SPLIT.split(text.strip()):
        rows = block.split("\n")
        head = rows[0].strip()
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) and "-->" not in block:
            continue
        timing_at = next((i for i, r in enumerate(rows) if "-->" in r), None)
        if timing_at is None:
            continue
        m = _TIMING.match(rows[timing_at])
        if not m:
            raise IngestError(Message("msg.ingest.bad_cue_timing", where=where, line=rows[timing_at].strip()))
        start = parse_timestamp(m.group("start")) or 0.0
        end = parse_timestamp(m.group("end")) or start
        for raw in rows[timing_at + 1 :]:
            voice = _VOICE.search(raw)
            speaker = html.unescape(voice.group(1)).strip() if voice else None
            clean = html.unescape(_TAG.sub("", raw)).replace("\u200e", "").strip()
            clean = _LEAD.sub("", clean)
            key = None
            label_text = clean
            if speaker is None:
                lm = LABEL_LINE.match(clean)
                if lm:
                    label = lm.group("label").strip("_*")
                    speaker, key, clean = label, norm_label(label), clean[lm.end() :].strip()
            if clean or speaker:
                lines.append(_Line(start, end, speaker, key, clean, label_text))
    return lines


def subtitle_document(text: str, where: str, config: SpeakerConfig) -> tuple[str, list[Turn]]:
    """(readable text, turns) for the decoded content of a .vtt or .srt file."""
    lines = _cue_lines(text, where)
    if not lines:
        raise IngestError(Message("msg.ingest.no_cues", where=where))
    # Voice-tag names are certain; a "Name:" label is accepted when it is one of them, a known
    # label, or recurs.
    voices = {norm_label(ln.speaker) for ln in lines if ln.speaker and ln.key is None}
    keep = voices | accepted_keys([ln.key for ln in lines if ln.key], config)
    for ln in lines:
        if ln.key is not None and ln.key not in keep:  # "Note: ..." in a caption is speech
            ln.speaker, ln.key, ln.text = None, None, ln.label_text
    any_speaker = any(ln.speaker for ln in lines)

    # Group lines into turns: (start seconds, speaker, [texts]).
    groups: list[tuple[float, str, list[str]]] = []
    last_end = 0.0
    for ln in lines:
        if groups:
            same = ln.speaker is None or norm_label(ln.speaker) == norm_label(groups[-1][1])
            if not any_speaker:
                same = ln.start - last_end < _NEW_TURN_GAP
        else:
            same = False
        if same:
            if ln.text and (not groups[-1][2] or groups[-1][2][-1] != ln.text):  # roll-up captions
                groups[-1][2].append(ln.text)
        else:
            groups.append((ln.start, ln.speaker or "", [ln.text] if ln.text else []))
        last_end = ln.end

    interviewer, _ = config.keys()
    out = TurnText()
    for start, speaker, texts in groups:
        speech = " ".join(texts)
        if not speech:
            continue
        stamp = format_hms(start)
        header = f"[{stamp}] {speaker}: " if speaker else f"[{stamp}] "
        role = INTERVIEWER if norm_label(speaker) in interviewer else RESPONDENT
        out.add(header, speech, speaker, role, stamp, start)
    return out.text(), out.turns
