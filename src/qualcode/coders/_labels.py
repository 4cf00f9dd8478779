"""What coders say to a reviewer, in French and English (the codebook's language decides).

Evidence must read as an explanation to a researcher, not as a trace of the program: the
words that matched, the passage and the codebook text it is close to, or what the learned
model leaned on, without English jargon in a French project.
"""

from __future__ import annotations

from .._i18n import localise

CATALOGUE: dict[str, dict[str, str]] = {
    "lexicon": {"fr": "mots du lexique : {words}", "en": "lexicon words: {words}"},
    "llm": {"fr": "selon le modèle de langue : {why}", "en": "language model: {why}"},
    "in_sentence": {"fr": "{what} — dans « {sentence} »", "en": "{what} — in “{sentence}”"},
    "close_to": {"fr": "proche {kind} de la grille : « {proto} » — passage « {window} »",
                 "en": "close to the codebook's {kind}: “{proto}” — passage “{window}”"},
    "learned_head": {"fr": "appris de {pos} codés / {neg} non codés",
                     "en": "learned from {pos} coded / {neg} not coded"},
    "learned_rule": {"fr": "{head} ; la règle de la grille tenait le mieux sur des entretiens mis de côté",
                     "en": "{head}; the codebook's rule held best on held-out interviews"},
    "learned_tuned": {"fr": "{head} ; seuil ajusté sur les décisions des relecteurs : {t}",
                      "en": "{head}; threshold tuned on the reviewers' decisions: {t}"},
    "learned_weights": {"fr": "{head} ; indices les plus forts : {cues}",
                        "en": "{head}; strongest cues: {cues}"},
    "few": {"fr": "{pos} codés : trop peu pour apprendre, règle de la grille (avec ses {ex} exemples)",
            "en": "{pos} coded: too few to learn, the codebook's rule (with its {ex} examples)"},
    "summary": {"fr": "appris de {pos} codés / {neg} non codés : {rule}, kappa {k} sur des entretiens mis de côté",
                "en": "learned from {pos} coded / {neg} not coded: {rule}, kappa {k} on held-out interviews"},
    # kinds of codebook text
    "definition": {"fr": "de la définition", "en": "definition"},
    "label": {"fr": "du libellé", "en": "label"},
    "include": {"fr": "d'une règle d'inclusion", "en": "include rule"},
    "example": {"fr": "d'un exemple", "en": "example"},
    "exclude": {"fr": "d'une règle d'exclusion", "en": "exclude rule"},
    "counter-example": {"fr": "d'un contre-exemple", "en": "counter-example"},
    # rules a learned code can follow
    "zero-shot": {"fr": "règle de la grille", "en": "codebook rule"},
    "tuned": {"fr": "règle de la grille, seuil ajusté", "en": "codebook rule, tuned threshold"},
    "regression": {"fr": "modèle appris", "en": "learned model"},
    # learned cues
    "f_zero_shot": {"fr": "règle de la grille", "en": "codebook rule"},
    "f_lexicon": {"fr": "mots du lexique", "en": "lexicon words"},
    "f_lexicon_hits": {"fr": "nombre de mots du lexique", "en": "number of lexicon words"},
    "f_semantic": {"fr": "proximité aux textes de la grille", "en": "closeness to the codebook's texts"},
    "f_semantic_top2": {"fr": "proximité de deux passages", "en": "closeness of two passages"},
    "f_question": {"fr": "sujet de la question", "en": "topic of the question"},
    "f_like_pos": {"fr": "ressemblance aux passages codés", "en": "likeness to coded passages"},
    "f_like_neg": {"fr": "ressemblance aux passages rejetés", "en": "likeness to rejected passages"},
    "f_embed_clf": {"fr": "sens appris des réponses revues", "en": "meaning learned from reviewed answers"},
}


def say(key: str, lang: str, **fmt: object) -> str:
    """``key`` in ``lang`` (French or English), formatted."""
    return localise(CATALOGUE, key, lang if lang in ("fr", "en") else "en", **fmt)


def lexicon_evidence(cited: list[str], text: str, lang: str) -> str:
    """"lexicon words: a, b — in «the sentence of the first match»" (sentence when it says more)."""
    from ._units import sentences

    what = say("lexicon", lang, words="; ".join(cited))
    first = cited[0].split(" (")[0].split(" … ")[0] if cited else ""
    at = text.find(first) if first else -1
    if at < 0:
        return what
    for a, b in sentences(text):
        if a <= at < b:
            sent = _around(text, a, b, at, len(first))
            return what if _fold_eq(sent, first) else say("in_sentence", lang, what=what, sentence=sent)
    return what


def _around(text: str, a: int, b: int, at: int, n: int, width: int = 160) -> str:
    """The sentence ``text[a:b]``, cut to about ``width`` characters around the match at ``at``."""
    if b - a <= width:
        return " ".join(text[a:b].split())
    lo = max(a, min(at - (width - n) // 2, b - width))
    hi = min(b, lo + width)
    while lo > a and not text[lo - 1].isspace():  # whole words only
        lo += 1
        if lo >= at:
            lo = at
            break
    while hi < b and not text[hi].isspace() and hi > at + n:
        hi -= 1
    body = " ".join(text[lo:hi].split())
    return ("… " if lo > a else "") + body + (" …" if hi < b else "")


def semantic_evidence(window: str, kind: str, proto: str, lang: str) -> str:
    """"close to the codebook's example: «...» — passage «...»"."""
    k = kind if kind in CATALOGUE else "definition"
    return say("close_to", lang, kind=say(k, lang), proto=_short(proto, 90), window=_short(window))


def _fold_eq(a: str, b: str) -> bool:
    return " ".join(a.lower().split()).strip(" .!?") == " ".join(b.lower().split()).strip(" .!?")


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 1] + "…"
