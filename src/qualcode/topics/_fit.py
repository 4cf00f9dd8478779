"""Clustering segments into topics: BERTopic on real corpora, k-means on small ones.

- ``bertopic``: UMAP (5 dimensions, cosine, fixed ``random_state``) then HDBSCAN (deterministic)
  inside BERTopic, with French + English stop words in its c-TF-IDF; ``min_topic_size`` grows
  with the corpus so that a few hundred segments and tens of thousands both give a readable
  number of topics, and BERTopic merges similar topics down to ``max_topics`` at most.
  HDBSCAN selects *leaf* clusters: on interviews that all talk about one subject (AI at work),
  the default "excess of mass" selection returns one cluster holding nearly everything, while
  leaves are the recognisable sub-topics (teaching, spreadsheets, patients...). The price is
  that many segments stay in no topic; they are counted and reported as such.
- ``kmeans``: below ``SMALL`` segments density clustering finds little; k-means on the
  embeddings with k chosen by silhouette (fixed seed) still shows what the text is about.
- below ``TOO_LITTLE`` segments nothing is clustered, and the result says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._i18n import Message
from ..model import Progress

TOO_LITTLE = 20
SMALL = 300
MAX_TOPICS = 30



@dataclass
class Clustering:
    labels: np.ndarray  # one topic number per document, -1 = outlier; 0 is the largest topic
    method: str
    min_topic_size: int
    message: str = ""


def default_min_topic_size(n: int) -> int:
    """Grows with the corpus: 10 for a few hundred segments, ~n/120 for tens of thousands."""
    return int(min(150, max(10, round(n / 120))))


def cluster(texts: Sequence[str], embeddings: np.ndarray, *, seed: int = 42,
            min_topic_size: int | None = None, max_topics: int = MAX_TOPICS, method: str = "auto",
            progress: Progress | None = None) -> Clustering:
    """Topic numbers for ``texts`` (whose rows of ``embeddings`` are L2-normalised)."""
    n = len(texts)
    if n < TOO_LITTLE:
        return Clustering(np.full(n, -1), "none", 0,
                          f"too little text: {n} segment(s) to cluster, at least {TOO_LITTLE} are needed")
    if method == "auto":
        method = "kmeans" if n < SMALL else "bertopic"
    if method == "kmeans":
        return _kmeans(embeddings, seed, max_topics, min_topic_size)
    mts = min_topic_size or default_min_topic_size(n)
    return _bertopic(texts, embeddings, seed, mts, max_topics, progress)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Topic numbers by decreasing size (ties: first appearance), outliers stay -1."""
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    first = {t: int(np.argmax(labels == t)) for t in ids}
    order = sorted(ids, key=lambda t: (-counts[list(ids).index(t)], first[t]))
    mapping = {t: k for k, t in enumerate(order)}
    return np.array([mapping.get(x, -1) for x in labels])


def _kmeans(X: np.ndarray, seed: int, max_topics: int, min_size: int | None) -> Clustering:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(X)
    k_max = max(2, min(max_topics, 12, n // 10))
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, k_max + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(X)
        score = silhouette_score(X, labels, metric="cosine")
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    assert best is not None
    labels = best[1].copy()
    floor = min_size or 3
    for t in np.unique(labels):  # clusters of one or two segments are not topics
        if (labels == t).sum() < floor:
            labels[labels == t] = -1
    return Clustering(_relabel(labels), "kmeans", floor)


def _bertopic(texts: Sequence[str], X: np.ndarray, seed: int, mts: int, max_topics: int,
              progress: Progress | None) -> Clustering:
    import random

    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    from ..analysis import analyze

    random.seed(seed)
    np.random.seed(seed)
    n = len(texts)
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed,
                low_memory=True)
    hdb = HDBSCAN(min_cluster_size=mts, min_samples=max(5, mts // 10), metric="euclidean",
                  cluster_selection_method="leaf", prediction_data=False)
    vec = CountVectorizer(analyzer=analyze, min_df=2)
    model = BERTopic(umap_model=umap, hdbscan_model=hdb, vectorizer_model=vec,
                     ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                     min_topic_size=mts, calculate_probabilities=False, verbose=False)
    if progress:
        progress(1, 3, "topics")
    topics, _ = model.fit_transform(list(texts), X)
    if progress:
        progress(2, 3, "topics")
    found = len(set(topics) - {-1})
    if found > max_topics:
        model.reduce_topics(list(texts), nr_topics=max_topics + 1)  # +1: the outlier "topic"
        topics = model.topics_
    labels = np.asarray(topics)
    message = ""
    if (labels >= 0).sum() == 0:
        message = Message("msg.topics.no_topic", mts=mts, n=n)
    if progress:
        progress(3, 3, "topics")
    return Clustering(_relabel(labels), "bertopic", mts, message)
