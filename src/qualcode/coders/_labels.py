"""What coders say to a reviewer, in French and English (the codebook's language decides).

Evidence must read as an explanation to a researcher, not as a trace of the program: the
words that matched, the passage and the codebook text it is close to, or what the learned
model leaned on, without English jargon in a French project.
"""

from __future__ import annotations

from .._i18n import shorten, tr

# kinds of codebook text a passage can be close to (``evidence.<kind>`` labels)
_KINDS = ("definition", "label", "include", "example", "exclude", "counter-example")


def lexicon_evidence(cited: list[str], text: str, lang: str) -> str:
    """"lexicon words: a, b — in «the sentence of the first match»" (sentence when it says more)."""
    from ._units import sentences

    # Only words borrowed from the code's own texts: say so once, not "lexicon words" for each.
    suffix = tr("evidence.derived_word", lang, words="")
    if cited and all(c.endswith(suffix) for c in cited):
        cited = [c[:-len(suffix)] for c in cited]
        what = tr("evidence.own_words", lang, words="; ".join(cited))
    else:
        what = tr("evidence.lexicon", lang, words="; ".join(cited))
    first = cited[0].split(" (")[0].split(" … ")[0] if cited else ""
    at = text.find(first) if first else -1
    if at < 0:
        return what
    for a, b in sentences(text):
        if a <= at < b:
            sent = _around(text, a, b, at, len(first))
            return what if _fold_eq(sent, first) else tr("evidence.in_sentence", lang, what=what, sentence=sent)
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
    k = kind if kind in _KINDS else "definition"
    return tr("evidence.close_to", lang, kind=tr(f"evidence.{k}", lang), proto=shorten(proto, 90), window=shorten(window))


def _fold_eq(a: str, b: str) -> bool:
    return " ".join(a.lower().split()).strip(" .!?") == " ".join(b.lower().split()).strip(" .!?")


