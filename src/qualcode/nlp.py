"""Language pipelines: tokens, lowercase forms and lemmas, with exact character offsets.

Two modes, because corpora differ in size by three orders of magnitude:
- ``accurate``: a trained spaCy pipeline (``fr_core_news_sm`` for French) whose lemmatizer uses
  part-of-speech tags; about 5k words/s on this class of machine.
- ``fast``: spaCy's tokenizer plus the lookup lemma tables of ``spacy-lookups-data``; above
  100k words/s, which is what lets 1,200 interviews be coded in a minute.
Defaults: French ``accurate``, English ``fast`` (English has no packaged trained pipeline here).
A user can name any installed spaCy pipeline by name or path instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import sys
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._fastre import patched_compile
from .errors import ConfigError

DEFAULT_MODELS = {"fr": "fr_core_news_sm"}


def import_spacy() -> Any:
    """Import spaCy without letting thinc import torch (seconds the coding pass never needs).

    thinc probes for torch at import time; hiding torch during that import keeps the lexicon
    pass light. torch stays importable afterwards for the stages that need it.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
    try:
        import spacy
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@dataclass
class Analysis:
    """Parallel token arrays for one text; offsets are relative to that text."""

    lower: list[str]
    lemma: list[str]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.lower)


def _keep_acronyms(doc: Any, lower: list[str], lemma: list[str]) -> list[str]:
    """Lemmas, except that a word written in capitals ("AI", "HR", "IT", "RGPD") is its own
    lemma: it is an acronym, not an inflected word. The English lookup table maps "ai" to
    "have" (from "ai n't"), so "AI to learn" matched a cue "have to learn"."""
    for k, w in enumerate(lower):
        if lemma[k] != w:
            t = doc[k].text
            if 2 <= len(t) <= 5 and t.isupper():
                lemma[k] = w
    return lemma


def fold(s: str) -> str:
    """Lowercase and normalise typographic apostrophes, so that l’IA and l'IA match."""
    return s.lower().replace("\u2019", "'").replace("\u02bc", "'")


def strip_accents(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")


class Analyzer:
    """Tokenises and lemmatises texts of one language. Build with :func:`get_analyzer`."""

    def __init__(self, lang: str, mode: str = "auto", model: str | None = None):
        self.lang = lang
        self.model = model
        if mode == "auto":
            mode = "accurate" if (model or lang in DEFAULT_MODELS) else "fast"
        if mode not in ("fast", "accurate"):
            raise ConfigError(f"nlp mode {mode!r} is not known; use 'fast', 'accurate' or 'auto'")
        self.mode = mode
        self._nlp: Any = None
        self._table: Any = None  # spaCy lookup Table (keys are hashes of the word forms)
        self._memo: dict[str, str] = {}

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = self._load()
        return self._nlp

    def _load(self) -> Any:
        spacy = import_spacy()

        if self.mode == "accurate":
            name = self.model or DEFAULT_MODELS.get(self.lang)
            if not name:
                raise ConfigError(f"no trained spaCy pipeline is known for language {self.lang!r}; "
                                  "use the fast lemmatiser (nlp_mode 'fast') or name a pipeline (spacy_model)")
            try:
                with patched_compile(), _fast_lookups():
                    nlp = spacy.load(name, exclude=["ner", "parser"])
            except OSError:
                raise ConfigError(f"spaCy pipeline {name!r} is not installed; install it with "
                                  f"`pip install {name.replace('_', '-')}` or use the fast lemmatiser (nlp_mode 'fast')") from None
            _index_as_sets(nlp)
            return nlp
        with patched_compile():
            nlp = spacy.blank(self.lang)
        try:
            from spacy.lookups import load_lookups

            self._table = load_lookups(self.lang, ["lemma_lookup"]).get_table("lemma_lookup")
        except (ValueError, KeyError, ImportError):
            self._table = None  # no table for this language: lemma = lowercase form
        return nlp

    def _lookup(self, word: str) -> str:
        """Lookup lemma of a lowercase form, memoised (the table hashes every query)."""
        lem = self._memo.get(word)
        if lem is None:
            lem = self._table.get(word, word) if self._table is not None else word
            if isinstance(lem, list):  # some tables (French) list the candidate lemmas
                lem = lem[0] if lem else word
            lem = fold(lem)
            self._memo[word] = lem
        return lem

    def cache_key(self) -> str | None:
        """What identifies this analyzer's output across runs, or None (not worth caching).

        Only the trained pipelines are cached: the lookup mode is faster than a cache read.
        """
        if self.mode != "accurate":
            return None
        name = self.model or DEFAULT_MODELS.get(self.lang)
        try:
            from importlib.metadata import version

            return f"{name}-{version(str(name))}/spacy-{version('spacy')}/no-ner-parser/v2"
        except (ValueError, ImportError, OSError):  # a path, or not an installed package
            return None

    def analyze(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[Analysis]:
        """Analyses of ``texts``, in order. With a trained pipeline, each text's analysis is
        kept in the user cache (:class:`AnalysisCache`), so that a text (a codebook's cue, an
        answer seen in another project) is never run through the neural pipeline twice, and
        the pipeline is not even loaded when every text is known."""
        texts = list(texts)
        key = self.cache_key() if texts else None
        cache = _analysis_cache() if key else None
        if cache is None or key is None:
            yield from self._analyze(texts, batch_size)
            return
        shas = [text_key(t) for t in texts]
        found = cache.get(key, list(dict.fromkeys(shas)))
        todo = {s: t for s, t in zip(shas, texts) if s not in found}
        if todo:
            fresh = dict(zip(todo, self._analyze(list(todo.values()), batch_size)))
            cache.put(key, fresh)
            found.update(fresh)
        for s in shas:
            yield found[s]

    def _analyze(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[Analysis]:
        nlp = self.nlp
        if self.mode == "fast":
            memo, lookup = self._memo, self._lookup
            for doc in nlp.tokenizer.pipe(texts, batch_size=batch_size):
                lower = [fold(t.text) for t in doc]
                lemma = [memo.get(w) or lookup(w) for w in lower]
                yield Analysis(lower, _keep_acronyms(doc, lower, lemma),
                               [t.idx for t in doc], [t.idx + len(t.text) for t in doc])
        else:
            for doc in nlp.pipe(texts, batch_size=batch_size):
                lower = [fold(t.text) for t in doc]
                yield Analysis(lower, _keep_acronyms(doc, lower, [fold(t.lemma_) for t in doc]),
                               [t.idx for t in doc], [t.idx + len(t.text) for t in doc])

    def analyze_one(self, text: str) -> Analysis:
        return next(iter(self.analyze([text])))

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans (start, end) of ``text``, by spaCy's rule-based sentencizer."""
        doc = _sentencizer(self.lang)(text)
        return [(s.start_char, s.end_char) for s in doc.sents]


# A sentence ends at . ! ? … (with its closing quotes or brackets) before whitespace, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”')\]]*\s+|\n\s*")


def sentence_spans(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``: stripped, closing quotes kept, fragments
    without a letter or digit dropped; sentences over ``max_chars`` are cut at a comma or space.

    The one fast splitter, for what reads inside a segment (coders' windows, evidence, report
    quotes). Segmenting a transcript by sentence (``unit="sentence"``) uses
    :meth:`Analyzer.sentences` instead: spaCy's sentencizer knows a language's abbreviations
    ("M. Dupont"), which a segment boundary must respect.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        spans.extend(_cut_sentence(text, pos, m.start() + len(m.group(0).rstrip()), max_chars))
        pos = m.end()
    spans.extend(_cut_sentence(text, pos, len(text), max_chars))
    return spans


def _cut_sentence(text: str, a: int, b: int, max_chars: int | None) -> list[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a < 2 or not any(ch.isalnum() for ch in text[a:b]):
        return []
    out = []
    while max_chars and b - a > max_chars:
        cut = max(text.rfind(", ", a, a + max_chars), text.rfind(" ", a, a + max_chars))
        cut = cut if cut > a + max_chars // 2 else a + max_chars
        out.append((a, cut))
        a = cut
        while a < b and (text[a].isspace() or text[a] == ","):
            a += 1
    if b > a:
        out.append((a, b))
    return out


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


class AnalysisCache:
    """Analyses by (analyzer key, text hash) in SQLite, compressed; any error disables it."""

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self.broken = False

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None and not self.broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS analyses (analyzer TEXT, sha TEXT, "
                                 "data BLOB, PRIMARY KEY (analyzer, sha))")
            except (sqlite3.Error, OSError):
                self.broken, self._db = True, None
        return self._db

    def get(self, key: str, shas: list[str]) -> dict[str, Analysis]:
        db, out = self._conn(), {}
        if db is None:
            return out
        try:
            for k in range(0, len(shas), 900):
                chunk = shas[k:k + 900]
                q = (f"SELECT sha, data FROM analyses WHERE analyzer=? AND sha IN "
                     f"({','.join('?' * len(chunk))})")
                for sha, blob in db.execute(q, (key, *chunk)):
                    out[sha] = Analysis(*json.loads(zlib.decompress(blob)))
        except (sqlite3.Error, ValueError, TypeError, zlib.error):
            return {}
        return out

    def put(self, key: str, items: dict[str, Analysis]) -> None:
        db = self._conn()
        if db is None:
            return
        rows = [(key, s, zlib.compress(json.dumps([a.lower, a.lemma, a.start, a.end],
                                                  ensure_ascii=False).encode("utf-8")))
                for s, a in items.items()]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO analyses VALUES (?,?,?)", rows)
        except sqlite3.Error:
            self.broken = True


_CACHES: dict[Path, AnalysisCache] = {}


def _analysis_cache() -> AnalysisCache | None:
    from ._files import cache_dir

    path = cache_dir() / "analyses.sqlite"
    cache = _CACHES.setdefault(path, AnalysisCache(path))
    return None if cache.broken else cache


@contextlib.contextmanager
def _fast_lookups() -> Iterator[None]:
    """Load spaCy lookup tables (the French lemmatizer's 217,000 forms) without a Python call
    per entry: the same tables, same order and same Bloom filter as ``Lookups.from_bytes``
    builds, in about two thirds of the time."""
    from preshed.bloom import BloomFilter
    from spacy.lookups import Lookups, Table
    from spacy.strings import get_string_id

    original = Lookups.from_bytes

    def from_bytes(self: Any, bytes_data: bytes, **kwargs: Any) -> Any:
        import srsly

        self._tables = {}
        for key, value in srsly.msgpack_loads(bytes_data).items():
            table = Table.__new__(Table)
            OrderedDict.__init__(table)
            table.name = key
            table.default_size = 1e6
            table.bloom = bloom = BloomFilter.from_error_rate(max(len(value), 1))
            setitem, add = OrderedDict.__setitem__, bloom.add
            for k, v in value.items():
                if not isinstance(k, int):
                    k = get_string_id(k)
                setitem(table, k, v)
                add(k)
            self._tables[key] = table
        return self

    Lookups.from_bytes = from_bytes  # type: ignore[method-assign]
    try:
        yield
    finally:
        Lookups.from_bytes = original  # type: ignore[method-assign]


def _index_as_sets(nlp: Any) -> None:
    """Make the rule lemmatizer's word lists sets: same answers, without a linear scan per word.

    spaCy's French lemmatizer asks ``word in index[pos]`` where the index is a list of up to
    66,000 words; that scan was a second of every French run.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):  # keys are already hashes: keep them as they are
        if isinstance(words, list):
            OrderedDict.__setitem__(table, key, frozenset(words))


@lru_cache(maxsize=8)
def _sentencizer(lang: str) -> Any:
    with patched_compile():
        nlp = import_spacy().blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=8)
def get_analyzer(lang: str, mode: str = "auto", model: str | None = None) -> Analyzer:
    return Analyzer(lang, mode, model)

