"""Cues a code borrows from its own texts when the codebook gives it a thin lexicon in a language.

A codebook written for another field often has definitions, include rules and examples but
few or no lexicon entries, and the semantic coder alone ranks passages too loosely to carry
such a code (its vote is damped in the ensemble). The words of the code's own texts are
explicit evidence, though: "anonymise", "leak" and "privacy" in a data-security definition.
So, for a code with fewer than :data:`THIN_LEXICON` lexicon entries in a language (:func:`thin`),
each content word (lemma) or pair of adjacent content words of its definition, include rules
and examples becomes a weak entry, beside the written ones:

- a single word must occur in at least two of the code's texts, a pair in one; the definition,
  the contract with a coder, counts as two texts (:data:`DEFINITION_TEXTS`);
- a term found in the texts of more than :data:`MAX_CODES` codes is nobody's cue;
- its weight grows with the number of the code's texts that use it and shrinks with its
  share in other codes' texts (``WEIGHT`` per text, at most :data:`MAX_WEIGHT`, so one
  term alone never clears a threshold of 0.5 while two independent ones do);
- a term that the code's counter-examples and exclude rules use as often is dropped.

Everything comes from the codebook (no corpus, no reference codes), so it holds for a
codebook nobody tuned; the numbers were set once for all codes, on a copy of the default
codebook stripped of its lexicon (``benchmarks/no_lexicon.py``).

Why a few written entries do not switch borrowing off: a handful of cues finds few answers,
and they used to replace the borrowed ones. Measured on 240 answers of new interviews coded
blind (``benchmarks/unseen_agreement.py --keep N``), the default codebook cut to its first 3,
10, 20 or 30 entries per code scored macro kappa 0.18, 0.27, 0.29, 0.33 in English, and 0.02,
0.14, 0.27, 0.27 in French: with 3 entries, lower than with none (0.24 and 0.25). Borrowing
beside the written entries gives 0.30, 0.34, 0.35, 0.34 and 0.26, 0.30, 0.33, 0.35 (English
codes with no lexicon at all are also read by a transformer: ``SemanticCoder.embedder_name``).
From 40 entries borrowing no longer helps (0.34 against 0.39 in English), and with the full
lexicon (60 to 150 entries a code) the borrowed words only add false positives: a lexicon
that long is the contract, written by someone who read the material.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .._stopwords import stop_words
from ..codebook import Code, Codebook, LexiconEntry
from ..nlp import Analysis, Analyzer

WEIGHT = 0.2  # per text of the code that uses the term, times its share among all codes' texts
MAX_WEIGHT = 0.45
MAX_CODES = 2  # a term in more codes' texts than this is generic
DEFINITION_TEXTS = 2
THIN_LEXICON = 35  # a code with fewer written entries than this in a language also borrows (see above)


def thin(code: Code, lang: str) -> bool:
    """Whether ``code``'s written lexicon in ``lang`` is too short to carry it (see module doc):
    it then borrows cues from its own texts, beside the written ones."""
    return len(code.lexicon.get(lang) or []) < THIN_LEXICON


def derived_entries(codebook: Codebook, lang: str, analyzer: Analyzer) -> dict[str, list[LexiconEntry]]:
    """code id -> derived entries, for the codes of ``codebook`` with a thin lexicon in ``lang``."""
    bare = [c for c in codebook.codes if thin(c, lang)]
    if not bare:
        return {}
    texts: list[tuple[str, bool, str]] = []  # (code id, positive, text)
    for code in codebook.codes:
        texts += [(code.id, pos, text) for pos, text in _own_texts(code, lang)]
    found: dict[str, Counter[str]] = defaultdict(Counter)  # term -> code -> positive texts using it
    against: dict[str, Counter[str]] = defaultdict(Counter)  # term -> code -> negative texts using it
    surface: dict[str, str] = {}
    for (cid, pos, _), an in zip(texts, analyzer.analyze([t for *_, t in texts]), strict=True):
        for term, words in _terms(an).items():
            (found if pos else against)[term][cid] += 1
            surface.setdefault(term, words)
    out: dict[str, list[LexiconEntry]] = {}
    for code in bare:
        entries = []
        for term, by_code in found.items():
            n = by_code.get(code.id, 0)
            if not n or len(by_code) > MAX_CODES or (" " not in term and n < 2):
                continue
            if against[term].get(code.id, 0) >= n:
                continue
            weight = min(MAX_WEIGHT, WEIGHT * n * n / sum(by_code.values()))
            entries.append(LexiconEntry(all=((surface[term],),), weight=round(weight, 4), window=0,
                                        source=surface[term], derived=True))
        out[code.id] = sorted(entries, key=lambda e: (-e.weight, e.source))
    return out


def _own_texts(code: Code, lang: str) -> list[tuple[bool, str]]:
    """(positive, text) of a code written in ``lang`` itself: no fallback to another language,
    whose words would never occur in this language's answers."""
    # the definition is the contract with the coder: its words count as two texts
    out = [(True, code.definition.get(lang, ""))] * DEFINITION_TEXTS
    for attr, pos in (("include", True), ("examples", True), ("exclude", False), ("counter_examples", False)):
        out += [(pos, t) for t in getattr(code, attr).get(lang, [])]
    return [(pos, t) for pos, t in out if t and t.strip()]


def _terms(an: Analysis) -> dict[str, str]:
    """Content lemmas and pairs of adjacent content lemmas -> the words as written."""
    stop = stop_words()
    lem = [x.lower() for x in an.lemma]
    ok = [len(a) > 2 and a.isalpha() and a not in stop and b not in stop for a, b in zip(lem, an.lower)]
    out: dict[str, str] = {}
    for i, a in enumerate(lem):
        if ok[i]:
            out.setdefault(a, an.lower[i])
            if i + 1 < len(lem) and ok[i + 1]:
                out.setdefault(f"{a} {lem[i + 1]}", f"{an.lower[i]} {an.lower[i + 1]}")
    return out
