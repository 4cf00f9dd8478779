"""Reproducible provenance (issue 8, item 9): versions from stable hashes, caches that belong
to a project, and no model picked up from whatever the current folder is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from _coder_fixtures import codebook, seg
from qualcode.coders import embed
from qualcode.coders.ensemble import EnsembleCoder
from qualcode.coders.semantic import SemanticCoder

SRC = str(Path(__file__).resolve().parents[1] / "src")

_VERSION_SCRIPT = """
from qualcode.coders.semantic import SemanticCoder
c = SemanticCoder(model="hashing")
c.calibration = {"JOBS": (0.123, 4.0, -1.0), "DATA": (0.3, 2.0, 0.5)}
print(c.version)
"""


def _version_in_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": SRC}
    out = subprocess.run([sys.executable, "-c", _VERSION_SCRIPT], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_semantic_version_is_the_same_in_every_process():
    # Python's hash() of a str changes with PYTHONHASHSEED; a stored version must not.
    a, b = _version_in_process("1"), _version_in_process("2")
    assert a == b and "/cal=" in a


def test_two_models_in_folders_of_the_same_name_get_different_ids(tmp_path):
    a, b = tmp_path / "site1" / "model", tmp_path / "site2" / "model"
    for d, dim in ((a, 384), (b, 768)):
        d.mkdir(parents=True)
        (d / "config.json").write_text(f'{{"hidden_size": {dim}}}')
    ea, eb = embed.SentenceTransformerEmbedder(str(a)), embed.SentenceTransformerEmbedder(str(b))
    assert ea.id != eb.id
    # and the id does not depend on where the process runs from
    here = os.getcwd()
    try:
        os.chdir(tmp_path / "site1")
        assert embed.SentenceTransformerEmbedder("model").id == ea.id
    finally:
        os.chdir(here)


def test_default_embedding_cache_writes_nothing_in_the_home_folder(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("QUALCODE_CACHE_DIR", raising=False)
    cache = embed.EmbeddingCache()
    v = cache.encode(embed.HashingEmbedder(64), ["some words here", "other words"])
    cache.close()
    assert v.shape == (2, 64)
    assert list(home.rglob("*")) == []


def test_project_cache_lives_beside_the_project_database(tmp_path):
    db = tmp_path / "proj" / "study.db"
    assert embed.project_cache_path(db) == tmp_path / "proj" / "study.embeddings.sqlite"
    coder = SemanticCoder(model="use", cache=str(embed.project_cache_path(db)))
    cache = coder._get_cache(embed.USEEmbedder())
    assert cache is not None and cache.path == tmp_path / "proj" / "study.embeddings.sqlite"


def test_tests_never_use_the_user_cache_folder():
    # conftest points QUALCODE_CACHE_DIR at a temporary folder for the whole run
    assert Path.home() / ".cache" not in embed.cache_dir().parents
    assert embed.cache_dir() != Path.home() / ".cache" / "qualcode"


def test_ensemble_never_loads_a_model_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "qualcode.model.joblib").write_bytes(b"not a model at all")
    coder = EnsembleCoder(semantic_model="hashing")  # must neither load nor choke on it
    assert not coder.learner.trained
    props = coder.code([seg("There were layoffs in my team.")], codebook())[0]
    assert any(p.code_id == "JOBS" and p.applied for p in props)


def test_embedding_cache_is_keyed_by_model_content(tmp_path):
    a, b = tmp_path / "a" / "model", tmp_path / "b" / "model"
    for d, dim in ((a, 384), (b, 768)):
        d.mkdir(parents=True)
        (d / "config.json").write_text(f'{{"hidden_size": {dim}}}')

    class Fake(embed.Embedder):
        def __init__(self, ident: str, value: float):
            self.id, self.value = ident, value

        def encode(self, texts):
            return np.full((len(texts), 4), self.value, np.float32)

    cache = embed.EmbeddingCache(tmp_path / "c.sqlite")
    ida, idb = (embed.SentenceTransformerEmbedder(str(p)).id for p in (a, b))
    va = cache.encode(Fake(ida, 1.0), ["same text"])
    vb = cache.encode(Fake(idb, -1.0), ["same text"])
    assert va[0, 0] > 0 > vb[0, 0]


@pytest.mark.parametrize("name", ["static", "use", "minilm", "hashing"])
def test_builtin_embedder_ids_are_stable_names(name):
    # built-in ids are constants of the package version: no path, no per-process part
    cls = embed.BUILTIN[name]
    ident = cls.id if isinstance(cls.id, str) and name != "hashing" else cls().id
    assert "/" not in ident.replace("/128", "") and str(Path.home()) not in ident
