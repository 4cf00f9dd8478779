"""The lazily compiled stand-in for spaCy's French token_match answers exactly as the real regex.

Expected answers come from the real thing: ``re.compile`` of spaCy's own pattern (7-8 s).
"""

from __future__ import annotations

import re

import pytest

from qualcode._fastre import LazyAlternation, patched_compile


@pytest.fixture(scope="module")
def patterns() -> tuple[re.Pattern[str], LazyAlternation]:
    with patched_compile():
        import spacy.lang.fr.tokenizer_exceptions as te
    pattern = te.TOKEN_MATCH.__self__.pattern
    return re.compile(pattern), LazyAlternation.build(pattern)


def _words() -> list[str]:
    from spacy.lang.fr._tokenizer_exceptions_list import FR_BASE_EXCEPTIONS

    words = set(FR_BASE_EXCEPTIONS)
    for w in list(FR_BASE_EXCEPTIONS)[::7]:
        words |= {w.upper(), w.capitalize(), w + "s", w.replace("-", "\u2011"),
                  w.replace("'", "\u2019"), "x" + w}
    for combo in ["les", "la", "en", "de", "des", "du", "sur", "sous", "aux", "à", "et", "près",
                  "saint", "lès"]:
        for a in ["arc", "Saint", "ÉTATS", "ſainte", "K", "ǅ", "12"]:
            words |= {f"{a}-{combo}-{b}" for b in ["ciel", "l'air", "l’eau", "Œuvre", "x", ""]}
    words |= {"peut-être", "c'est-à-dire", "est-ce", "l'IA", "aujourd'hui", "burn-out",
              "Burn-OUT", "e-mail", "re-faire", "anti-IA", "", "-", "'", "a--b", "€-€"}
    return sorted(words)


def test_same_answers_as_the_real_regex(patterns) -> None:
    real, lazy = patterns
    words = _words()
    assert len(words) > 20_000
    hits = [w for w in words if real.match(w)]
    assert len(hits) > 500  # the test exercises both answers
    assert [w for w in words if bool(lazy.match(w)) != bool(real.match(w))] == []


def test_the_french_pipeline_tokenizes_as_with_the_real_regex(patterns) -> None:
    from pathlib import Path

    from spacy.tokenizer import Tokenizer

    from qualcode.nlp import Analyzer

    real, _ = patterns
    nlp = Analyzer("fr").nlp
    tok = nlp.tokenizer
    assert isinstance(tok.token_match.__self__, LazyAlternation)  # the stand-in is in use
    reference = Tokenizer(nlp.vocab, rules=tok.rules, prefix_search=tok.prefix_search,
                          suffix_search=tok.suffix_search, infix_finditer=tok.infix_finditer,
                          token_match=real.match, url_match=tok.url_match)
    sample = Path(__file__).resolve().parents[1] / "transcripts"
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(sample.glob("*.txt")))
    text += "\nUn burn-out, c'est-à-dire l'épuisement ; des arcs-en-ciel et un e-mail."
    assert [t.text for t in tok(text)] == [t.text for t in reference(text)]


def test_only_the_alternatives_a_text_needs_are_compiled(patterns) -> None:
    _, lazy = patterns
    fresh = LazyAlternation.build(lazy.pattern)
    for w in ["Les", "managers", "disent", "que", "l'IA", "générative", "change", "leur", "travail"]:
        fresh.match(w)
    assert len(fresh._compiled) <= 3  # of 266


def test_other_patterns_are_left_to_re() -> None:
    assert LazyAlternation.build("(?iu)(?:^a$)|b") is None
    assert LazyAlternation.build("abc") is None
    with patched_compile():
        assert isinstance(re.compile("x" * 10), re.Pattern)
