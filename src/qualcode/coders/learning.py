"""Learning coder: learns from human decisions how much to trust each cue, code by code.

Reviewed workbooks are small (a few hundred decisions, a handful of positives per code), far
too few to learn a text classifier from scratch: TF-IDF + logistic regression trained on ten
interviews scores kappa 0.15 on ten others. So this coder learns on a few *cues per code*
that already carry meaning and transfer across interviews:

- the lexicon's confidence for the code and the number of entries matched,
- the semantic coder's best-window margin, its top-2 mean and the question's margin,
- *learned prototypes*: how close the segment comes to the passages that humans coded with
  this code (minus how close it comes to passages they rejected). The passages are the best
  window of each training segment, so the evidence can say "like: <passage>".

- *learned meaning*: a per-code logistic regression on the sentence embeddings of the
  answer's windows (the semantic coder's embedder: multilingual for French), trained on the
  reviewed answers plus the codebook's own examples and counter-examples; on training rows
  it is out-of-fold by interview, so the rule chosen below never sees its own answers.

Per code, three rules compete (codebook rule, codebook rule at a learned threshold, logistic
regression on all cues) by Cohen's kappa in cross-validation grouped by interview, and a rule
with more parameters wins only by a margin: training never replaces the codebook's rule by
one that did worse on held-out interviews. Codes with fewer than ``min_positives`` positives
are never dropped: they keep the codebook's rule (whose examples the semantic cues and the
learned passages already borrow), and :meth:`LearningCoder.learned_summary` says so.

The fitted model is saved with joblib together with its provenance (which decisions, when,
how many per code, which round): each review round refits on all decisions so far and
increments the round.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _i18n  # module import: `tr` is a loop variable (train folds) here
from ..codebook import Codebook
from ..errors import CoderError
from ..model import Proposal, Segment
from . import embed
from ._labels import lexicon_evidence
from ._units import windows
from .base import Progress
from .lexicon import LexiconCoder
from .semantic import SemanticCoder, SemanticScores, best_threshold, code_texts

if TYPE_CHECKING:
    from ..store import Store

VERSION = "2.2"
FEATURES = ["zero_shot", "lexicon", "lexicon_hits", "semantic", "semantic_top2", "question", "like_pos",
            "like_neg", "embed_clf"]
CLF_C = 1.0  # inverse regularisation of the per-code embedding classifier
OTHER_EXAMPLE_WEIGHT = 0.5  # other codes' examples count as (soft) negatives of a code
SEMANTIC_WEIGHT = 0.6  # zero-shot: how far a paraphrase alone counts next to explicit words
LR_MARGIN = 0.05  # the regression must beat the tuned zero-shot rule by this much (CV kappa)
SURE = 0.9  # ... and win in this share of resamples of the interviews (paired bootstrap)
DRAWS = 200
# A regression on all cues is considered only from this many positives, coded in this many
# interviews: with fewer, the resamples of interviews cannot tell a sure win from luck (seen:
# 8 positives in a few interviews made a regression that won in training and lost 0.7 kappa on
# the other half of the interviews).
REGRESSION_MIN_POSITIVES = 10
REGRESSION_MIN_INTERVIEWS = 5


def zero_shot(lexicon_conf: np.ndarray, semantic_conf: np.ndarray, weight: float = SEMANTIC_WEIGHT) -> np.ndarray:
    """The zero-shot ensemble confidence: noisy-or of the lexicon and the damped semantic vote."""
    return 1.0 - (1.0 - lexicon_conf) * (1.0 - weight * semantic_conf)


@dataclass
class CodeModel:
    """One code's fitted logistic regression on standardised cues, and its decision threshold."""

    kind: str  # "zero-shot", "tuned" (threshold on the zero-shot confidence), "regression"
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float  # on the probability
    positives: int
    negatives: int
    cv_kappa: float | None = None
    model_tried: bool = True  # False: too few positives or interviews to try a regression

    def prob(self, X: np.ndarray) -> np.ndarray:
        if self.kind in ("zero-shot", "tuned"):
            return X[:, 0].astype(np.float64)
        z = ((X - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Provenance:
    """Where a fitted model comes from, saved beside it as JSON."""

    codebook_version: str
    trained_at: str
    round: int
    n_segments: int
    positives: dict[str, int]
    sources: list[str]  # e.g. "store:qualcode.db (312 decisions)", "gold:train.jsonl"
    segment_ids_sha: str  # hash of the sorted training segment ids
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier rounds, oldest first


class LearningCoder:
    """Per-code calibrated logistic regression on lexicon, semantic and learned-prototype cues."""

    name = "learning"

    def __init__(self, model: str | None = None, min_positives: int = 3, semantic_model: str = "auto",
                 lexicon: LexiconCoder | None = None, semantic: SemanticCoder | None = None,
                 semantic_weight: float = SEMANTIC_WEIGHT):
        """``model``: a saved model file (``qualcode train`` writes one) to load."""
        self.min_positives = int(min_positives)
        self.semantic_weight = float(semantic_weight)
        self.lexicon = lexicon or LexiconCoder()
        self.semantic = semantic or SemanticCoder(model=semantic_model)
        self.models: dict[str, CodeModel] = {}
        self.protos: dict[str, dict[str, Any]] = {}  # code -> {"pos": texts, "neg": texts}
        # embedder id -> code -> (coef, intercept): the learned-meaning classifiers
        self.clf: dict[str, dict[str, tuple[list[float], float]]] = {}
        self.provenance: Provenance | None = None
        self.codebook_version = ""
        # per code: the "question" cue given to an answer without a question (the training
        # answers' mean): 0 would read as "the question is right on the code"
        self.question_fill: list[float] | None = None
        if model:
            self.load(model)

    @property
    def trained(self) -> bool:
        return bool(self.models)

    @property
    def version(self) -> str:
        blob = json.dumps([{c: [m.kind, m.coef, m.intercept, m.threshold] for c, m in sorted(self.models.items())},
                           self.clf, self.question_fill], sort_keys=True)
        digest = hashlib.sha1(blob.encode()).hexdigest()[:10]
        rnd = self.provenance.round if self.provenance else 0
        return f"learning-{VERSION}/{self.semantic.version}/{self.lexicon.version}/r{rnd}-{digest}"

    # -- features -----------------------------------------------------------------------------

    def features(self, segments: Sequence[Segment], codebook: Codebook,
                 lex: Sequence[Sequence[Proposal]] | None = None, sem: SemanticScores | None = None,
                 exclude_own_source: bool = False, progress: Progress | None = None) -> np.ndarray:
        """(n_segments, n_codes, n_features) cues; ``exclude_own_source`` for training rows."""
        ids = codebook.ids
        n, k = len(segments), len(ids)
        lex = lex if lex is not None else self.lexicon.code(segments, codebook, progress)
        sem = sem if sem is not None else self.semantic.scores(segments, codebook, progress)
        X = np.zeros((n, k, len(FEATURES)), np.float32)
        for i, props in enumerate(lex):
            for p in props:
                if p.code_id in ids:
                    j = ids.index(p.code_id)
                    X[i, j, 1] = p.confidence
                    X[i, j, 2] = len(p.evidence)
        comb = self.semantic.combined(sem)
        sconf = np.array([[self.semantic.confidence(cid, float(comb[i, j]), codebook) for j, cid in enumerate(ids)]
                          for i in range(n)], np.float32).reshape(n, k)
        X[:, :, 0] = zero_shot(X[:, :, 1], sconf, self.semantic_weight)
        X[:, :, 3] = sem.score
        X[:, :, 4] = sem.mean_top
        X[:, :, 5] = sem.question
        if self.protos or self.clf:
            X[:, :, 6:9] = self._learned_cues(segments, codebook, exclude_own_source)
            X[:, :, 8] = np.where(np.isnan(X[:, :, 8]), X[:, :, 0], X[:, :, 8])
        return X

    def _windows(self, segments: Sequence[Segment], codebook: Codebook, embedder: str | None = None
                 ) -> list[tuple[embed.Embedder, list[int], np.ndarray, np.ndarray]]:
        """Per language: (embedder, segment indices, window vectors, window bounds per segment);
        ``embedder`` embeds every segment with that one instead."""
        by_lang: dict[str, list[int]] = {}
        for i, s in enumerate(segments):
            by_lang.setdefault("*" if embedder else codebook.language_of(s.language), []).append(i)
        out = []
        for lang, idx in by_lang.items():
            emb = embed.get_embedder(embedder or self.semantic.embedder_name(lang, codebook))
            spans = [windows(segments[i].text, self.semantic.window) or [(0, len(segments[i].text))] for i in idx]
            texts = [segments[i].text[a:b] or "." for i, sp in zip(idx, spans, strict=True) for a, b in sp]
            W = embed.encode(emb, texts, self.semantic._get_cache(emb)) if texts else np.zeros((0, 1), np.float32)
            out.append((emb, idx, W, np.cumsum([0] + [len(sp) for sp in spans])))
        return out

    def _learned_cues(self, segments: Sequence[Segment], codebook: Codebook, exclude_own: bool) -> np.ndarray:
        """Likeness to learned positive / negative passages, and the learned-meaning probability."""
        out = np.zeros((len(segments), len(codebook.ids), 3), np.float32)
        for emb, idx, W, bounds in self._windows(segments, codebook):
            cache = self.semantic._get_cache(emb)
            clfs = self.clf.get(emb.id, {})
            V = _mean_rows(W, bounds) if clfs else None
            for j, cid in enumerate(codebook.ids):
                if V is not None and cid in clfs:
                    coef, b = clfs[cid]
                    out[idx, j, 2] = _sigmoid(V @ np.asarray(coef, np.float32) + b)
                else:  # no learned meaning in this embedder's space: the codebook rule stands in
                    out[idx, j, 2] = np.nan
            for j, cid in enumerate(codebook.ids):
                p = self.protos.get(cid)
                if not p:
                    continue
                for f, key in ((0, "pos"), (1, "neg")):
                    if not p[key]:
                        continue
                    P = embed.encode(emb, p[key], cache)
                    S = W @ P.T if len(W) else np.zeros((0, len(p[key])))
                    src = np.array(p[key + "_src"], dtype=object)
                    for r, i in enumerate(idx):
                        block = S[bounds[r]:bounds[r + 1]]
                        if exclude_own:
                            block = block[:, src != segments[i].source_id]
                        out[i, j, f] = float(block.max()) if block.size else 0.0
        return out

    # -- training -----------------------------------------------------------------------------

    def fit(self, segments: Sequence[Segment], labels: Sequence[set[str]], codebook: Codebook,
            progress: Progress | None = None, sources: Sequence[str] = ()) -> Provenance:
        """Fit every code with enough positives on human-coded ``segments``; start a new round."""
        if not segments:
            raise CoderError("no coded segments to learn from; review some segments first "
                             "(qualcode review) or give a gold file")
        ids = codebook.ids
        lex = self.lexicon.code(segments, codebook, progress)
        sem = self.semantic.scores(segments, codebook, progress)
        langs = sorted({codebook.language_of(s.language) for s in segments})
        # Learned passages: each training segment's best window for the code, plus the
        # codebook's own examples (borrowed, so that a code with few decisions still has some).
        self.protos = {}
        for j, cid in enumerate(ids):
            pos = [(sem.evidence[i][j][0], s.source_id) for i, s in enumerate(segments) if cid in labels[i]]
            # Rejected passages that looked like the code: negatives above the median score.
            negs = [i for i, s in enumerate(segments) if cid not in labels[i]]
            med = float(np.median(sem.score[negs, j])) if negs else 0.0
            neg = [(sem.evidence[i][j][0], segments[i].source_id) for i in negs if sem.score[i, j] > med]
            book = [(kind, text, p) for lang in langs for kind, text, p in code_texts(codebook.code(cid), lang)
                    if kind not in ("definition", "label")]
            pos += [(text, CODEBOOK_SOURCE) for _, text, p in book if p]
            neg += [(text, CODEBOOK_SOURCE) for _, text, p in book if not p]
            self.protos[cid] = {"pos": [t for t, _ in pos if t], "pos_src": [s for t, s in pos if t],
                                "neg": [t for t, _ in neg if t], "neg_src": [s for t, s in neg if t]}
        groups = np.array([s.source_id for s in segments])
        Y = np.array([[cid in lab for cid in ids] for lab in labels], bool).reshape(len(segments), len(ids))
        self.clf = {}
        X = self.features(segments, codebook, lex, sem, exclude_own_source=True)
        asked = _asked(segments)
        self.question_fill = (X[asked, :, 5].mean(0) if asked.any() else np.zeros(len(ids))).tolist()
        self._fill_question(X, asked)
        X[:, :, 8] = self._fit_classifiers(segments, Y, groups, codebook)  # out-of-fold on training rows
        self.models = {}
        positives = {}
        for j, cid in enumerate(ids):
            y = Y[:, j]
            positives[cid] = int(y.sum())
            if y.sum() < self.min_positives or (~y).sum() < self.min_positives:
                # never dropped: the codebook's rule, stated as such (see learned_summary)
                self.models[cid] = CodeModel("zero-shot", [], [], [], 0.0, codebook.code(cid).threshold,
                                             int(y.sum()), int((~y).sum()), None)
                continue
            self.models[cid] = _fit_code(X[:, j, :], y, groups, codebook.code(cid).threshold)
        prev = self.provenance
        history = [*prev.history, _asdict_short(prev)] if prev else []
        self.codebook_version = codebook.version
        self.provenance = Provenance(
            codebook_version=codebook.version, trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            round=(prev.round + 1) if prev else 1, n_segments=len(segments), positives=positives,
            sources=list(sources), history=history,
            segment_ids_sha=hashlib.sha1("\n".join(sorted(s.id for s in segments)).encode()).hexdigest()[:16])
        return self.provenance

    def _fit_classifiers(self, segments: Sequence[Segment], Y: np.ndarray, groups: np.ndarray,
                         codebook: Codebook) -> np.ndarray:
        """Fit the learned-meaning classifiers (into ``self.clf``); return out-of-fold probabilities.

        Rows: each reviewed answer (the mean of its window vectors) and the codebook's texts
        (examples and include rules as positives of their code; counter-examples, exclude rules
        and, softly, other codes' examples as negatives). A multilingual embedder learns from the
        codebook's texts in every language, so French answers borrow the English examples too.
        The codebook rows are in every training fold; answers are held out by interview.
        """
        ids = codebook.ids
        oof = np.zeros(Y.shape, np.float32)
        groups_done = self._windows(segments, codebook)
        # Languages of the codebook whose embedder is multilingual and not met in the training
        # answers (French coded with a model trained on English answers): the same answers,
        # embedded in that space, teach it too, so the learned meaning carries across languages.
        seen = {emb.id for emb, *_ in groups_done}
        extra = []
        for lang in codebook.languages:
            name = self.semantic.embedder_name(lang, codebook)
            try:
                emb = embed.get_embedder(name)
            except CoderError:
                continue
            if emb.languages is None and emb.id not in seen:
                seen.add(emb.id)
                try:
                    extra += [(*g, False) for g in self._windows(segments, codebook, embedder=name)]
                except CoderError:  # the multilingual model is not installed: French falls back
                    continue
        for emb, idx, W, bounds, with_oof in [(*g, True) for g in groups_done] + extra:
            V = _mean_rows(W, bounds)
            langs = codebook.languages if emb.languages is None else [
                lg for lg in codebook.languages if lg in emb.languages] or [codebook.language]
            btexts, bcode, bpos = [], [], []
            for j, code in enumerate(codebook.codes):
                for lang in langs:
                    for kind, text, p in code_texts(code, lang):
                        if kind in ("definition", "label"):
                            continue
                        btexts.append(text)
                        bcode.append(j)
                        bpos.append(p)
            B = embed.encode(emb, btexts, self.semantic._get_cache(emb)) if btexts else np.zeros((0, V.shape[1]))
            bcode_a, bpos_a = np.array(bcode, int), np.array(bpos, bool)
            g = groups[idx]
            folds = _folds(g)
            self.clf[emb.id] = {}
            for j, cid in enumerate(ids):
                y = Y[idx, j]
                # codebook rows for this code: its positives, its negatives, other codes' positives
                mine_pos = (bcode_a == j) & bpos_a
                mine_neg = (bcode_a == j) & ~bpos_a
                other = (bcode_a != j) & bpos_a
                keep = mine_pos | mine_neg | other
                Xb, yb = B[keep], mine_pos[keep]
                wb = np.where(other[keep], OTHER_EXAMPLE_WEIGHT, 1.0)

                full = _fit_rows(V, np.arange(len(idx)), y, Xb, yb, wb)
                if full is None:
                    continue
                self.clf[emb.id][cid] = (full[0].tolist(), full[1])
                if not with_oof:
                    continue
                col = np.full(len(idx), 0.5, np.float32)
                if folds is not None:
                    for tr, te in folds:
                        m = _fit_rows(V, tr, y, Xb, yb, wb)
                        if m is not None:
                            col[te] = _sigmoid(V[te] @ m[0] + m[1])
                oof[idx, j] = col
        return oof

    # -- coding -------------------------------------------------------------------------------

    def probabilities(self, segments: Sequence[Segment], codebook: Codebook,
                      lex: Sequence[Sequence[Proposal]] | None = None, sem: SemanticScores | None = None,
                      progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities, trained mask) of shape (n_segments, n_codes) and (n_codes,)."""
        X = self.features(segments, codebook, lex, sem, progress=progress)
        self._fill_question(X, _asked(segments))
        P = np.zeros(X.shape[:2], np.float32)
        mask = np.zeros(len(codebook.ids), bool)
        for j, cid in enumerate(codebook.ids):
            m = self.models.get(cid)
            if m is not None:
                P[:, j] = m.prob(X[:, j, :])
                mask[j] = True
        return P, mask

    def _fill_question(self, X: np.ndarray, asked: np.ndarray) -> None:
        """Give answers without a question the training answers' mean "question" cue, in place.

        What was seen: a model trained on answers with their questions, applied to answers that
        have none, proposed far less (French, codebook without lexicon, new interviews: 0.24
        against 0.36 when trained without questions); the empty question scored 0, a value the
        training answers never had."""
        if self.question_fill is not None and not asked.all():
            X[~asked, :, 5] = np.asarray(self.question_fill, np.float32)[None, :]

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        """Proposals for every code: the learned rule where one was fitted, else the codebook's
        rule (an untrained coder codes exactly as the zero-shot ensemble would)."""
        lex = self.lexicon.code(segments, codebook, progress)
        X = self.features(segments, codebook, lex, progress=progress)
        lang = codebook.language
        out = []
        for i, seg in enumerate(segments):
            words = {p.code_id: p.evidence for p in lex[i]}
            props = []
            for j, cid in enumerate(codebook.ids):
                m = self.models.get(cid)
                if m is None:
                    p, t, why = float(X[i, j, 0]), codebook.code(cid).threshold, []
                else:
                    p, t, why = float(m.prob(X[i:i + 1, j, :])[0]), m.threshold, self.explain(cid, lang)
                if p < 0.05 and p < t:
                    continue
                if words.get(cid):
                    why = [lexicon_evidence(words[cid], seg.text, lang), *why]
                props.append(Proposal(cid, p >= t, round(p, 4), why, {self.name: round(p, 4)}))
            out.append(props)
        return out

    def explain(self, code_id: str, lang: str = "en") -> list[str]:
        """Why the learned rule of ``code_id`` decides as it does, in ``lang`` (fr or en)."""
        m = self.models.get(code_id)
        if not m:
            return []
        head = _i18n.tr("evidence.learned_head", lang, pos=m.positives, neg=m.negatives)
        if m.kind == "zero-shot":
            return [_i18n.tr("evidence.learned_rule", lang, head=head)]
        if m.kind == "tuned":
            return [_i18n.tr("evidence.learned_tuned", lang, head=head, t=_i18n.number(m.threshold, lang))]
        top = sorted(zip(FEATURES, m.coef, strict=True), key=lambda t: -abs(t[1]))[:3]
        cues = ", ".join(f"{_i18n.tr('evidence.f_' + f, lang)} ({'+' if w >= 0 else ''}{_i18n.number(w, lang, 1)})" for f, w in top)
        return [_i18n.tr("evidence.learned_weights", lang, head=head, cues=cues)]

    def learned_rules(self, codebook: Codebook) -> dict[str, dict[str, Any]]:
        """Per code: the rule kept (``zero-shot``, ``tuned``, ``regression``, or ``too-few``),
        the positives and negatives it was learned from and its held-out kappa."""
        out: dict[str, dict[str, Any]] = {}
        for cid in codebook.ids:
            m = self.models.get(cid)
            if m is None:
                continue
            rule = "too-few" if m.kind == "zero-shot" and m.cv_kappa is None else m.kind
            out[cid] = {"rule": rule, "positives": m.positives, "negatives": m.negatives, "cv_kappa": m.cv_kappa}
        return out

    def learned_summary(self, codebook: Codebook, lang: str | None = None) -> dict[str, str]:
        """Per code, in words: learned from how many examples, by which rule, or why not."""
        lang = lang or codebook.language
        out = {}
        pos = self.provenance.positives if self.provenance else {}
        for cid in codebook.ids:
            m = self.models.get(cid)
            n = pos.get(cid, m.positives if m else 0)
            if m is None or (m.cv_kappa is None and m.kind == "zero-shot"):
                ex = len(self.protos.get(cid, {}).get("pos_src", []) and
                         [s for s in self.protos[cid]["pos_src"] if s == CODEBOOK_SOURCE])
                out[cid] = _i18n.tr("evidence.few", lang, pos=n, ex=ex)
            else:
                k = (_i18n.tr("number.na", lang) if m.cv_kappa is None or m.cv_kappa != m.cv_kappa
                     else _i18n.number(m.cv_kappa, lang))
                out[cid] = _i18n.tr("evidence.summary", lang, pos=m.positives, neg=m.negatives, rule=_i18n.tr(f"evidence.{m.kind}", lang), k=k)
                if not m.model_tried:
                    out[cid] += _i18n.tr("evidence.no_model", lang, pos=REGRESSION_MIN_POSITIVES,
                                         interviews=REGRESSION_MIN_INTERVIEWS)
        return out

    # -- persistence --------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the model (joblib) and its provenance (``<path>.json``) atomically."""
        import joblib

        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        state = {"version": VERSION, "semantic_weight": self.semantic_weight, "models": {c: m.__dict__ for c, m in self.models.items()},
                 "protos": self.protos, "clf": self.clf, "semantic": {"model": self.semantic.model, "window": self.semantic.window,
                                                     "french_model": self.semantic.french_model,
                                                     "meaning_model": self.semantic.meaning_model},
                 "codebook_version": self.codebook_version, "question_fill": self.question_fill,
                 "provenance": self.provenance.__dict__ if self.provenance else None}
        from .._files import atomic_write, atomic_write_text

        atomic_write(p, lambda tmp: joblib.dump(state, tmp), respect_locks=False)
        side = p.with_name(p.name + ".json")
        atomic_write_text(side, json.dumps(state["provenance"] | {"codes": {c: {k: v for k, v in m.__dict__.items()
                                                                        if k in ("positives", "negatives", "threshold", "cv_kappa")}
                                                                    for c, m in self.models.items()}},
                                   indent=2, ensure_ascii=False), respect_locks=False)
        return p

    def load(self, path: str | Path, cache: str | bool | None = None) -> None:
        """Read a model saved by :meth:`save`; ``cache``: the embedding cache to use with it."""
        import joblib

        p = Path(path)
        if not p.exists():
            raise CoderError(f"{p}: no trained model here; run `qualcode train` first or point model= at it")
        try:
            state = joblib.load(p)
        except Exception as exc:  # noqa: BLE001 - a corrupt or foreign file
            raise CoderError(f"{p}: not a qualcode model ({exc}); train again with `qualcode train`") from None
        if not isinstance(state, dict) or "models" not in state:
            raise CoderError(f"{p}: not a qualcode model; train again with `qualcode train`")
        if state.get("version") != VERSION:
            raise CoderError(f"{p}: model trained by an older qualcode (format {state.get('version')}, "
                             f"now {VERSION}); train it again with `qualcode train`")
        self.models = {c: CodeModel(**m) for c, m in state["models"].items()}
        self.clf = state.get("clf") or {}
        self.semantic_weight = float(state.get("semantic_weight", SEMANTIC_WEIGHT))
        self.protos = state.get("protos") or {}
        sem = state.get("semantic") or {}
        self.semantic = SemanticCoder(model=sem.get("model", "auto"), window=sem.get("window", 2),
                                      french_model=sem.get("french_model", "use"), cache=cache,
                                      # the model it learned with, installed or not (a clear error if not)
                                      meaning_model=sem.get("meaning_model"))
        self.codebook_version = state.get("codebook_version", "")
        self.question_fill = state.get("question_fill")
        prov = state.get("provenance")
        self.provenance = Provenance(**prov) if prov else None


CODEBOOK_SOURCE = "\x00codebook"  # source id of the codebook's own texts: never an interview's


def _asked(segments: Sequence[Segment]) -> np.ndarray:
    """Which segments come with the interviewer's question."""
    return np.array([bool(s.question and s.question.strip()) for s in segments], bool)


def _mean_rows(W: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """One L2-normalised vector per segment: the mean of its windows' rows."""
    V = np.add.reduceat(W, bounds[:-1], axis=0) if len(W) else np.zeros((len(bounds) - 1, 1), np.float32)
    n = np.linalg.norm(V, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (V / n).astype(np.float32)


def _sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _fit_rows(V: np.ndarray, rows: np.ndarray, y: np.ndarray, Xb: np.ndarray, yb: np.ndarray,
              wb: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The classifier on answers ``rows`` plus the codebook rows (``Xb``, ``yb``, weights ``wb``)."""
    if not len(Xb):
        return _logreg(V[rows], y[rows], np.ones(len(rows)))
    return _logreg(np.vstack([V[rows], Xb]), np.concatenate([y[rows], yb]),
                   np.concatenate([np.ones(len(rows)), wb]))


def _logreg(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float] | None:
    """A balanced, regularised logistic regression: (coef, intercept), None without both classes."""
    from sklearn.linear_model import LogisticRegression

    if y.sum() < 1 or (~y.astype(bool)).sum() < 1:
        return None
    lr = LogisticRegression(C=CLF_C, class_weight="balanced", max_iter=500)
    lr.fit(X, y.astype(int), sample_weight=w)
    return lr.coef_[0].astype(np.float32), float(lr.intercept_[0])


def _fit_code(X: np.ndarray, y: np.ndarray, groups: np.ndarray, default_threshold: float) -> CodeModel:
    """The best of three rules for one code, by kappa on interviews held out in turn.

    - ``zero-shot``: the ensemble's confidence at the codebook's threshold (nothing learned),
    - ``tuned``: the same confidence at a threshold learned from the decisions,
    - ``regression``: a logistic regression on all cues, with a learned threshold.
    Few positives make learned thresholds and weights fragile, so a rule with more parameters
    is kept only when it beats the simpler one by ``LR_MARGIN`` on held-out interviews, and the
    regression is not even tried below :data:`REGRESSION_MIN_POSITIVES` positives or when they
    come from fewer than :data:`REGRESSION_MIN_INTERVIEWS` interviews.
    """
    from sklearn.linear_model import LogisticRegression

    from ..stats import binary_kappa as cohen_kappa

    def kappa(p: np.ndarray) -> float:
        tp, fp, fn = int((p & y).sum()), int((p & ~y).sum()), int((~p & y).sum())
        return cohen_kappa(tp, fp, fn, len(y) - tp - fp - fn)

    zs = X[:, 0]
    pos, neg = int(y.sum()), int((~y).sum())
    k_zero = kappa(zs >= default_threshold)
    best = CodeModel("zero-shot", [], [], [], 0.0, default_threshold, pos, neg, round(k_zero, 4))
    folds = _folds(groups)
    if folds is None:
        return best
    # tuned threshold, chosen on the other interviews each time
    held = np.zeros(len(y), bool)
    for tr, te in folds:
        held[te] = zs[te] >= best_threshold(zs[tr], y[tr])
    tuned = held
    if _wins(tuned, zs >= default_threshold, y, groups):
        best = CodeModel("tuned", [], [], [], 0.0, best_threshold(zs, y), pos, neg, round(kappa(tuned), 4))
    if pos < REGRESSION_MIN_POSITIVES or len(set(groups[y].tolist())) < REGRESSION_MIN_INTERVIEWS:
        best.model_tried = False  # too few to fit nine weights, or to check them on interviews left out
        return best
    cv = _cv_probs(X, y, folds)
    held = np.zeros(len(y), bool)
    for tr, te in folds:
        held[te] = cv[te] >= best_threshold(cv[tr], y[tr])
    simpler = tuned if best.kind == "tuned" else zs >= default_threshold
    if _wins(held, simpler, y, groups):
        mean, scale = X.mean(0), X.std(0) + 1e-6
        lr = LogisticRegression(C=0.5, max_iter=1000).fit((X - mean) / scale, y.astype(int))
        best = CodeModel("regression", mean.tolist(), scale.tolist(), lr.coef_[0].tolist(),
                         float(lr.intercept_[0]), best_threshold(cv, y), pos, neg, round(kappa(held), 4))
    return best


def _wins(new: np.ndarray, old: np.ndarray, y: np.ndarray, groups: np.ndarray) -> bool:
    """Whether held-out predictions ``new`` beat ``old`` surely enough to replace them.

    A difference of kappa measured on a few dozen interviews is mostly noise when a code has
    few positives, and a learned rule that wins by chance makes new interviews worse. So the
    new rule must win by :data:`LR_MARGIN` overall *and* in :data:`SURE` of the resamples of
    the interviews (paired bootstrap, fixed seed: the same decisions train the same model).
    """
    from ..stats import binary_kappa

    def counts(p: np.ndarray) -> np.ndarray:  # per interview: tp, fp, fn, tn
        return np.stack([np.bincount(inv, (p & y).astype(float), n), np.bincount(inv, (p & ~y).astype(float), n),
                         np.bincount(inv, (~p & y).astype(float), n), np.bincount(inv, (~p & ~y).astype(float), n)], 1)

    def kappa(c: np.ndarray) -> float:
        k = binary_kappa(*(int(x) for x in c))
        return 0.0 if k != k else k  # undefined (nobody applies the code): no agreement to claim

    _, inv = np.unique(groups, return_inverse=True)
    n = int(inv.max()) + 1
    cn, co = counts(new), counts(old)
    if kappa(cn.sum(0)) < kappa(co.sum(0)) + LR_MARGIN:
        return False
    rng = np.random.default_rng(0)
    draws = rng.integers(0, n, size=(DRAWS, n))
    wins = sum(kappa(cn[d].sum(0)) > kappa(co[d].sum(0)) for d in draws)
    return wins >= SURE * DRAWS


def _folds(groups: np.ndarray, n: int = 5) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Folds that keep each interview whole; None when there are too few interviews."""
    from sklearn.model_selection import GroupKFold

    n_groups = len(set(groups))
    if n_groups < 3:
        return None
    return list(GroupKFold(n_splits=min(n, n_groups)).split(groups, groups, groups))


def _cv_probs(X: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold probabilities of a logistic regression on standardised cues."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros(len(y), np.float64)
    for tr, te in folds:
        if y[tr].sum() < 1 or (~y[tr]).sum() < 1:
            out[te] = y[tr].mean()
            continue
        mean, scale = X[tr].mean(0), X[tr].std(0) + 1e-6
        lr = LogisticRegression(C=0.5, max_iter=1000).fit((X[tr] - mean) / scale, y[tr].astype(int))
        out[te] = lr.predict_proba((X[te] - mean) / scale)[:, 1]
    return out


def _asdict_short(p: Provenance) -> dict[str, Any]:
    return {k: v for k, v in p.__dict__.items() if k != "history"}


def store_training_set(store: Store, codebook: Codebook) -> tuple[list[Segment], list[set[str]]]:
    """Segments a human reviewed, with the codes they carry after review.

    A segment counts as reviewed when it has at least one human decision. Its labels are the
    latest state of every code (:meth:`Store.effective`): a decision where a human made one,
    else the machine proposal the reviewer saw and left as it was.
    """
    from ..store import ADJUDICATOR, REVIEWER, settle

    humans = store.human_codings(roles=(REVIEWER, ADJUDICATOR))  # re-attaching is a full pass: once
    reviewed = {c.segment_id for c in humans if c.role == REVIEWER}
    if not reviewed:
        return [], []
    state = settle(store.machine_codings(), humans)  # what Store.effective() settles
    segs = [s for s in store.segments() if s.id in reviewed]
    labels = [{cid for cid in codebook.ids if (st := state.get((s.id, cid))) is not None and st.applied}
              for s in segs]
    return segs, labels


def train(codebook: Codebook, *, store: Store | None = None, gold: Sequence[str | Path] = (),
          model_path: str | Path | None = None, language: str | None = None, semantic_model: str = "auto",
          progress: Progress | None = None) -> tuple[LearningCoder, Path | None]:
    """Fit (or refit, as a new round) a learning model on a project's reviewed segments and/or
    gold files; save it to ``model_path`` when given. Returns the coder and the saved path."""
    from .gold import check_codes, gold_segments, load_gold

    segs: list[Segment] = []
    labels: list[set[str]] = []
    sources: list[str] = []
    if store is not None:
        s, lab = store_training_set(store, codebook)
        segs += s
        labels += lab
        sources.append(f"store:{store.path} ({len(s)} reviewed segments)")
    for g in gold:
        units = load_gold(g)
        check_codes(units, codebook, str(g))
        segs += gold_segments(units, language)
        labels += [set(u.codes) for u in units]
        sources.append(f"gold:{g} ({len(units)} units)")
    coder = LearningCoder(semantic_model=semantic_model)
    if model_path is not None and Path(model_path).exists():
        coder.load(model_path)  # keeps the round counter and history: a new round
    if not segs:
        raise CoderError("nothing to learn from: no reviewed segment in the project and no gold file; "
                         "review a workbook (qualcode review import) or give a gold file")
    coder.fit(segs, labels, codebook, progress, sources)
    saved = coder.save(model_path) if model_path is not None else None
    return coder, saved
