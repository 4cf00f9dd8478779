"""Lemma-aware lexicon coder: transparent, fast, and the baseline every other coder must beat.

Each lexicon entry of the codebook is lemmatised with the same pipeline as the segments, so
"données sensibles" matches "donnée sensible" and "replaced" matches "replace" (but a word
whose lemma is another word, "AI" → "have", matches only as written: :func:`_regular`). A token
matches a pattern word when its lemma or its lowercase form equals the word's lemma or form;
a trailing ``*`` matches any word starting with the stem. ``all:`` entries need every group
within ``window`` tokens of the first group's occurrence, each group on words of its own. A
code's confidence is the noisy-or of its matched entries' weights; it applies at the code's
threshold. Evidence lists the words that matched, as they appear in the segment.

A cue that also fires in the definitions, rules and examples of *other* codes is generic
("AI", "my team") rather than a sign of this theme: its weight is divided by one plus the
number of other codes it fires in, beyond the first (:data:`SPREAD_FREE`). This comes from
the codebook alone, so it holds for any codebook, tuned or not.

A code with a thin lexicon in a language (none, or a few entries) also borrows weak entries
from the words of its own definition, include rules and examples (:mod:`._derived`): a
codebook written without a full lexicon still gets explicit, quotable evidence.

An answer means something with its question: "I'm not too worried, it will only take over
the admin" answers "Could AI take over your work?". When the interviewer's question itself
carries a code's cues (confidence :data:`QUESTION_MIN`), the answer's own cues of that code
are lifted by :data:`QUESTION_LIFT`. The question never codes on its own: an answer needs a
cue of the code worth :data:`ANSWER_MIN` of its own (a stray weak word such as "experience"
is not lifted), so the interviewer's words never code an answer that says nothing. A code the
answer already applies is left as it is.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .._i18n import tr
from ..codebook import Codebook, LexiconEntry
from ..model import Proposal, Segment
from ..nlp import Analysis, Analyzer, fold, get_analyzer
from ._derived import derived_entries
from ._units import last_question
from .base import Progress, noisy_or

VERSION = "1.7"
SPREAD_FREE = 1  # a cue may also fire in one other code's texts (neighbouring themes) at full weight

QUESTION_MIN = 0.4  # a question this sure of a code is on the code's topic
QUESTION_LIFT = 0.3  # what such a question adds, noisy-or, to the answer's own cues of the code
ANSWER_MIN = 0.3  # the answer's own confidence a lift needs: one real cue, not a stray weak word

UNLESS = -1  # group index of an entry's ``unless`` alternatives

# A pattern is a tuple of token tests: ("w", {forms}) or ("p", prefix).
Pattern = tuple[tuple[str, object], ...]


@dataclass
class _Compiled:
    """Lexicon of one codebook in one language, indexed for a single pass over the tokens."""

    entries: list[tuple[str, LexiconEntry]] = field(default_factory=list)  # (code_id, entry)
    by_word: dict[str, list[tuple[int, int, Pattern]]] = field(default_factory=lambda: defaultdict(list))
    by_prefix: dict[str, list[tuple[int, int, Pattern]]] = field(default_factory=lambda: defaultdict(list))
    prefix_lengths: list[int] = field(default_factory=list)
    damping: dict[int, float] = field(default_factory=dict)  # id(entry) -> weight factor (generic cues)
    # entry index -> patterns of its ``unless`` alternatives: looked for only around a match,
    # never indexed ("with", "it" are in every answer)
    unless: dict[int, list[Pattern]] = field(default_factory=lambda: defaultdict(list))


class LexiconCoder:
    """Codes segments by matching the codebook's lexicon (see module docstring)."""

    name = "lexicon"

    def __init__(self, nlp_mode: str = "auto", spacy_model: str | None = None, borrow: bool = True):
        """``borrow``: codes with a thin lexicon also take cues from their own texts
        (:mod:`._derived`); False keeps the written lexicon as the only cues."""
        self.nlp_mode = nlp_mode
        self.spacy_model = spacy_model
        self.borrow = bool(borrow)
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def analyzer(self, lang: str) -> Analyzer:
        return get_analyzer(lang, self.nlp_mode, self.spacy_model)

    @property
    def version(self) -> str:
        return (f"lexicon-{VERSION}/nlp={self.nlp_mode}" + (f"/{self.spacy_model}" if self.spacy_model else "")
                + ("" if self.borrow else "/borrow=0"))

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        out: list[list[Proposal]] = [[] for _ in segments]
        by_lang: dict[str, list[int]] = defaultdict(list)
        for i, seg in enumerate(segments):
            by_lang[codebook.language_of(seg.language)].append(i)
        done = 0
        for lang, idx in by_lang.items():
            comp = self._compile(codebook, lang)
            keys = {i: (codebook.version, lang, self.nlp_mode, self.spacy_model, self.borrow, segments[i].text)
                    for i in idx}
            for i in idx:
                hit = _MEMO.get(keys[i])
                if hit is not None:
                    out[i] = [_copy(p) for p in hit]
                    done += 1
            todo = [i for i in idx if keys[i] not in _MEMO]
            analyses = self.analyzer(lang).analyze(segments[i].text for i in todo)
            for i, an in zip(todo, analyses):
                out[i] = self._score(comp, an, segments[i].text, codebook)
                _remember(keys[i], out[i])
                done += 1
                if progress and done % 500 == 0:
                    progress(done, len(segments), "lexicon")
            self._lift_by_question(comp, [(segments[i], out[i]) for i in idx], codebook, lang)
        if progress:
            progress(len(segments), len(segments), "lexicon")
        return out

    def silent_codes(self, codebook: Codebook, lang: str | None) -> set[str]:
        """Codes with no cue at all for segments in ``lang``, written or borrowed: this coder
        can never propose them (a codebook written in English coding French answers)."""
        comp = self._compile(codebook, codebook.language_of(lang))
        return set(codebook.ids) - {cid for cid, _ in comp.entries}

    def matches(self, text: str, codebook: Codebook, lang: str) -> dict[str, list[tuple[LexiconEntry, str]]]:
        """Which entries of which codes match ``text``: code -> [(entry, matched words)]."""
        comp = self._compile(codebook, lang)
        return self._match(comp, self.analyzer(lang).analyze_one(text), text)

    # -- internals -------------------------------------------------------------------------

    def _lift_by_question(self, comp: _Compiled, items: list[tuple[Segment, list[Proposal]]],
                          codebook: Codebook, lang: str) -> None:
        """Lift, in place, the codes an answer has cues of when its question is on their topic.
        Only a code the lift can decide is lifted (a cue of ANSWER_MIN, still under the code's
        threshold), and only the questions of answers that have one are read: the cost stays
        with the few answers a question can change."""
        lifts = []  # (question, the proposals it may lift)
        for seg, props in items:
            props = [p for p in props if ANSWER_MIN <= p.confidence < codebook.code(p.code_id).threshold]
            if props and seg.question and (q := last_question(seg.question)):
                lifts.append((q, props))
        # the question's words are analysed like the answers': the same key parts as _MEMO's
        key = (codebook.version, lang, self.nlp_mode, self.spacy_model)
        topics_of = {q: _QUESTIONS[(*key, q)] for q, _ in lifts if (*key, q) in _QUESTIONS}
        new = list(dict.fromkeys(q for q, _ in lifts if q not in topics_of))
        for q, an in zip(new, self.analyzer(lang).analyze(new), strict=True):
            topics = {}
            for code_id, hits in self._match(comp, an, q).items():
                hits = [(e, words) for e, words in hits if not e.derived]  # written cues only: a
                # borrowed word in a question is too weak a sign of its topic (stripped codebook: worse)
                if hits and _confidence(comp, hits) >= QUESTION_MIN:
                    topics[code_id] = ", ".join(words for _, words in hits)
            topics_of[q] = _QUESTIONS[(*key, q)] = topics
            if len(_QUESTIONS) > MEMO_SIZE:
                _QUESTIONS.popitem(last=False)
        for q, props in lifts:
            topics = topics_of[q]
            for p in props:
                if p.code_id in topics:
                    p.confidence = round(noisy_or([p.confidence, QUESTION_LIFT]), 4)
                    p.applied = p.confidence >= codebook.code(p.code_id).threshold
                    p.evidence.append(tr("evidence.question", codebook.language, words=topics[p.code_id]))
                    p.votes[self.name] = p.confidence

    def _score(self, comp: _Compiled, an: Analysis, text: str, codebook: Codebook) -> list[Proposal]:
        props = []
        for code_id, hits in self._match(comp, an, text).items():
            conf = _confidence(comp, hits)
            evidence = [_cite(words, e, codebook.language) for e, words in hits]
            props.append(Proposal(code_id, conf >= codebook.code(code_id).threshold, round(conf, 4),
                                  evidence, {self.name: round(conf, 4)}))
        return props

    def _spread(self, comp: _Compiled, codebook: Codebook, lang: str) -> dict[int, float]:
        """Weight factor of each entry that fires in the texts of more than SPREAD_FREE other codes."""
        fired: dict[int, set[str]] = defaultdict(set)
        owners = {id(e): cid for cid, e in comp.entries}
        for code in codebook.codes:
            texts = _code_texts(code, lang)
            for text, an in zip(texts, self.analyzer(lang).analyze(texts), strict=True):
                for cid, hits in self._match(comp, an, text).items():
                    if cid != code.id:
                        for e, _ in hits:
                            fired[id(e)].add(code.id)
        out = {}
        for eid, codes in fired.items():
            others = len(codes - {owners.get(eid)})
            if others > SPREAD_FREE:
                out[eid] = 1.0 / (1 + others - SPREAD_FREE)
        return out

    def _match(self, comp: _Compiled, an: Analysis, text: str) -> dict[str, list[tuple[LexiconEntry, str]]]:
        # occurrences[entry][group] -> list of (first token, last token)
        occ: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        lower, lemma = an.lower, an.lemma
        n = len(lower)
        for i in range(n):
            cands = comp.by_word.get(lower[i], ())
            if lemma[i] != lower[i]:
                cands = [*cands, *comp.by_word.get(lemma[i], ())]
            for plen in comp.prefix_lengths:
                if len(lower[i]) >= plen:
                    cands = [*cands, *comp.by_prefix.get(lower[i][:plen], ())]
            for ei, gi, pat in cands:
                j = _match_at(pat, lower, lemma, i)
                if j is not None:
                    occ[ei][gi].append((i, j))
        result: dict[str, list[tuple[LexiconEntry, str]]] = defaultdict(list)
        for ei, groups in occ.items():
            code_id, entry = comp.entries[ei]
            span = _satisfy(entry, groups)
            if span is not None and not (ei in comp.unless and _cancelled(comp.unless[ei], entry.window, span, an)):
                first, last = an.start[span[0][0]], an.end[span[-1][1]]
                words = (text[first:last] if last - first <= 80
                         else " … ".join(text[an.start[a]:an.end[b]] for a, b in span))
                result[code_id].append((entry, words))
        return result

    def _compile(self, codebook: Codebook, lang: str) -> _Compiled:
        key = (codebook.version, lang)
        if key in self._compiled:
            return self._compiled[key]
        comp = _Compiled()
        analyzer = self.analyzer(lang)
        derived = derived_entries(codebook, lang, analyzer) if self.borrow else {}
        alts = [(code.id, entry, gi, alt) for code in codebook.codes
                for entry in (*code.lexicon.get(lang, ()), *derived.get(code.id, ()))
                for gi, group in [*enumerate(entry.all), (UNLESS, entry.unless)] for alt in group]
        # One batched pass of the pipeline over every alternative (one call each is 100x slower).
        analyses = analyzer.analyze([_mark_wildcards(a[3]) for a in alts], batch_size=512)
        index: dict[int, int] = {}
        for (code_id, entry, gi, _alt), an in zip(alts, analyses):
            if id(entry) not in index:
                index[id(entry)] = len(comp.entries)
                comp.entries.append((code_id, entry))
            ei = index[id(entry)]
            pat = _pattern(an)
            if not pat:
                continue
            if gi == UNLESS:
                comp.unless[ei].append(pat)
                continue
            kind, val = pat[0]
            if kind == "w":
                for form in val:  # type: ignore[union-attr]
                    comp.by_word[form].append((ei, gi, pat))
            else:
                comp.by_prefix[val].append((ei, gi, pat))  # type: ignore[index]
        comp.prefix_lengths = sorted({len(p) for p in comp.by_prefix})
        comp.damping = self._spread(comp, codebook, lang)
        self._compiled[key] = comp
        return comp


# Proposals of recently coded texts: cross-validation and learning curves code the same
# answers dozens of times, and the pipeline is the slow part. Bounded, so memory stays flat.
_MEMO: OrderedDict[tuple, list[Proposal]] = OrderedDict()
MEMO_SIZE = 20000
# (codebook, lang, nlp mode, spaCy model, question) -> code: words
_QUESTIONS: OrderedDict[tuple, dict[str, str]] = OrderedDict()


def _confidence(comp: _Compiled, hits: list[tuple[LexiconEntry, str]]) -> float:
    """Noisy-or of the matched entries' weights, generic cues damped (:meth:`LexiconCoder._spread`)."""
    return noisy_or([e.weight * comp.damping.get(id(e), 1.0) for e, _ in hits])


def _remember(key: tuple, props: list[Proposal]) -> None:
    _MEMO[key] = [_copy(p) for p in props]
    if len(_MEMO) > MEMO_SIZE:
        _MEMO.popitem(last=False)


def _copy(p: Proposal) -> Proposal:
    return Proposal(p.code_id, p.applied, p.confidence, list(p.evidence), dict(p.votes))


def _code_texts(code: object, lang: str) -> list[str]:
    """A code's own positive texts (definition, include rules, examples) in ``lang``."""
    texts = [code.text("definition", lang)]  # type: ignore[attr-defined]
    texts += list(code.text("include", lang)) + list(code.text("examples", lang))  # type: ignore[attr-defined]
    return [t for t in texts if t]


def _cite(words: str, entry: LexiconEntry, lang: str) -> str:
    """The matched words, with the entry when it says more and stays short; a cue borrowed
    from the code's own texts says so, so that nobody looks for it in the lexicon."""
    if entry.derived:
        return tr("evidence.derived_word", lang, words=words)
    if fold(words) == fold(entry.source) or len(entry.source) > 40:
        return words
    return f"{words} ({entry.source})"


def _mark_wildcards(alt: str) -> str:
    return alt.replace("*", " QQWILDCARDQQ ")


def _pattern(an: Analysis) -> Pattern:
    """Token tests from a lexicon alternative's analysis (see :func:`_mark_wildcards`)."""
    tests: list[tuple[str, object]] = []
    toks = list(zip(an.lower, an.lemma))
    k = 0
    while k < len(toks):
        low, lem = toks[k]
        if k + 1 < len(toks) and toks[k + 1][0] == "qqwildcardqq":
            tests.append(("p", low))
            k += 2
            continue
        if low == "qqwildcardqq":  # a lone "*": ignore
            k += 1
            continue
        tests.append(("w", frozenset({low, lem} if _regular(low, lem) else {low})))
        k += 1
    return tuple(tests)


def _regular(form: str, lemma: str) -> bool:
    """Whether a pattern word may match through its lemma: only when the lemma is a form of the
    same word. Lookup tables map "AI" to "have" (from "ai n't"), "été" to "être", "less" to
    "little": through such lemmas "AI" matched every "have" and "été" every "est". Irregular
    forms that are meant ("took", "taught") are listed beside their lemma in the lexicon."""
    return form == lemma or form[:2] == lemma[:2]


def _match_at(pat: Pattern, lower: list[str], lemma: list[str], i: int) -> int | None:
    """Index of the last token if ``pat`` matches at ``i``, else None."""
    if i + len(pat) > len(lower):
        return None
    for k, (kind, val) in enumerate(pat):
        lo, le = lower[i + k], lemma[i + k]
        if kind == "w":
            if lo not in val and le not in val:  # type: ignore[operator]
                return None
        elif not lo.startswith(val):  # type: ignore[arg-type]
            return None
    return i + len(pat) - 1


def _cancelled(vetoes: list[Pattern], window: int, span: list[tuple[int, int]], an: Analysis) -> bool:
    """Whether an ``unless`` alternative occurs within ``window`` tokens of the match."""
    lo, hi = max(0, span[0][0] - window), min(len(an.lower) - 1, span[-1][1] + window)
    back = max(len(p) for p in vetoes) - 1  # an alternative may start before the window and end in it
    for i in range(max(0, lo - back), hi + 1):
        for pat in vetoes:
            j = _match_at(pat, an.lower, an.lemma, i)
            if j is not None and (lo <= i <= hi or lo <= j <= hi):
                return True
    return False


def _satisfy(entry: LexiconEntry, groups: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]] | None:
    """Spans that satisfy the entry: every group within ``window`` tokens of a group-0 anchor,
    each on words of its own. Without that, a word listed in two groups ("un responsable" and
    "responsable") would satisfy a two-word cue alone."""
    if len(groups) < len(entry.all):
        return None
    if len(entry.all) == 1:
        return [groups[0][0]]
    for anchor in groups[0]:
        chosen = [anchor]
        for gi in range(1, len(entry.all)):
            near = [s for s in groups[gi] if abs(s[0] - anchor[0]) <= entry.window
                    and not any(s[0] <= c[1] and c[0] <= s[1] for c in chosen)]
            if not near:
                break
            chosen.append(min(near, key=lambda s: abs(s[0] - anchor[0])))
        else:
            return sorted(chosen)
    return None
