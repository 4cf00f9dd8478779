"""A codebook written without a lexicon still codes: each code borrows weak cues from the words
of its own definition, include rules and examples (``coders/_derived.py``).

What was seen (issue 9): with the default codebook stripped of its lexicon, the default coder
proposed nothing at all (macro kappa 0.00 on the dev answers), because the semantic vote is
damped in the ensemble and can never pass a threshold alone.
"""

from __future__ import annotations

import pytest

from _coder_fixtures import seg
from qualcode.codebook import parse_codebook
from qualcode.coders._derived import derived_entries
from qualcode.coders.ensemble import EnsembleCoder
from qualcode.coders.lexicon import LexiconCoder

# A field far from AI at work: hospital care. No lexicon anywhere.
YAML = """
name: ward
version: "1"
language: en
languages: [en, fr]
codes:
  - id: WAIT
    label: {en: Waiting times, fr: Temps d'attente}
    definition:
      en: "Waiting times: patients wait for beds, for a doctor or for test results."
      fr: "Temps d'attente : les patients attendent un lit, un médecin ou des résultats d'analyses."
    include: {en: ["we waited hours for a bed", "no privacy in the corridor"]}
    examples:
      en: ["Patients wait on trolleys in the corridor.", "Our privacy was gone on the ward."]
      fr: ["Les patients attendent sur des brancards dans le couloir."]
  - id: STAFF
    label: {en: Staff shortages, fr: Manque de personnel}
    definition: {en: "Staff shortages: too few nurses or doctors on the ward, overtime, burnout."}
    examples: {en: ["We are always short of nurses at night.", "Nurses work overtime and burn out.",
                    "No privacy for anyone on the ward."]}
    counter_examples: {en: ["The nurses were kind to my mother.", "The nurses were great.",
                            "Three nurses came.", "Nurses everywhere."]}
  - id: FOOD
    label: {en: Meals, fr: Repas}
    definition: {en: "Meals on the ward: cold food, no choice of meals."}
    examples: {en: ["The food on the ward was cold."]}
"""


@pytest.fixture(scope="module")
def cb():
    return parse_codebook(YAML, "ward.yaml")


def _entries(cb, lang="en"):
    coder = LexiconCoder()
    found = derived_entries(cb, lang, coder.analyzer(lang))
    return {code: {e.source: e.weight for e in entries} for code, entries in found.items()}


def test_cue_weights_follow_the_rule_in_the_module_docstring(cb):
    w = _entries(cb)
    # "privacy": 2 texts of WAIT (an include rule, an example), 1 of STAFF -> 0.2 * 2 * 2/3
    assert w["WAIT"]["privacy"] == pytest.approx(0.2 * 2 * 2 / 3, abs=1e-4)
    # ... and STAFF has it in one text only: a single word needs two texts
    assert "privacy" not in w["STAFF"]
    # "patients": WAIT's definition (which counts twice) and an example -> 0.2 * 3, capped
    assert w["WAIT"]["patients"] == pytest.approx(0.45)
    # "trolleys": one example only -> not a cue; "beds" / "bed": definition + include -> capped
    assert "trolleys" not in w["WAIT"] and w["WAIT"]["beds"] == pytest.approx(0.45)
    # "ward" is in the texts of all three codes: generic, nobody's cue
    assert not any(term == "ward" for entries in w.values() for term in entries)
    # "nurses": 4 texts of STAFF (definition twice, two examples), but 4 counter-examples say
    # it too: not a sign of the theme
    assert "nurses" not in w["STAFF"]
    # a pair of adjacent content words is a cue from one text
    assert "test results" in w["WAIT"]


def test_a_codebook_without_lexicon_codes_with_its_own_words(cb):
    props = {p.code_id: p for p in LexiconCoder().code([seg("The patients wait for hours, no privacy at all.")], cb)[0]}
    wait = props["WAIT"]
    assert wait.applied and wait.confidence > 0.5
    assert {"patients", "wait", "privacy"} <= {e.split(" (")[0] for e in wait.evidence}
    assert "STAFF" not in props or not props["STAFF"].applied
    # the evidence says where the word comes from, in the project's language
    assert "patients (a word of the code's own texts)" in wait.evidence
    fr_book = parse_codebook(YAML.replace("language: en", "language: fr"), "ward.yaml")
    fr_wait = {p.code_id: p for p in LexiconCoder().code([seg("The patients wait for hours.")], fr_book)[0]}["WAIT"]
    assert "patients (mot des textes du code)" in fr_wait.evidence


def test_one_borrowed_word_alone_never_applies_a_code(cb):
    (p,) = [p for p in LexiconCoder().code([seg("Some patients came in.")], cb)[0] if p.code_id == "WAIT"]
    assert not p.applied and p.confidence == pytest.approx(0.45)


def test_a_question_full_of_borrowed_words_lifts_nothing(cb):
    # What was seen (issue 9): reading the answer with its question (lexicon 1.6) at first used
    # borrowed words too; questions are full of them, and the stripped default codebook lost
    # 0.04 of kappa. Only cues written in a lexicon say what a question is about.
    ask = "Do the patients wait for a bed, with no privacy, on your ward?"
    (p,) = [p for p in LexiconCoder().code([seg("Some patients came in.", question=ask)], cb)[0]
            if p.code_id == "WAIT"]
    assert not p.applied and p.confidence == pytest.approx(0.45)


def test_the_default_coder_proposes_codes_from_a_codebook_without_lexicon(cb):
    props = {p.code_id: p for p in EnsembleCoder(semantic_model="hashing").code(
        [seg("The patients wait for hours, no privacy at all.")], cb)[0]}
    assert props["WAIT"].applied
    # borrowed words only: said once, not as "lexicon words" each marked as borrowed
    assert props["WAIT"].evidence[0].startswith("words of the code's own texts: patients")
    assert "lexicon" not in props["WAIT"].evidence[0]


def test_french_borrows_from_the_french_texts(cb):
    w = _entries(cb, "fr")
    assert w["WAIT"]["patients"] == pytest.approx(0.45)  # definition and example, in French
    assert "STAFF" in w and w["STAFF"] == {}  # no French text of its own: no English words borrowed
    props = {p.code_id: p for p in LexiconCoder().code([seg("Les patients attendent des heures.", lang="fr")], cb)[0]}
    assert props["WAIT"].applied


def _with_food_lexicon(entries: list[str]):
    return parse_codebook(YAML.replace("    label: {en: Meals, fr: Repas}",
                                       f"    label: {{en: Meals, fr: Repas}}\n    lexicon: {{en: {entries}}}"), "w.yaml")


def test_a_thin_lexicon_borrows_beside_its_written_cues():
    # What was seen: the default codebook cut to 3 entries a code scored lower on new
    # interviews than with no entry at all, because a written entry switched borrowing off.
    from qualcode.coders._derived import THIN_LEXICON

    mini = _with_food_lexicon(["cold food"])
    assert THIN_LEXICON > 1
    w = _entries(mini)
    assert w["FOOD"]["meals"] == pytest.approx(0.4)  # the definition's "meals" twice: 0.2 x 2 x 2 / 2
    assert _entries(mini, "fr")["FOOD"] == {}  # no French text of its own: nothing borrowed
    (p,) = [p for p in LexiconCoder().code([seg("No choice of meals, the cold food again.")], mini)[0]
            if p.code_id == "FOOD"]
    assert "cold food" in p.evidence[0] or "cold food" in " ".join(p.evidence)  # the written cue
    assert any("meals" in e for e in p.evidence)  # and a borrowed one beside it


def test_a_full_lexicon_is_the_contract():
    from qualcode.coders._derived import THIN_LEXICON

    full = _with_food_lexicon(["cold food"] + [f"dish{k}" for k in range(THIN_LEXICON - 1)])
    assert "FOOD" not in _entries(full) and "WAIT" in _entries(full)
    props = LexiconCoder().code([seg("No choice of meals, the meals were late.")], full)[0]
    assert "FOOD" not in {p.code_id for p in props}  # "meals" is in FOOD's texts, but not its lexicon


def test_a_code_without_written_english_cues_is_read_for_meaning_by_the_transformer(cb):
    # The static vectors are the English default; a codebook with a code that has no written
    # English lexicon takes the meaning model (MiniLM when installed); French keeps its own.
    from qualcode.coders.semantic import SemanticCoder

    thin = parse_codebook(YAML.replace("    label: {en:", "    lexicon: {en: [cue]}\n    label: {en:"), "w.yaml")
    sem = SemanticCoder(meaning_model="minilm")
    assert sem.embedder_name("en", cb) == "minilm"  # no lexicon at all
    assert sem.embedder_name("en", _with_food_lexicon(["cold food"])) == "minilm"  # WAIT and STAFF have none
    assert sem.embedder_name("en", thin) == "static"  # every code has written English cues
    assert sem.embedder_name("fr", cb) == "use"
    assert SemanticCoder(meaning_model=None).embedder_name("en", cb) == "static"
    assert SemanticCoder(model="hashing", meaning_model="minilm").embedder_name("en", cb) == "hashing"
    assert "meaning=minilm" in sem.version and "meaning" not in SemanticCoder(meaning_model=None).version


def test_borrowing_can_be_switched_off_and_the_version_says_so():
    mini = _with_food_lexicon(["cold food"])
    text = [seg("No choice of meals, the meals were late.")]
    assert "FOOD" in {p.code_id for p in LexiconCoder().code(text, mini)[0]}
    off = LexiconCoder(borrow=False)
    assert "FOOD" not in {p.code_id for p in off.code(text, mini)[0]}
    assert off.version.endswith("/borrow=0") and "borrow" not in LexiconCoder().version


def test_a_model_learned_with_the_meaning_model_is_read_back_with_it(cb, tmp_path):
    # The learned regressions weigh the semantic scores of the model they were trained with:
    # reading them back with another embedder would shift every feature.
    from qualcode.coders.learning import LearningCoder
    from qualcode.coders.semantic import SemanticCoder

    texts = ["We waited hours for a bed.", "Short of nurses again.", "The food was cold.",
             "Patients wait on trolleys.", "Nurses burn out.", "No choice of meals."] * 2
    segs = [seg(t, sid=f"i{k % 4}#{k}", source=f"i{k % 4}") for k, t in enumerate(texts)]
    labels = [{"WAIT"}, {"STAFF"}, {"FOOD"}, {"WAIT"}, {"STAFF"}, {"FOOD"}] * 2
    coder = LearningCoder(semantic=SemanticCoder(model="auto", meaning_model="hashing"))
    coder.fit(segs, labels, cb)
    path = coder.save(tmp_path / "m.joblib")
    back = LearningCoder(model=str(path))
    assert back.semantic.meaning_model == "hashing"
    assert back.semantic.embedder_name("en", cb) == "hashing"


@pytest.mark.parametrize(("given", "expected"), [("no", False), ("non", False), ("false", False), (0, False),
                                                 ("yes", True), ("oui", True), (True, True)])
def test_a_yes_no_option_reads_yes_and_no_in_both_languages(given, expected):
    # `--set borrow=no` reached the coder as the string "no", and bool("no") is True
    from qualcode.coders import get_coder

    assert get_coder("lexicon", borrow=given).borrow is expected


def test_a_yes_no_option_refuses_anything_else_and_says_what_it_takes():
    from qualcode._i18n import localised
    from qualcode.coders import get_coder
    from qualcode.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        get_coder("lexicon", borrow="maybe")
    assert str(err.value) == "coder 'lexicon': option 'borrow' is true or false (yes/no), not 'maybe'"
    assert localised(err.value.args[0], "fr") == (
        "codeur 'lexicon' : l'option 'borrow' vaut true ou false (oui/non), pas 'maybe'")


def test_codes_without_any_cue_in_a_language_are_silent(cb):
    # WAIT has French texts to borrow from; STAFF and FOOD are written in English only
    assert LexiconCoder().silent_codes(cb, "fr") == {"STAFF", "FOOD"}
    assert LexiconCoder().silent_codes(cb, "en") == set()


def test_a_code_written_in_english_only_still_codes_french_answers(cb):
    # What was seen: the default codebook without lexicon and with its English texts only
    # coded French answers not at all (kappa 0.00): no French cue, and the semantic vote,
    # damped next to a lexicon that can never vote, never applied a code alone.
    text = "Il manque toujours des infirmières la nuit ; elles font des heures supplémentaires et s'épuisent."
    props = {p.code_id: p for p in EnsembleCoder().code([seg(text, lang="fr")], cb)[0]}
    assert props["STAFF"].applied
    assert any("nurses" in e.lower() for e in props["STAFF"].evidence)  # the English example it is close to
    assert "FOOD" not in props or not props["FOOD"].applied


def test_texts_of_another_language_get_the_crosslingual_gap_back(cb, monkeypatch):
    from qualcode.coders import embed, semantic

    use = embed.get_embedder("use")
    monkeypatch.setattr(semantic, "CROSSLINGUAL_GAP", {"use": 0.0})
    flat = semantic.SemanticCoder().prototypes(cb, "fr", use).background
    monkeypatch.setattr(semantic, "CROSSLINGUAL_GAP", {"use": 0.04})
    gapped = semantic.SemanticCoder().prototypes(cb, "fr", use).background
    assert list(flat - gapped) == pytest.approx([0.0, 0.04, 0.04])  # WAIT has French texts of its own


def test_english_answers_to_a_code_written_only_in_french_take_the_multilingual_model(cb):
    from qualcode.coders.semantic import SemanticCoder

    fr_only = parse_codebook(YAML.replace('examples: {en: ["The food on the ward was cold."]}',
                                          'examples: {fr: ["Le repas était froid."]}')
                             .replace('definition: {en: "Meals on the ward: cold food, no choice of meals."}',
                                      'definition: {fr: "Les repas : froids, sans choix."}'), "w.yaml")
    assert SemanticCoder(meaning_model="minilm").embedder_name("en", fr_only) == "use"
    assert SemanticCoder(meaning_model="minilm").embedder_name("en", cb) == "minilm"
