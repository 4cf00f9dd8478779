"""Evidence a reviewer trusts: the passage that triggered a proposal and why, in the
codebook's language, without English coder jargon in a French project."""

from __future__ import annotations

from _coder_fixtures import CODEBOOK_YAML, seg
from qualcode.codebook import parse_codebook
from qualcode.coders import get_coder

FR_YAML = CODEBOOK_YAML.replace("language: en\nlanguages: [en, fr]", "language: fr\nlanguages: [fr, en]")


def test_french_project_evidence_is_french():
    cb = parse_codebook(FR_YAML, "tiny-fr.yaml")
    assert cb.language == "fr"
    coder = get_coder("ensemble", semantic_model="hashing")
    props = coder.code([seg("Ils vont remplacer mon poste par un logiciel.", lang="fr")], cb)[0]
    jobs = {p.code_id: p for p in props}["JOBS"]
    assert jobs.applied
    text = " | ".join(jobs.evidence)
    assert "remplacer mon poste" in text
    for jargon in ("lexicon:", "semantic:", "learning:", "similarity", "example:"):
        assert jargon not in text
    assert text.startswith("mots du lexique")


def test_english_project_evidence_names_words_and_the_nearest_codebook_text():
    from _coder_fixtures import codebook

    coder = get_coder("ensemble", semantic_model="hashing")
    props = coder.code([seg("There were layoffs. Machines will replace junior analysts and cut jobs.")],
                       codebook())[0]
    jobs = {p.code_id: p for p in props}["JOBS"]
    assert any(e.startswith("lexicon words: layoffs") for e in jobs.evidence)
    assert any(e.startswith("close to the codebook's example") or e.startswith("close to the codebook's")
               for e in jobs.evidence)


def test_evidence_quotes_the_part_of_a_long_sentence_that_holds_the_match():
    from qualcode.coders._labels import lexicon_evidence

    text = ("Je travaille dans une grande entreprise depuis longtemps et j'ai vu passer beaucoup "
            "d'outils, de réorganisations et de plans de transformation qui n'ont rien changé au fond, "
            "mais cette fois la direction parle de supprimer des postes à cause de l'IA.")
    ev = lexicon_evidence(["supprimer des postes"], text, "fr")
    assert ev.startswith("mots du lexique : supprimer des postes — dans « … ")
    quoted = ev.split("dans « ")[1]
    assert "supprimer des postes" in quoted and len(quoted) < 180
