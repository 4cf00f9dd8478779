"""Word analyses kept in the user cache are the pipeline's own, and spare loading it."""

from __future__ import annotations

from pathlib import Path

from qualcode import nlp


def test_cached_analyses_equal_fresh_ones_and_skip_the_pipeline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path))
    texts = ["Les managers craignent pour leurs emplois.", "L’IA décide à notre place ?",
             "Les managers craignent pour leurs emplois."]
    first = nlp.Analyzer("fr")
    fresh = list(first._analyze(texts))  # straight from spaCy, no cache involved
    assert list(first.analyze(texts)) == fresh  # computed, then stored
    assert (tmp_path / "analyses.sqlite").exists()
    second = nlp.Analyzer("fr")
    assert list(second.analyze(texts)) == fresh  # read back
    assert second._nlp is None  # ... without loading the pipeline
    assert nlp.Analyzer("fr", "fast").cache_key() is None  # lookups: faster than a cache read
