"""``unless:`` contexts cancel a lexicon entry: a word that is a sign of the theme in one
context and not in another ("relationship" with a client, not "relationship with AI").

What was seen (issue 9, precision on 90 answers of non-dev interviews): the interview's own
question ("how do you envision your relationship with AI?") made "relationship" code
DEHUMANIZATION, and "use AI to learn <a topic>" coded SELF_TRAINING, which the codebook
excludes ("using AI to learn something else").
"""

from __future__ import annotations

import pytest

from _coder_fixtures import seg
from qualcode import CodebookError, parse_codebook
from qualcode.coders.lexicon import LexiconCoder

YAML = """
name: unless
version: "1"
language: en
codes:
  - id: HUMAN
    label: Human relation
    lexicon:
      en:
        - {term: "relationship", weight: 0.6, window: 3, unless: "with AI|with it"}
  - id: LEARN
    label: Learning AI
    lexicon:
      en:
        - {all: ["learn|learned|learnt", "on my own|myself"], window: 6, weight: 0.6,
           unless: ["AI to learn", "use it to learn"]}
"""


def _applied(text: str) -> set[str]:
    cb = parse_codebook(YAML, "unless.yaml")
    return {p.code_id for p in LexiconCoder().code([seg(text)], cb)[0] if p.applied}


@pytest.mark.parametrize("text, codes", [
    ("I would love to see my relationship with AI develop.", set()),
    ("The relationship with my clients is what matters.", {"HUMAN"}),
    # "with AI" further than the window (3 tokens) from the match: not a context of it
    ("The relationship I have built over years of work with AI tools is strong.", {"HUMAN"}),
    ("I use AI to learn maths on my own.", set()),
    ("I learned prompting on my own.", {"LEARN"}),
])
def test_unless_cancels_the_entry_only_near_the_match(text, codes):
    assert _applied(text) == codes


def test_a_bad_unless_names_the_field():
    bad = YAML.replace('unless: "with AI|with it"', "unless: 3")
    with pytest.raises(CodebookError) as exc:
        parse_codebook(bad, "unless.yaml")
    msg = str(exc.value)
    assert "unless.yaml" in msg and "HUMAN" in msg and "lexicon.en[0]" in msg and "'unless'" in msg


def test_unless_words_are_looked_for_only_around_a_match():
    # "with" and "it" are in every answer: indexed, they made the coding pass over the
    # 1,210 interviews 50 % slower (benchmarks/bench_coding.py); they are not indexed
    cb = parse_codebook(YAML, "unless.yaml")
    comp = LexiconCoder()._compile(cb, "en")
    assert "with" not in comp.by_word and "it" not in comp.by_word
    assert sum(len(p) for p in comp.unless.values()) == 4  # with AI, with it, AI to learn, use it to learn
