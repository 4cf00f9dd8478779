"""Segmentation keeps exact offsets in every unit, and stable ids."""

from __future__ import annotations

import pytest

from qualcode import ConfigError, segment_source
from qualcode.ingest import parse_turns
from qualcode.model import Source

TEXT = ("Enquêteur : Parlez-moi de l’IA.\n\n"
        "Mme Durand : Je garde la main sur la décision. Toujours ! Et je vérifie tout.\n\n"
        "Autre paragraphe : la direction ne dit rien.\n\n"
        "Enquêteur : Et la formation ?\n\n"
        "Mme Durand :   Je me forme seule, avec des tutoriels.   \n")


@pytest.fixture
def source() -> Source:
    return Source(id="e1", path="e1.txt", text=TEXT, format="txt", sha256="x", language="fr",
                  attributes={"role": "manager"}, turns=parse_turns(TEXT))


@pytest.mark.parametrize("unit", ["turn", "paragraph", "sentence"])
def test_offsets_are_exact(source, unit):
    segs = segment_source(source, unit)
    assert segs
    for s in segs:
        assert TEXT[s.start:s.end] == s.text and s.text == s.text.strip()
        assert s.attributes == {"role": "manager"} and s.language == "fr"


def test_turn_unit_ids_and_questions(source):
    segs = segment_source(source, "turn")
    assert [s.id for s in segs] == ["e1#1", "e1#3"]
    assert segs[0].question == "Parlez-moi de l’IA."
    assert segs[1].question == "Et la formation ?"
    assert segs[1].text == "Je me forme seule, avec des tutoriels."
    assert segs[0].speaker == "Mme Durand"


def test_paragraph_and_sentence_units(source):
    paras = segment_source(source, "paragraph")
    assert [s.id for s in paras] == ["e1#1.1", "e1#1.2", "e1#3.1"]
    assert paras[1].text == "Autre paragraphe : la direction ne dit rien."
    sents = segment_source(source, "sentence")
    assert [s.text for s in sents][:3] == ["Je garde la main sur la décision.", "Toujours !",
                                           "Et je vérifie tout."]


def test_unknown_unit(source):
    with pytest.raises(ConfigError, match="unit 'word' is not known; use one of turn, paragraph, sentence"):
        segment_source(source, "word")
