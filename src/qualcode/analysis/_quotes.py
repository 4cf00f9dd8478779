"""Exemplar quotes: representative, diverse, reviewed first, short enough to paste.

Representativeness is the cosine between a segment and the theme's centroid in TF-IDF space
(cheap, and it rewards segments that use the theme's common vocabulary). Diversity: at most
one quote per interviewee, picked round-robin across the values of the main attribute (role),
skipping near-duplicates. Long segments are cut to the sentences that carry the evidence and
the theme's terms, with an ellipsis; the segment id stays with the quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._stopwords import TOKEN_PATTERN, preprocess, stop_words
from ..nlp import sentence_spans

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORDS = 6  # shorter segments ("Yes, definitely.") are quoted only when nothing else exists
GOOD_WORDS = 20  # from this length on, a segment is not penalised for brevity


@dataclass
class Candidate:
    """A segment that may be quoted: ``row`` indexes the caller's arrays."""

    row: int
    source: str
    group: str
    score: float
    reviewed: bool = False


def tfidf_vectors(texts: Sequence[str]):
    """L2-normalised TF-IDF rows (sparse) over FR/EN words without stop words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(preprocessor=preprocess, token_pattern=TOKEN_PATTERN,
                          stop_words=sorted(stop_words()), sublinear_tf=True,
                          min_df=2 if len(texts) >= 50 else 1)
    try:
        return vec.fit_transform(texts)
    except ValueError:  # only stop words: every segment is equally (un)representative
        import scipy.sparse as sp

        return sp.csr_matrix((len(texts), 1))


def centroid_scores(X, rows: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """Cosine of each row to the mean of ``rows``, damped for very short segments."""
    if not len(rows):
        return np.zeros(0)
    sub = X[rows]
    centroid = np.asarray(sub.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    sims = sub @ (centroid / norm) if norm > 0 else np.zeros(len(rows))
    sims = np.asarray(sims).ravel()
    words = np.array([len(_WORD.findall(texts[r])) for r in rows])
    return sims * np.minimum(1.0, words / GOOD_WORDS)


def select_diverse(cands: Sequence[Candidate], k: int,
                   too_similar: Callable[[int, int], bool] | None = None) -> list[Candidate]:
    """Up to ``k`` candidates: one per interviewee, round-robin across groups, best first.

    Within each group candidates go reviewed first, then by score; groups take turns in the
    order of their best candidate. Near-duplicates of a chosen quote (``too_similar``) are
    skipped. The result lists reviewed quotes first.
    """
    queues: dict[str, list[Candidate]] = {}
    for c in sorted(cands, key=lambda c: (not c.reviewed, -c.score, c.row)):
        queues.setdefault(c.group, []).append(c)
    order = list(queues)  # insertion order = order of each group's best candidate
    chosen: list[Candidate] = []
    used: set[str] = set()
    while len(chosen) < k and any(queues.values()):
        progressed = False
        for g in order:
            q = queues[g]
            while q:
                c = q.pop(0)
                if c.source in used:
                    continue
                if too_similar and any(too_similar(c.row, o.row) for o in chosen):
                    continue
                chosen.append(c)
                used.add(c.source)
                progressed = True
                break
            if len(chosen) >= k:
                break
        if not progressed:
            break
    return sorted(chosen, key=lambda c: not c.reviewed)  # stable: keeps the round-robin order


def excerpt(text: str, max_chars: int = 400, focus: Sequence[str] = ()) -> tuple[str, bool]:
    """``text`` if short enough, else the window of whole sentences (at most ``max_chars``)
    that contains the most of ``focus`` (evidence first, then terms), with "…" where cut."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text, False
    spans = sentence_spans(text)
    low = preprocess(text)
    weights = np.zeros(len(spans))
    for rank, f in enumerate(focus):
        f = preprocess(f).strip()
        if not f:
            continue
        w = 3.0 if rank == 0 else 1.0
        for m in re.finditer(re.escape(f), low):
            for i, (a, b) in enumerate(spans):
                if a <= m.start() < b:
                    weights[i] += w
    best: tuple[float, int, int] | None = None
    for i in range(len(spans)):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= max_chars:
            j += 1
        if spans[j][1] - spans[i][0] > max_chars:
            continue  # a single sentence longer than the limit
        score = float(weights[i:j + 1].sum())
        if best is None or score > best[0]:
            best = (score, i, j)
    if best is None:  # every sentence is too long: cut the best one at a word boundary
        i = int(np.argmax(weights)) if weights.any() else 0
        a, b = spans[i]
        piece = text[a:b][:max_chars].rsplit(" ", 1)[0].rstrip(",;:")
        return ("… " if a > 0 else "") + piece + " …", True
    _, i, j = best
    a, b = spans[i][0], spans[j][1]
    return ("… " if a > 0 else "") + text[a:b] + (" …" if b < len(text) else ""), True


def evidence_phrases(evidence: str) -> list[str]:
    """The matched words of a coder's evidence ("replace many analysts (replace + analyst*)")."""
    out = []
    for part in evidence.split(";"):
        part = part.strip()
        if not part:
            continue
        cut = part.find(" (")
        out.append(part[:cut] if cut > 0 else part)
    return out


