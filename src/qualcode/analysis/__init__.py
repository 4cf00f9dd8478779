"""What the project commands and the outputs compute from coded segments, in one place.

- the coded state, typed (``coded_state`` -> :class:`CodedState`: segments, per code the
  machine's proposal, each reviewer's decision and the consensus), which the outputs read;
- the coded frame derived from it and its counts (``coded_frame``, ``frequencies``, ``code_by_attribute``...):
  every number the workbook, the summaries and the report show comes from here;
- quote selection (representative, diverse, cut at sentence boundaries), distinctive terms
  (class TF-IDF) and the stop words they share, used by the theme summaries and by the
  emergent topics alike;
- the summary data model (:class:`Summaries`, :class:`ThemeSummary`, :class:`Quote`...),
  plain dataclasses rendered by the outputs.

Nothing here writes a file or knows a label: rendering is the outputs' job.
"""

from .._stopwords import TOKEN_PATTERN, analyze, preprocess, stop_words
from ._matrices import (
    MAX_GROUPS,
    code_by_attribute,
    code_by_attribute_pct,
    code_by_interview,
    coded_frame,
    cooccurrence,
    default_attribute,
    frequencies,
)
from ._model import Association, GroupCount, Quote, Summaries, Term, ThemeSummary
from ._quotes import (
    GOOD_WORDS,
    MIN_WORDS,
    Candidate,
    centroid_scores,
    evidence_phrases,
    excerpt,
    select_diverse,
    tfidf_vectors,
)
from ._state import (
    FIXED_COLUMNS,
    PER_CODE,
    UNKNOWN,
    CodedSegment,
    CodedState,
    CodeField,
    CodeState,
    HumanDecision,
    MachineProposal,
    attribute_columns,
    attribute_keys,
    code_column,
    code_matrix,
    code_values,
    coded_state,
)
from ._terms import class_tfidf, distinctive_terms

__all__ = ["coded_state", "CodedState", "CodedSegment", "CodeState", "MachineProposal", "HumanDecision",
           "CodeField", "code_column", "code_values", "code_matrix", "coded_frame", "attribute_columns", "attribute_keys", "code_by_interview", "code_by_attribute",
           "code_by_attribute_pct", "frequencies", "cooccurrence", "default_attribute", "MAX_GROUPS",
           "UNKNOWN", "FIXED_COLUMNS", "PER_CODE",
           "Summaries", "ThemeSummary", "Quote", "Term", "GroupCount", "Association",
           "Candidate", "MIN_WORDS", "GOOD_WORDS", "excerpt", "select_diverse", "centroid_scores",
           "evidence_phrases", "tfidf_vectors", "distinctive_terms", "class_tfidf",
           "TOKEN_PATTERN", "analyze", "preprocess", "stop_words"]
