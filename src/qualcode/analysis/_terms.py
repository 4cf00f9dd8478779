"""Distinctive terms of each theme: class-based TF-IDF (c-TF-IDF), as BERTopic does.

Each code is a class (all its segments pooled), and so are the segments no code caught, so
that words common everywhere in the corpus ("AI", "work") score low. A term must be used in
at least two segments by at least two interviewees of the theme: one talkative person's pet
phrase is not a theme's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .._stopwords import TOKEN_PATTERN, analyze
from ._model import Term


def class_tfidf(counts, class_rows: Sequence[np.ndarray]) -> np.ndarray:
    """c-TF-IDF weights (classes x terms) from a documents x terms count matrix.

    ``W[t, c] = tf(t, c) / |c| * log(1 + A / f(t))``, with ``A`` the average number of words
    per class and ``f(t)`` the frequency of ``t`` over all classes.
    """
    import scipy.sparse as sp

    counts = sp.csr_matrix(counts)
    tf = np.vstack([np.asarray(counts[rows].sum(axis=0)).ravel() if len(rows) else
                    np.zeros(counts.shape[1]) for rows in class_rows])
    sizes = tf.sum(axis=1, keepdims=True)
    avg = float(sizes.mean()) if len(sizes) else 0.0
    freq = tf.sum(axis=0)
    idf = np.log1p(avg / np.maximum(freq, 1))
    return tf / np.maximum(sizes, 1) * idf


def distinctive_terms(texts: Sequence[str], sources: Sequence[str], classes: dict[str, np.ndarray],
                      background: np.ndarray | None = None, n: int = 10) -> dict[str, list[Term]]:
    """The ``n`` most distinctive terms of each class.

    ``classes`` maps a class name (a code id) to the row numbers of its segments in ``texts``;
    ``background`` (e.g. the uncoded segments) is one more class that only lowers scores.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    out: dict[str, list[Term]] = {k: [] for k in classes}
    if not len(texts) or not any(len(r) for r in classes.values()):
        return out
    vec = CountVectorizer(analyzer=analyze, min_df=2 if len(texts) >= 20 else 1)
    try:
        counts = vec.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return out
    vocab = vec.get_feature_names_out()
    names = list(classes)
    rows = [np.asarray(classes[k], dtype=int) for k in names]
    if background is not None and len(background):
        rows.append(np.asarray(background, dtype=int))
    weights = class_tfidf(counts, rows)
    present = counts.copy()
    present.data[:] = 1
    src = np.asarray(sources)
    ranked = {name: _eligible(i, rows[i], weights, present, src) for i, name in enumerate(names)}
    common = _corpus_wide(ranked, present, n)
    surface = _surface_forms(texts)
    for name, cands in ranked.items():
        chosen: list[Term] = []
        for j, n_seg in cands:
            if len(chosen) >= n:
                break
            if j in common:
                continue
            term = " ".join(surface.get(w, w) for w in str(vocab[j]).split())
            _add_term(chosen, Term(term, float(weights[names.index(name), j]), n_seg))
        out[name] = chosen
    return out


def _eligible(i: int, r: np.ndarray, weights: np.ndarray, present, src: np.ndarray) -> list[tuple[int, int]]:
    """A class's terms by decreasing weight, as (term column, segments), kept only when said in
    at least two segments by at least two interviewees (for classes big enough to ask it)."""
    if not len(r):
        return []
    sub = present[r].tocsc()  # this class's segments, by term
    seg_counts = np.diff(sub.indptr)
    class_src = src[r]
    n_people = len(set(class_src))
    min_seg = 2 if len(r) >= 4 else 1
    out = []
    for j in np.argsort(-weights[i], kind="stable"):
        if weights[i, j] <= 0:
            break
        if seg_counts[j] < min_seg:
            continue
        if n_people >= 2 and min_seg > 1 and len(set(class_src[sub.indices[sub.indptr[j]:sub.indptr[j + 1]]])) < 2:
            continue
        out.append((int(j), int(seg_counts[j])))
    return out


def _corpus_wide(ranked: dict[str, list[tuple[int, int]]], present, n: int) -> set[int]:
    """Terms that are not distinctive of anything: near the top of most themes (a word that
    characterises every theme characterises none), or said in a quarter of all segments."""
    lists = [[j for j, _ in c[: 2 * n]] for c in ranked.values() if c]
    seen: dict[int, int] = {}
    for top in lists:
        for j in top:
            seen[j] = seen.get(j, 0) + 1
    needed = max(3, -(-len(lists) // 2))
    out = {j for j, k in seen.items() if k >= needed}
    if present.shape[0] >= 40:
        df = np.asarray(present.sum(axis=0)).ravel() / present.shape[0]
        out |= {int(j) for j in np.flatnonzero(df > 0.25)}
    return out


_WORD_RE = re.compile(TOKEN_PATTERN)


def _surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """Words that speakers write in capitals (acronyms: IA, RGPD, CV) mapped to that form,
    so that terms read "IA" and not "ia"."""
    upper: dict[str, int] = {}
    total: dict[str, int] = {}
    for text in texts:
        for w in _WORD_RE.findall(text.replace("\u2019", "'")):
            lw = w.lower()
            total[lw] = total.get(lw, 0) + 1
            if w.isupper() and len(w) <= 6:
                upper[lw] = upper.get(lw, 0) + 1
    return {w: w.upper() for w, k in upper.items() if k * 2 > total[w]}


def _singular(term: str) -> str:
    """A crude French/English singular, enough to spot "image"/"images", "travail"/"travaux"."""
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in term.split())


def _add_term(chosen: list[Term], term: Term) -> None:
    """Add ``term`` without repeating words: a phrase replaces the single words it contains
    when it is nearly as frequent ("données clients" rather than "données" and "clients"),
    and is skipped when it only repeats words already there."""
    words = term.term.split()
    if _singular(term.term) in {_singular(t.term) for t in chosen}:
        return  # "images" after "image" says nothing new
    parts = [t for t in chosen if len(t.term.split()) == 1 and t.term in words]
    if len(words) > 1 and parts and term.segments >= 0.7 * max(t.segments for t in parts):
        at = min(chosen.index(t) for t in parts)
        for t in parts:
            chosen.remove(t)
        chosen.insert(at, term)
        return
    covered = {w for t in chosen for w in t.term.split()}
    if not set(words) <= covered:
        chosen.append(term)

