"""Generic cues must not dominate: a lexicon cue that fires in several other codes' own texts
is damped, from the codebook alone (any codebook, tuned or not)."""

from __future__ import annotations

from _coder_fixtures import seg
from qualcode.codebook import parse_codebook
from qualcode.coders.lexicon import LexiconCoder

YAML = """
name: spread
version: "1"
language: en
codes:
  - id: A
    label: A
    lexicon: {en: [{term: "patients", weight: 0.6}, {term: "triage nurse", weight: 0.6}]}
  - id: B
    label: B
    examples: {en: ["Our patients wait too long for beds."]}
  - id: C
    label: C
    examples: {en: ["Families of patients call the ward all day."]}
  - id: D
    label: D
    examples: {en: ["Billing codes for patients changed twice."]}
"""


def test_a_cue_that_fires_in_other_codes_texts_is_damped():
    cb = parse_codebook(YAML, "spread.yaml")
    coder = LexiconCoder()
    generic = {p.code_id: p for p in coder.code([seg("Many patients came in today.")], cb)[0]}["A"]
    specific = {p.code_id: p for p in coder.code([seg("The triage nurse saw me.")], cb)[0]}["A"]
    # "patients" fires in the examples of B, C and D: 3 other codes, 1 free -> weight 0.6 / 3
    assert generic.confidence == 0.2 and not generic.applied
    assert specific.confidence == 0.6 and specific.applied
    assert generic.evidence == ["patients"]  # the evidence still says what matched
