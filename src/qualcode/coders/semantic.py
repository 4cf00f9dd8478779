"""Semantic coder: catches paraphrases by comparing meaning, not words.

Each code's definition, label, include rules and examples become *prototypes*; its
counter-examples and exclude rules become *negative prototypes*; all are embedded (see
:mod:`.embed`). Each segment is cut into windows of one and two sentences (:mod:`._units`),
because a theme lives in a passage, not in a whole mixed answer. A window's score for a code
is its similarity to the closest prototype, lowered when a negative prototype is closer
still; the segment keeps its best window, so the evidence quotes that passage and names the
prototype it resembles ("closest example: ...").

Thresholds are per code. Zero-shot, they come from the codebook alone: a code's *background*
is how similar its prototypes are to the other codes' prototypes (texts on the same topic
that do not carry the theme), and a window must beat it by a margin fitted per model. With
reference codes (:meth:`SemanticCoder.fit`), each code gets the threshold that maximises
Cohen's kappa on them, and a logistic (Platt) calibration of its confidence.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .._i18n import shorten
from ..codebook import Code, Codebook
from ..model import Proposal, Segment
from . import embed
from ._units import last_question, windows
from .base import Progress

VERSION = "1.6"
# Margin above a code's background similarity that a window must reach, per embedder; an
# embedder not listed gets the default. Fitted once per model over all codes, not per code.
# Chosen on the development gold as one number per model (all codes at once), not per code.
MARGINS = {"static": 0.22, "minilm": 0.22, "use": 0.22, "hashing": 0.20}
DEFAULT_MARGIN = 0.20
# A multilingual embedder puts a sentence closer to texts of its own language than to their
# translation: a French answer scores lower against a code written only in English than its
# English original does. Measured once per model on the parallel dev answers (units.jsonl and
# units_fr.jsonl are translations of each other), with the default codebook's texts in one
# language only: the gap of the 90th percentile of the best-window scores, averaged over the
# codes (USE: 0.047 for French answers and English texts, 0.030 the other way; one number per
# model). A code with no text in the segment's language gets it back.
CROSSLINGUAL_GAP = {"use": 0.04}
# Alone, the semantic coder has no lexicon to lean on: it proposes from a lower margin.
STANDALONE_SHIFT = 0.09
QUESTION_WEIGHT = 0.3
SHORT_ANSWER = 15  # words: answers this short are also read together with their question  # how much a question on the code's topic lifts the answer's score
SLOPE = 0.04  # similarity units for one logit of confidence, zero-shot


@dataclass
class _Protos:
    """Embedded prototypes of one codebook for one language and embedder."""

    vectors: np.ndarray  # (n_protos, dim)
    texts: list[str]
    kinds: list[str]  # "definition", "label", "include", "example", "exclude", "counter"
    code_idx: np.ndarray  # (n_protos,) index of the code in codebook.codes
    positive: np.ndarray  # (n_protos,) bool
    background: np.ndarray  # (n_codes,) zero-shot background similarity per code


@dataclass
class SemanticScores:
    """What the semantic pass found, reusable by the learning and ensemble coders."""

    codes: list[str]
    score: np.ndarray  # (n_segments, n_codes) best window score minus the code's background and margin
    raw: np.ndarray  # (n_segments, n_codes) best window's similarity to a prototype
    question: np.ndarray  # (n_segments, n_codes) question similarity minus background
    mean_top: np.ndarray  # (n_segments, n_codes) mean of the 2 best windows, minus background
    evidence: list[list[tuple[str, str, str]]] = field(default_factory=list)  # (window, kind, prototype)


class SemanticCoder:
    """Proposes codes by embedding similarity to the codebook's texts (see module docstring)."""

    name = "semantic"

    def __init__(self, model: str = "auto", window: int = 2, cache: str | bool | None = None,
                 margin: float | None = None, use_question: bool = True, french_model: str = "use",
                 contrast: float = 0.0, crosslingual: bool = False, meaning_model: str | None = "auto"):
        """``model``: ``auto`` (static for English, ``french_model`` for other languages),
        ``static``, ``minilm``, ``use``, ``hashing`` or a sentence-transformers name or folder.
        ``meaning_model``: with ``auto``, the English model of a codebook where some code has no
        written lexicon in English (see :meth:`embedder_name`); ``auto`` takes MiniLM when the
        ``semantic`` extra is installed, None keeps the static vectors.
        ``cache``: a file for embedded vectors (a project's, beside its database), False for
        none, None for the default (memory, or ``$QUALCODE_CACHE_DIR`` when set); only models
        slow enough to need it are cached."""
        self.model = model
        self.window = int(window)
        self.cache_opt = cache
        self.margin_opt = margin
        self.use_question = bool(use_question)
        self.french_model = french_model
        self.contrast = float(contrast)
        self.crosslingual = bool(crosslingual)
        if meaning_model == "auto":
            meaning_model = "minilm" if model == "auto" and embed.minilm_available() else None
        self.meaning_model = meaning_model
        self._protos: dict[tuple[str, str, str], _Protos] = {}
        self._cache: embed.EmbeddingCache | None = None
        # per code: (threshold on score, platt a, platt b) once fitted on reference codes
        self.calibration: dict[str, tuple[float, float, float]] = {}

    # -- protocol ---------------------------------------------------------------------------

    @property
    def version(self) -> str:
        cal = ""
        if self.calibration:
            blob = ";".join(f"{k}:{v[0]:.3f}" for k, v in sorted(self.calibration.items()))
            cal = f"/cal={hashlib.sha256(blob.encode()).hexdigest()[:10]}"  # same in every process
        meaning = f"/meaning={self.meaning_model}" if self.model == "auto" and self.meaning_model else ""
        return (f"semantic-{VERSION}/model={self.model}{meaning}/fr={self.french_model}/w{self.window}"
                f"/m={self.margin_opt}/q={int(self.use_question)}/c={self.contrast}"
                f"/x={int(self.crosslingual)}{cal}")

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        sc = self.scores(segments, codebook, progress)
        conf, applied = self.standalone(sc, codebook)
        out: list[list[Proposal]] = []
        for i in range(len(segments)):
            props = []
            for j, cid in enumerate(sc.codes):
                c = round(float(conf[i, j]), 4)
                win, kind, proto = sc.evidence[i][j]
                ev = [f"«{shorten(win)}» ~ {kind}: {shorten(proto, 90)} (similarity {sc.raw[i, j]:.2f})"]
                props.append(Proposal(cid, bool(applied[i, j]), c, ev, {self.name: c}))
            out.append(props)
        return out

    def standalone(self, sc: SemanticScores, codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
        """(confidence, applied) of every segment and code when this coder speaks alone: with
        no lexicon to lean on, it proposes from a lower margin (:data:`STANDALONE_SHIFT`) unless
        reference codes calibrated the code. The ensemble uses it for the codes no lexicon cue
        can speak for."""
        shift = np.array([0.0 if c in self.calibration else STANDALONE_SHIFT for c in sc.codes], np.float32)
        X = self.combined(sc) + shift[None, :]
        conf = np.zeros(X.shape, np.float64)
        applied = np.zeros(X.shape, bool)
        for j, cid in enumerate(sc.codes):
            thr = self._threshold_conf(cid, codebook)
            for i in range(X.shape[0]):
                conf[i, j] = self.confidence(cid, float(X[i, j]), codebook)
                applied[i, j] = conf[i, j] >= thr
        return conf, applied

    # -- scores -----------------------------------------------------------------------------

    def combined(self, sc: SemanticScores) -> np.ndarray:
        """The score thresholds apply to: best window, nudged by the question's topic."""
        if not self.use_question:
            return sc.score
        return sc.score + QUESTION_WEIGHT * np.clip(sc.question, 0, None)

    def confidence(self, code_id: str, s: float, codebook: Codebook) -> float:
        """A probability-like confidence: Platt-calibrated when fitted, else a logistic on the margin."""
        if code_id in self.calibration:
            _, a, b = self.calibration[code_id]
            return _sigmoid(a * s + b)
        return _sigmoid(s / SLOPE)

    def _threshold_conf(self, code_id: str, codebook: Codebook) -> float:
        if code_id in self.calibration:
            t, a, b = self.calibration[code_id]
            return _sigmoid(a * t + b)
        return codebook.code(code_id).threshold

    def margin_for(self, emb: embed.Embedder) -> float:
        if self.margin_opt is not None:
            return float(self.margin_opt)
        return MARGINS.get(_builtin_name(emb), DEFAULT_MARGIN)

    def embedder_name(self, lang: str, codebook: Codebook | None = None) -> str:
        """The embedder for ``lang``. With ``auto``, English takes the static vectors: next to
        written cues they cost little, and the lexicon carries the codes. Where a code of
        ``codebook`` has no written lexicon in English at all, meaning is the evidence, and the
        transformer (``meaning_model``) finds it much better, at 25 times the cost: on answers
        of interviews nobody tuned on, coded blind, the default codebook stripped of its lexicon
        scores macro kappa 0.24 with the static vectors and 0.29 with MiniLM
        (``benchmarks/unseen_agreement.py --keep 0``). A thin lexicon (3 to 20 entries a code)
        gains only 0.02 from it, and the full lexicon 0.04, for 25 times the time of the
        default pass: ``semantic_model=minilm`` chooses it for any codebook. A codebook with a
        code written only in another language is read with the multilingual ``french_model``:
        the English models cannot read its texts."""
        if self.model != "auto":
            return self.model
        if lang != "en":
            return self.french_model
        if codebook is not None and any(not _has_own_texts(c, lang) for c in codebook.codes):
            return self.french_model  # a code written in another language only: the multilingual model
        if self.meaning_model and codebook is not None and any(not c.lexicon.get(lang) for c in codebook.codes):
            return self.meaning_model
        return "static"

    def scores(self, segments: Sequence[Segment], codebook: Codebook,
               progress: Progress | None = None) -> SemanticScores:
        """Best-window scores of every segment for every code (no thresholds applied)."""
        codes = codebook.ids
        n, k = len(segments), len(codes)
        res = SemanticScores(codes, np.zeros((n, k), np.float32), np.zeros((n, k), np.float32),
                             np.zeros((n, k), np.float32), np.zeros((n, k), np.float32),
                             [[("", "", "")] * k for _ in range(n)])
        by_lang: dict[str, list[int]] = defaultdict(list)
        for i, seg in enumerate(segments):
            by_lang[codebook.language_of(seg.language)].append(i)
        done = 0
        for lang, idx in by_lang.items():
            emb = embed.get_embedder(self.embedder_name(lang, codebook))
            protos = self.prototypes(codebook, lang, emb)
            for lo in range(0, len(idx), 2000):
                part = idx[lo:lo + 2000]
                self._score_chunk([segments[i] for i in part], part, emb, protos, res)
                done += len(part)
                if progress:
                    progress(done, n, "semantic")
        return res

    def _score_chunk(self, segs: list[Segment], idx: list[int], emb: embed.Embedder,
                     protos: _Protos, res: SemanticScores) -> None:
        spans = [windows(s.text, self.window) for s in segs]
        texts = []
        for s, sp in zip(segs, spans, strict=True):
            texts.extend(s.text[a:b] for a, b in sp)
            ask = last_question(s.question) if self.use_question else ""
            if ask and sp and len(s.text.split()) <= SHORT_ANSWER:
                # "Not really." means something only with its question: read them together
                sp.append((0, len(s.text)))
                texts.append(f"{ask} {s.text.strip()}")
        cache = self._get_cache(emb)
        W = embed.encode(emb, texts, cache)
        k = len(res.codes)
        pos_mask, neg_mask = protos.positive, ~protos.positive
        # Per code: best positive and best negative similarity of each window.
        S = W @ protos.vectors.T if len(texts) else np.zeros((0, len(protos.texts)), np.float32)
        pos = np.full((len(texts), k), -1.0, np.float32)
        pos_arg = np.zeros((len(texts), k), np.int64)
        neg = np.full((len(texts), k), -1.0, np.float32)
        for j in range(k):
            pj = np.where(pos_mask & (protos.code_idx == j))[0]
            nj = np.where(neg_mask & (protos.code_idx == j))[0]
            if len(pj):
                sub = S[:, pj]
                pos_arg[:, j] = pj[sub.argmax(1)] if len(texts) else 0
                pos[:, j] = sub.max(1) if len(texts) else 0
            if len(nj):
                neg[:, j] = S[:, nj].max(1) if len(texts) else -1
        # A window closer to a counter-example than to any example is pulled down by the gap.
        margin = self.margin_for(emb)
        adj = pos - np.clip(neg - pos, 0, None) - protos.background[None, :] - margin
        if self.contrast and k > 1 and len(texts):
            # a window that is closer still to another code's texts is less about this one
            rel = pos - protos.background[None, :]
            other = np.stack([np.delete(rel, j, axis=1).max(1) for j in range(k)], 1)
            adj = adj - self.contrast * np.clip(other - rel, 0, None)
        qs = [s.question[-300:] for s in segs]
        if self.use_question and any(qs):
            Q = embed.encode(emb, [q or "." for q in qs], cache) @ protos.vectors.T
            for j in range(k):
                pj = np.where(pos_mask & (protos.code_idx == j))[0]
                if len(pj):
                    q = Q[:, pj].max(1) - protos.background[j] - margin
                    res.question[idx, j] = np.where([bool(x) for x in qs], q, 0.0)
        at = 0
        for r, (seg, sp) in enumerate(zip(segs, spans, strict=True)):
            i = idx[r]
            m = len(sp)
            if m == 0:
                res.score[i] = res.mean_top[i] = -1.0
                at += m
                continue
            block = adj[at:at + m]
            best = block.argmax(0)
            res.score[i] = block[best, np.arange(k)]
            res.raw[i] = pos[at + best, np.arange(k)]
            top2 = np.sort(block, axis=0)[-2:] if m > 1 else block
            res.mean_top[i] = top2.mean(0)
            for j in range(k):
                a, b = sp[best[j]]
                p = pos_arg[at + best[j], j]
                res.evidence[i][j] = (seg.text[a:b], protos.kinds[p], protos.texts[p])
            at += m

    def _get_cache(self, emb: embed.Embedder) -> embed.EmbeddingCache | None:
        if self.cache_opt is False or isinstance(emb, (embed.StaticEmbedder, embed.HashingEmbedder)):
            return None  # embedding these is faster than reading them back
        if self._cache is None:
            self._cache = embed.EmbeddingCache(self.cache_opt if isinstance(self.cache_opt, str) else None)
        return self._cache

    # -- prototypes -------------------------------------------------------------------------

    def prototypes(self, codebook: Codebook, lang: str, emb: embed.Embedder) -> _Protos:
        key = (codebook.version, lang, emb.id)
        if key in self._protos:
            return self._protos[key]
        texts, kinds, cidx, positive = [], [], [], []
        # A multilingual embedder puts the codebook's texts of every language in one space:
        # a French answer is compared with the French and the English examples alike.
        langs = [lang] if not (self.crosslingual and emb.languages is None) else \
            [lang, *[lg for lg in codebook.languages if lg != lang]]
        for j, code in enumerate(codebook.codes):
            for lg in langs:
                for kind, text, pos in code_texts(code, lg):
                    if lg != lang and text in texts:
                        continue
                    texts.append(text)
                    kinds.append(kind)
                    cidx.append(j)
                    positive.append(pos)
        V = embed.encode(emb, texts, self._get_cache(emb))
        code_idx, positive_a = np.array(cidx), np.array(positive, bool)
        bg = np.zeros(len(codebook.codes), np.float32)
        S = V @ V.T
        gap = CROSSLINGUAL_GAP.get(_builtin_name(emb), 0.0)
        for j, code in enumerate(codebook.codes):
            mine = np.where(positive_a & (code_idx == j))[0]
            related = {j} | {i for i, c in enumerate(codebook.codes) if c.parent == code.id or code.parent == c.id}
            others = np.where(positive_a & ~np.isin(code_idx, list(related)))[0]
            if len(mine) and len(others):
                # how close the nearest other-code text typically comes to each of this code's texts
                bg[j] = float(np.mean(S[np.ix_(mine, others)].max(1)))
            if emb.languages is None and not _has_own_texts(code, lang):
                bg[j] -= gap  # its texts are another language's: see CROSSLINGUAL_GAP
        p = _Protos(V, texts, kinds, code_idx, positive_a, bg)
        self._protos[key] = p
        return p

    # -- calibration from reference codes ----------------------------------------------------

    def fit(self, segments: Sequence[Segment], labels: Sequence[set[str]], codebook: Codebook,
            progress: Progress | None = None) -> None:
        """Per-code thresholds (best kappa) and Platt scaling from human-coded segments."""
        sc = self.scores(segments, codebook, progress)
        X = self.combined(sc)
        self.calibration = {}
        for j, cid in enumerate(sc.codes):
            y = np.array([cid in lab for lab in labels])
            if y.sum() < 2 or (~y).sum() < 2:
                continue
            t = best_threshold(X[:, j], y)
            a, b = platt(X[:, j], y)
            self.calibration[cid] = (t, a, b)


def code_texts(code: Code, lang: str) -> list[tuple[str, str, bool]]:
    """A code's texts to embed: (kind, text, positive). Everything comes from the codebook."""
    out: list[tuple[str, str, bool]] = []
    label = code.text("label", lang)
    definition = code.text("definition", lang)
    if definition:
        out.append(("definition", definition, True))
        out.extend(("definition", part, True) for part in _clauses(definition))
    elif label:
        out.append(("label", label, True))
    for kind, attr, pos in (("include", "include", True), ("example", "examples", True),
                            ("exclude", "exclude", False), ("counter-example", "counter_examples", False)):
        items = code.text(attr, lang)
        for item in items:
            out.append((kind, item, pos))
    return out


def _builtin_name(emb: embed.Embedder) -> str:
    """The built-in name of ``emb`` ("static", "use"...), "" for a model given by path."""
    return next((k for k, v in embed.BUILTIN.items() if isinstance(emb, v)), "")


def _has_own_texts(code: Code, lang: str) -> bool:
    """Whether ``code`` has a definition, include rule or example written in ``lang`` (a label
    alone is not embedded when a definition exists in any language: see :func:`code_texts`)."""
    return any((getattr(code, attr).get(lang) or None) for attr in ("definition", "include", "examples"))


def _clauses(text: str) -> list[str]:
    """The parts of a long definition, each a theme of its own ("keeping the final say")."""
    if len(text) < 120:
        return []
    body = text.split(":", 1)[1] if ":" in text[:120] else text
    parts = [p.strip(" .;") for p in re.split(r"[;:]|,\s+(?=\w+ing\b|\w+\s)", body)]
    return [p for p in parts if len(p.split()) >= 3]


def best_threshold(x: np.ndarray, y: np.ndarray) -> float:
    """The cut on ``x`` that maximises Cohen's kappa with ``y`` (midpoint between scores)."""
    from ..stats import binary_kappa as cohen_kappa

    order = np.unique(x)
    cands = (order[:-1] + order[1:]) / 2 if len(order) > 1 else order
    best, best_t = -2.0, float(np.median(x))
    for t in cands:
        p = x >= t
        tp = int((p & y).sum())
        fp = int((p & ~y).sum())
        fn = int((~p & y).sum())
        k = cohen_kappa(tp, fp, fn, len(y) - tp - fp - fn)
        if k > best:
            best, best_t = k, float(t)
    return best_t


def platt(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic fit p = sigmoid(a x + b), lightly regularised so that tiny sets stay sane."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0, class_weight="balanced")
    lr.fit(x.reshape(-1, 1), y.astype(int))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
