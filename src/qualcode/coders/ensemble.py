"""Ensemble coder: lexicon, semantic and (once trained) learning coders vote; the workbook
shows the combined proposal and each coding keeps who voted what and why.

Zero-shot (no human decisions yet), a code's confidence is the noisy-or of the lexicon's
confidence and the semantic coder's, the latter damped by ``semantic_weight``: explicit
words are strong evidence, a paraphrase alone must be close to be proposed. Once a learning
model exists (``qualcode train`` writes ``<project>.model.joblib`` beside the database, and
the project passes it explicitly as ``learned``; or ``fit`` is called), codes it learned take its calibrated probability and threshold, which
already weigh the lexicon and semantic cues as the reviewers' decisions taught.

:func:`review_priority` orders segments for review: least certain first (a confidence near
its threshold, or coders that disagree), which is what both a reviewer's hour and the
learning coder gain most from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from .._i18n import shorten
from ..codebook import Codebook
from ..errors import ConfigError
from ..model import Proposal, Segment
from ._labels import lexicon_evidence, semantic_evidence
from .base import Progress, noisy_or
from .learning import SEMANTIC_WEIGHT, LearningCoder
from .lexicon import LexiconCoder
from .semantic import SemanticCoder

VERSION = "1.1"


def model_path_for(db: str | Path) -> Path:
    """Where ``qualcode train`` saves the learned model of a project: beside its database."""
    p = Path(db)
    return p.with_name(p.stem + ".model.joblib")


class EnsembleCoder:
    """Combines the lexicon, semantic and learning coders (see module docstring)."""

    name = "ensemble"

    def __init__(self, semantic_model: str = "auto", semantic_weight: float = SEMANTIC_WEIGHT,
                 learned: str | None = None, nlp_mode: str = "auto", spacy_model: str | None = None,
                 margin: float | None = None, use_semantic: bool = True, cache: str | bool | None = None,
                 borrow: bool = True):
        """``learned``: a model file from ``qualcode train`` (the project's, beside its database:
        :func:`model_path_for`), or None for zero-shot. Never looked up in the current folder:
        what codes a project must not depend on where the command runs from.
        ``cache``: the embedding cache file (a project's: ``embed.project_cache_path``).
        ``borrow``: False keeps a thin lexicon's written cues alone (see :class:`LexiconCoder`)."""
        if learned == "auto":
            raise ConfigError("learned='auto' is no longer read from the current folder; give the model "
                              "file (qualcode train saves it beside the project database)")
        self.lexicon = LexiconCoder(nlp_mode=nlp_mode, spacy_model=spacy_model, borrow=borrow)
        self.semantic = SemanticCoder(model=semantic_model, margin=margin, cache=cache)
        self.semantic_weight = float(semantic_weight)
        self.use_semantic = bool(use_semantic)
        self.learner = LearningCoder(lexicon=self.lexicon, semantic=self.semantic,
                                     semantic_weight=self.semantic_weight)
        if learned:
            self.learner.load(Path(learned), cache=cache)
            self.semantic = self.learner.semantic
            self.learner.lexicon = self.lexicon
            self.semantic_weight = self.learner.semantic_weight

    @property
    def version(self) -> str:
        learned = self.learner.version if self.learner.trained else "zero-shot"
        sem = self.semantic.version if self.use_semantic else "none"
        return (f"ensemble-{VERSION}/sw={self.semantic_weight}/{self.lexicon.version}/{sem}/{learned}")

    def fit(self, segments: Sequence[Segment], labels: Sequence[set[str]], codebook: Codebook,
            progress: Progress | None = None, sources: Sequence[str] = ()) -> None:
        """Teach the learning part from human-coded segments (see :class:`LearningCoder`)."""
        self.learner.fit(segments, labels, codebook, progress, sources)

    def learned_rules(self, codebook: Codebook) -> dict[str, dict[str, object]]:
        return self.learner.learned_rules(codebook) if self.learner.trained else {}

    def learned_summary(self, codebook: Codebook, lang: str | None = None) -> dict[str, str]:
        """Per code: what the learning part learned it from (see :class:`LearningCoder`)."""
        return self.learner.learned_summary(codebook, lang) if self.learner.trained else {}

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        ids = codebook.ids
        lex = self.lexicon.code(segments, codebook, progress)
        sem = self.semantic.scores(segments, codebook, progress) if self.use_semantic else None
        sem_props = _semantic_props(self.semantic, sem, codebook) if sem is not None else None
        learned = None
        if self.learner.trained and sem is not None:
            learned = self.learner.probabilities(segments, codebook, lex, sem)
        # Codes no lexicon cue can speak for in a segment's language (a codebook written in
        # English coding French answers) take the semantic coder's own proposal: damped next to
        # a lexicon that never votes, it could never apply them.
        langs = [s.language for s in segments]
        silent = {lg: self.lexicon.silent_codes(codebook, lg) for lg in set(langs)} if sem is not None else {}
        alone = self.semantic.standalone(sem, codebook) if any(silent.values()) else None
        lang = codebook.language  # evidence speaks the project's language
        out: list[list[Proposal]] = []
        for i in range(len(segments)):
            by_code = {p.code_id: p for p in lex[i]}
            props = []
            for j, cid in enumerate(ids):
                lp = by_code.get(cid)
                lconf = lp.confidence if lp else 0.0
                votes = {"lexicon": round(lconf, 4)}
                evidence = [lexicon_evidence(lp.evidence, segments[i].text, lang)] if lp and lp.evidence else []
                sconf = 0.0
                if sem_props is not None:
                    sp = sem_props[i][j]
                    sconf = sp.confidence
                    votes["semantic"] = round(sconf, 4)
                    if sconf >= 0.5 or (learned is not None and learned[1][j]) or (
                            not evidence and sconf * self.semantic_weight >= 0.25):
                        win, kind, proto = sem.evidence[i][j]  # type: ignore[union-attr]
                        evidence.append(semantic_evidence(win, kind, proto, lang))
                if learned is not None and learned[1][j]:
                    m = self.learner.models[cid]
                    conf = float(learned[0][i, j])
                    votes["learning"] = round(conf, 4)
                    applied = conf >= m.threshold
                    if applied:
                        evidence.extend(self.learner.explain(cid, lang))
                    # confidence shown relative to the learned threshold, so 0.5 means "on the fence"
                    conf = _rescale(conf, m.threshold)
                elif alone is not None and cid in silent[langs[i]]:
                    conf, applied = float(alone[0][i, j]), bool(alone[1][i, j])
                    if applied and not evidence:
                        win, kind, proto = sem.evidence[i][j]  # type: ignore[union-attr]
                        evidence.append(semantic_evidence(win, kind, proto, lang))
                else:
                    conf = noisy_or([lconf, self.semantic_weight * sconf])
                    applied = conf >= codebook.code(cid).threshold
                if conf < 0.05 and not applied and not evidence:
                    continue
                props.append(Proposal(cid, applied, round(conf, 4), evidence, votes))
            out.append(props)
        return out


def _semantic_props(coder: SemanticCoder, sem: object, codebook: Codebook) -> list[list[Proposal]]:
    """The semantic coder's own proposals from already computed scores (no re-embedding)."""
    X = coder.combined(sem)  # type: ignore[arg-type]
    out = []
    for i in range(X.shape[0]):
        row = []
        for j, cid in enumerate(sem.codes):  # type: ignore[attr-defined]
            conf = coder.confidence(cid, float(X[i, j]), codebook)
            win, kind, proto = sem.evidence[i][j]  # type: ignore[attr-defined]
            ev = [f"«{shorten(win)}» ~ {kind}: {shorten(proto, 90)}"]
            row.append(Proposal(cid, conf >= 0.5, conf, ev, {"semantic": conf}))
        out.append(row)
    return out


def _rescale(p: float, t: float) -> float:
    """Map a probability so that the threshold ``t`` lands on 0.5 (monotone, keeps 0 and 1)."""
    t = min(max(t, 1e-6), 1 - 1e-6)
    return 0.5 * p / t if p < t else 0.5 + 0.5 * (p - t) / (1 - t)



def review_priority(segments: Sequence[Segment], proposals: Sequence[Sequence[Proposal]],
                    thresholds: dict[str, float] | None = None) -> list[float]:
    """A priority per segment for review, higher first: uncertain proposals and split votes.

    For each code a segment has a proposal on, uncertainty is 1 when the confidence sits on
    its threshold (0.5 unless ``thresholds`` says otherwise) and falls to 0 at 0 or 1;
    disagreement is the spread of the coders' votes. A segment's priority is its largest
    code uncertainty plus half its largest disagreement, so a segment where the lexicon says
    yes and the semantic coder says no comes before one both are sure about.
    """
    thresholds = thresholds or {}
    out = []
    for _seg, props in zip(segments, proposals, strict=True):
        best = 0.0
        for p in props:
            t = thresholds.get(p.code_id, 0.5)
            dist = abs(p.confidence - t) / max(t, 1 - t)
            unc = 1.0 - min(1.0, dist)
            votes = list(p.votes.values())
            spread = (max(votes) - min(votes)) if len(votes) > 1 else 0.0
            best = max(best, unc + 0.5 * spread)
        out.append(round(best if not math.isnan(best) else 0.0, 4))
    return out
