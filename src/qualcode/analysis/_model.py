"""What a summary holds: plain dataclasses, computed once, rendered many ways.

Rendering (workbook sheets, HTML, Markdown, PNG charts) reads these objects and never
recomputes a count, so that every output shows the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Quote:
    """An exemplar quote: a segment (possibly cut at sentence boundaries) and who said it."""

    segment_id: str
    source_id: str
    text: str  # what is shown: whole segment, or a window of sentences with "…"
    attributes: dict[str, str] = field(default_factory=dict)
    reviewed: bool = False  # a human confirmed the code on this segment
    score: float = 0.0  # representativeness (cosine to the theme's centroid)
    cut: bool = False  # True when ``text`` is an excerpt of the segment
    question: str = ""  # what the interviewer asked just before
    memo: str = ""  # the reviewers' memo on this coding, shown with the quote


@dataclass
class Term:
    """A distinctive word or phrase of a theme (c-TF-IDF), with how many segments use it."""

    term: str
    score: float
    segments: int


@dataclass
class GroupCount:
    """One attribute value (e.g. role = manager) for one theme."""

    attribute: str
    value: str
    segments: int  # coded segments said by people with this value
    interviewees: int  # people with this value who raised the theme
    total: int  # people with this value
    share: float  # interviewees / total


@dataclass
class Association:
    """A theme that comes with another one, at segment level."""

    code_id: str
    label: str
    together: int  # segments carrying both codes
    jaccard: float  # together / segments carrying either


@dataclass
class ThemeSummary:
    """Everything the outputs say about one code."""

    code_id: str
    label: str
    definition: str
    color: str
    segments: int
    segments_pct: float
    interviews: int
    interviews_pct: float  # share of interviewees who raised it
    reviewed: int  # segments where a human decided on this code
    groups: list[GroupCount] = field(default_factory=list)
    associations: list[Association] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    paragraph: str = ""

    def groups_for(self, attribute: str) -> list[GroupCount]:
        return [g for g in self.groups if g.attribute == attribute]


@dataclass
class Summaries:
    """The theme summaries of a project at one point in time."""

    title: str
    lang: str  # the language the texts are written in (the codebook's, unless overridden)
    codebook_name: str
    codebook_version: str
    attribute: str | None  # the main breakdown, e.g. "role"
    attributes: list[str]  # every attribute the sources carry
    n_segments: int
    n_interviews: int
    n_coded: int  # segments carrying at least one code
    n_reviewed: int  # segments with at least one human decision
    group_totals: dict[str, int]  # interviewees per value of ``attribute``
    group_segments: dict[str, int]  # segments per value of ``attribute``
    themes: list[ThemeSummary]
    matrix: pd.DataFrame  # code x attribute value: coded segments
    matrix_row_pct: pd.DataFrame  # share of the code's segments from each value
    matrix_col_pct: pd.DataFrame  # share of the value's segments carrying the code
    share: pd.DataFrame  # code x value: share of interviewees who raised it
    cooc_counts: pd.DataFrame  # code x code: segments carrying both (diagonal: the code's total)
    cooc_jaccard: pd.DataFrame
    generated_at: str = ""
    project_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_uncoded(self) -> int:
        return self.n_segments - self.n_coded

    def theme(self, code_id: str) -> ThemeSummary:
        for t in self.themes:
            if t.code_id == code_id:
                return t
        raise KeyError(code_id)

    def top_pairs(self, n: int = 10, min_together: int = 1) -> list[tuple[str, str, int, float]]:
        """Pairs of themes that come together most (by Jaccard, then count)."""
        ids = list(self.cooc_counts.index)
        pairs = [(a, b, int(self.cooc_counts.loc[a, b]), float(self.cooc_jaccard.loc[a, b]))
                 for i, a in enumerate(ids) for b in ids[i + 1:]]
        pairs = [p for p in pairs if p[2] >= min_together]
        pairs.sort(key=lambda p: (-p[3], -p[2], p[0], p[1]))
        return pairs[:n]
