"""The coded state as typed objects, and the one place that knows the coded frame's columns.

The outputs used to read a wide pandas frame through strings built on the fly
(``frame[f"{c}__reviewed"]``); a typo there was a silent ``KeyError`` at best. Here the latest
state is a :class:`CodedState`: segments with their attributes, and per code the machine's
proposal, each reviewer's decision and the consensus. Pandas stays where it computes: the
wide frame is derived from the state (:meth:`CodedState.frame`) and read through named
helpers (:func:`code_column`, :func:`code_values`), so the column naming lives in this module
alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from ..codebook import Codebook
from ..model import Coding, Segment
from ..store import ADJUDICATOR, REVIEWER, Effective, Store, final_adjudication, settle

UNKNOWN = "(unknown)"
FIXED_COLUMNS = ("segment_id", "source_id", "turn", "speaker", "timestamp", "question", "text", "start", "end")
PER_CODE = ("conf", "reviewed", "evidence", "memo", "disputed")

CodeField = Literal["applied", "conf", "reviewed", "evidence", "memo", "disputed"]
"""What the coded frame holds per code: ``applied`` is the code's own (bool) column."""


@dataclass(frozen=True)
class MachineProposal:
    """The machine's current proposal on one (segment, code), made on the segment's present words."""

    applied: bool
    confidence: float | None
    evidence: tuple[str, ...]
    coder: str


@dataclass(frozen=True)
class HumanDecision:
    """One person's current decision on one (segment, code), as the store re-attaches it."""

    reviewer: str
    applied: bool
    memo: str
    role: str  # ``reviewer`` or ``adjudicator``


@dataclass(frozen=True)
class CodeState:
    """The latest state of one code on one segment: what the outputs show, and why.

    ``applied``, ``reviewed``, ``disputed`` and ``memo`` are the consensus exactly as
    :meth:`qualcode.store.Store.effective` settles it (adjudicator first, then agreeing
    reviewers; a disagreement is disputed and counted by majority, a tie as applied).
    ``decisions`` holds the reviewers' decisions keyed by reviewer; an adjudicator's decision is
    kept apart (``adjudication``), since the same person may also have reviewed the cell.
    """

    applied: bool = False
    machine: MachineProposal | None = None
    decisions: Mapping[str, HumanDecision] = field(default_factory=dict)
    adjudication: HumanDecision | None = None
    reviewed: bool = False
    disputed: bool = False
    memo: str = ""

    @property
    def confidence(self) -> float | None:
        """The machine's confidence (a human decision keeps it: it says what the machine thought)."""
        return self.machine.confidence if self.machine else None

    @property
    def evidence(self) -> tuple[str, ...]:
        """Why the machine proposed the code (empty when it had no proposal)."""
        return self.machine.evidence if self.machine else ()

    @property
    def shown_evidence(self) -> str:
        """The evidence the outputs show: only for an applied code, joined by ``; ``."""
        return "; ".join(self.evidence) if self.applied else ""


NO_CODE = CodeState()


@dataclass(frozen=True)
class CodedSegment:
    """An active segment, who said it and where, and the state of every code of the codebook."""

    id: str
    source_id: str
    turn: int
    speaker: str
    timestamp: str
    question: str
    text: str
    start: int
    end: int
    attributes: Mapping[str, Any]
    codes: Mapping[str, CodeState]

    def code(self, code_id: str) -> CodeState:
        """The state of one code (not applied, nobody decided, when the codebook lacks it)."""
        return self.codes.get(code_id, NO_CODE)

    @property
    def applied(self) -> list[str]:
        """The codes applied to this segment, in codebook order."""
        return [c for c, s in self.codes.items() if s.applied]

    @property
    def reviewed(self) -> bool:
        """A human decided on at least one code of this segment."""
        return any(s.reviewed for s in self.codes.values())

    @property
    def disputed(self) -> bool:
        """Reviewers disagree on at least one code and no adjudicator settled it."""
        return any(s.disputed for s in self.codes.values())

    def attribute(self, key: str) -> str:
        """An attribute as the outputs show it: :data:`UNKNOWN` when missing or empty."""
        v = self.attributes.get(key)
        return UNKNOWN if v is None or v == "" else str(v)


@dataclass
class CodedState:
    """The latest coded state of a project: the active segments in store order, each with the
    state of every code in ``code_ids`` (the codebook's order).

    ``attribute_columns`` maps each attribute name to its column in the derived frame (renamed
    when it would clash with a fixed column or a code, e.g. ``text (participant)``).
    """

    code_ids: list[str]
    segments: list[CodedSegment]
    attribute_columns: dict[str, str]
    _by_id: dict[str, CodedSegment] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.segments)

    def segment(self, segment_id: str) -> CodedSegment | None:
        """The segment with this id, or None when it is not active."""
        if len(self._by_id) != len(self.segments):  # built on first use: most outputs never look up
            self._by_id = {s.id: s for s in self.segments}
        return self._by_id.get(segment_id)

    def frame(self) -> pd.DataFrame:
        """The wide coded frame: one row per segment, its identity, context, attributes
        (shown values) and per code ``C`` its fields (:func:`code_column`). Counts and
        crosstabs are computed on it."""
        cols = [*FIXED_COLUMNS, *self.attribute_columns.values()]
        for c in self.code_ids:
            cols += [code_column(c, f) for f in ("applied", *PER_CODE)]
        rows: list[dict[str, Any]] = []
        for s in self.segments:
            row: dict[str, Any] = {"segment_id": s.id, "source_id": s.source_id, "turn": s.turn,
                                   "speaker": s.speaker, "timestamp": s.timestamp, "question": s.question,
                                   "text": s.text, "start": s.start, "end": s.end}
            for k, name in self.attribute_columns.items():
                row[name] = s.attribute(k)
            for c in self.code_ids:
                e = s.code(c)
                row[c] = e.applied
                row[code_column(c, "conf")] = e.confidence if e.confidence is not None else float("nan")
                row[code_column(c, "reviewed")] = e.reviewed
                row[code_column(c, "evidence")] = e.shown_evidence
                row[code_column(c, "memo")] = e.memo
                row[code_column(c, "disputed")] = e.disputed
            rows.append(row)
        return pd.DataFrame(rows, columns=cols)

    def applied_matrix(self) -> pd.DataFrame:
        """Segments x codes, True where the code is applied (indexed by segment id)."""
        return pd.DataFrame([[s.code(c).applied for c in self.code_ids] for s in self.segments],
                            index=[s.id for s in self.segments], columns=self.code_ids, dtype=bool)

    def confidence(self, code_id: str) -> pd.Series:
        """The machine's confidence in one code per segment (NaN where it had no proposal)."""
        return pd.Series([_nan(s.code(code_id).confidence) for s in self.segments],
                         index=[s.id for s in self.segments], dtype=float)

    def reviewed(self, code_id: str) -> pd.Series:
        """Per segment, whether a human decided on one code."""
        return pd.Series([s.code(code_id).reviewed for s in self.segments],
                         index=[s.id for s in self.segments], dtype=bool)

    def disputed_cells(self) -> list[tuple[CodedSegment, str]]:
        """Every (segment, code) where reviewers disagree and no adjudicator decided."""
        return [(s, c) for s in self.segments for c in self.code_ids if s.code(c).disputed]


def _nan(x: float | None) -> float:
    return float("nan") if x is None else x


def code_column(code_id: str, what: CodeField = "applied") -> str:
    """The coded frame's column holding ``what`` for one code: the one place that names them."""
    return code_id if what == "applied" else f"{code_id}__{what}"


def code_values(frame: pd.DataFrame, code_id: str, what: CodeField = "applied") -> pd.Series:
    """One code's field across the rows of a coded frame (e.g. ``code_values(f, c, "reviewed")``)."""
    return frame[code_column(code_id, what)]


def code_matrix(frame: pd.DataFrame, code_ids: Iterable[str], what: CodeField = "applied") -> pd.DataFrame:
    """Several codes' field across the rows of a coded frame, one column per code (named by code)."""
    ids = list(code_ids)
    return frame[[code_column(c, what) for c in ids]].set_axis(ids, axis=1)


def attribute_keys(attr_dicts: Iterable[Mapping[str, Any]]) -> list[str]:
    """Attribute names across sources, ``role`` first, then in order of first appearance."""
    seen: dict[str, None] = {}
    for d in attr_dicts:
        for k in d:
            seen.setdefault(str(k), None)
    keys = list(seen)
    return (["role"] if "role" in seen else []) + [k for k in keys if k != "role"]


def _attribute_names(keys: list[str], code_ids: list[str]) -> dict[str, str]:
    """Attribute name -> its column in the coded frame, never one of the frame's own columns
    or a code's: a participants column named ``text`` or ``JOBS`` becomes ``text (participant)``."""
    reserved = set(FIXED_COLUMNS) | {code_column(c, f) for c in code_ids for f in ("applied", *PER_CODE)}
    out: dict[str, str] = {}
    for k in keys:
        name = k
        while name in reserved:
            name = f"{name} (participant)"
        reserved.add(name)
        out[k] = name
    return out


def attribute_columns(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The attribute columns of a coded frame: every column that is neither fixed nor a code's."""
    per_code = {code_column(c, f) for c in codebook.ids for f in ("applied", *PER_CODE)}
    return [c for c in frame.columns if c not in FIXED_COLUMNS and c not in per_code]


def coded_state(store: Store, codebook: Codebook, reviewer: str | None = None) -> CodedState:
    """The latest coded state of the store's active segments, for the codebook's codes.

    The consensus is the store's own :func:`~qualcode.store.settle` (as :meth:`Store.effective`;
    with ``reviewer``, only that reviewer's decisions count, as for per-coder outputs) of the
    machine proposals (:meth:`Store.machine_codings`, the pass that coded each segment's present
    words) and the decisions (:meth:`Store.human_codings`), each read once.
    """
    segs = store.segments()
    machine = store.machine_codings()
    humans = store.human_codings(roles=(REVIEWER, ADJUDICATOR))  # re-attaching is a full pass: once
    state = settle(machine, humans, reviewer)
    if reviewer:
        humans = [h for h in humans if h.coder == reviewer and h.role == REVIEWER]
    decided: dict[tuple[str, str], list[Coding]] = {}
    for h in humans:
        decided.setdefault((h.segment_id, h.code_id), []).append(h)
    columns = _attribute_names(attribute_keys(s.attributes for s in segs), list(codebook.ids))
    return CodedState(list(codebook.ids), [_coded(s, codebook.ids, state, machine, decided) for s in segs], columns)


def _coded(s: Segment, code_ids: Iterable[str], state: Mapping[tuple[str, str], Effective],
           machine: Mapping[tuple[str, str], Effective],
           decided: Mapping[tuple[str, str], list[Coding]]) -> CodedSegment:
    codes: dict[str, CodeState] = {}
    for c in code_ids:
        e, m = state.get((s.id, c)), machine.get((s.id, c))
        decs = decided.get((s.id, c), [])
        final = final_adjudication(decs)
        codes[c] = CodeState(
            applied=bool(e and e.applied),
            machine=MachineProposal(m.applied, m.confidence, tuple(m.evidence), m.coder) if m else None,
            decisions={d.coder: _decision(d) for d in decs if d.role == REVIEWER},
            adjudication=_decision(final) if final else None,
            reviewed=bool(e and e.reviewed), disputed=bool(e and e.disputed), memo=e.memo if e else "")
    return CodedSegment(s.id, s.source_id, s.turn_index, s.speaker, s.timestamp or "", s.question, s.text,
                        s.start, s.end, dict(s.attributes), codes)


def _decision(c: Coding) -> HumanDecision:
    return HumanDecision(c.coder, c.applied, c.memo, c.role)
