from __future__ import annotations

from qualcode import Segment, load_codebook
from qualcode.coders.lexicon import LexiconCoder


def seg(text: str, lang: str = "en", i: int = 0) -> Segment:
    return Segment(id=f"s#{i}", source_id="s", turn_index=i, start=0, end=len(text), text=text, language=lang)


def code(texts, lang="en", mode="fast"):
    cb = load_codebook("tests/data/mini_codebook.yaml")
    coder = LexiconCoder(nlp_mode=mode, borrow=False)  # the written cues' rules, alone
    return {p.code_id: p for p in coder.code([seg(t, lang, i) for i, t in enumerate(texts)], cb)[0]}


def test_cooccurrence_rule_with_lemmas():
    props = code(["I think it will replace many junior analysts soon."])
    p = props["JOBS"]
    assert p.applied and p.confidence == 0.8
    assert p.evidence == ["replace many junior analysts (replace|take over + job|role|analyst*)"]


def test_words_too_far_apart_do_not_match():
    props = code(["It may replace the old spreadsheet macros we used to maintain by hand, and my job is fine."])
    assert props["JOBS"].confidence == 0.2 and not props["JOBS"].applied


def test_noisy_or_and_threshold():
    props = code(["We anonymise client data before anything."])
    d = props["DATA"]
    assert abs(d.confidence - 0.75) < 1e-9 and d.applied  # 1 - 0.5 * 0.5 >= 0.6
    props = code(["We anonymise before anything."])
    assert not props["DATA"].applied  # 0.5 < threshold 0.6


def test_french_lemmas_accurate_pipeline():
    props = code(["Ils vont remplacer des postes, et la suppression de postes a commencé."], lang="fr",
                 mode="accurate")
    assert props["JOBS"].applied and props["JOBS"].confidence > 0.95
    props = code(["Nos données sensibles ne sortent jamais ; le RGPD nous l'interdit."], lang="fr",
                 mode="accurate")
    assert props["DATA"].applied and len(props["DATA"].evidence) == 2


def test_no_match_no_proposal():
    assert code(["We talked about the weather."]) == {}


def test_version_names_the_nlp_mode():
    assert LexiconCoder(nlp_mode="fast").version != LexiconCoder(nlp_mode="accurate").version


def test_a_pattern_word_matches_through_its_lemma_only_when_the_lemma_is_a_form_of_it():
    # What was seen (issue 9, precision on non-dev interviews): the lookup lemma of "AI" is
    # "have" (from "ai n't"), so "AI + policies" coded "We don't yet have any policies" as
    # COMPLIANCE and "have secret" coded CULTURE_GAP; in French "été" (lemma "être") matched "est".
    from qualcode.codebook import parse_codebook

    cb = parse_codebook("""
name: lemmas
version: "1"
language: en
languages: [en, fr]
codes:
  - id: POLICY
    label: Policy
    lexicon:
      en: [{all: ["AI", "policies"], window: 3, weight: 0.6}, {term: "replaced", weight: 0.6}]
      fr: [{term: "a été", weight: 0.6}]
""", "lemmas.yaml")
    coder = LexiconCoder()

    def applied(text: str, lang: str = "en") -> bool:
        return any(p.applied for p in coder.code([seg(text, lang=lang)], cb)[0])

    assert not applied("We don't yet have any policies in place.")
    assert applied("We don't have AI policies yet.")
    assert applied("They replace people.")  # a regular lemma still matches its forms
    assert not applied("Ce projet est là.", "fr")
    assert applied("Ce projet a été lancé.", "fr")


def test_each_group_of_a_cue_needs_words_of_its_own():
    # What was seen (issue 9, French parity): "un humain|un responsable + décider|responsable"
    # coded DECISION_VALUE on "demander à un responsable du rayon" alone, the one word
    # "responsable" satisfying both groups.
    from qualcode.codebook import parse_codebook

    cb = parse_codebook("""
name: groups
version: "1"
language: fr
codes:
  - id: HUMAN_DECIDES
    label: Human decides
    lexicon:
      fr: [{all: ["un humain|un responsable", "décider|responsable"], window: 5, weight: 0.6}]
""", "groups.yaml")
    coder = LexiconCoder()

    def applied(text: str) -> bool:
        return any(p.applied for p in coder.code([seg(text, lang="fr")], cb)[0])

    assert not applied("Je demande à un responsable du rayon.")
    assert applied("Il faut un responsable pour décider.")
    assert applied("Un humain reste responsable du résultat.")


def test_a_word_in_capitals_is_its_own_lemma():
    # What was seen (issue 9, unseen precision): the English lookup table's lemma of "AI" is
    # "have" (from "ai n't"), so "give the AI too much control" matched a cue "have too much
    # control" and "using AI to upskill" matched "have to + upskill".
    from qualcode.codebook import parse_codebook
    from qualcode.nlp import get_analyzer

    assert get_analyzer("en", "fast").analyze_one("The AI has it").lemma == ["the", "ai", "have", "it"]
    cb = parse_codebook("""
name: caps
version: "1"
language: en
codes:
  - id: OBLIGED
    label: Obliged
    lexicon:
      en: [{term: "have to learn", weight: 0.6}]
""", "caps.yaml")
    coder = LexiconCoder()

    def applied(text: str) -> bool:
        return any(p.applied for p in coder.code([seg(text)], cb)[0])

    assert not applied("I ask the AI to learn what it can.")
    assert applied("We had to learn it fast.")


def test_a_question_on_the_code_lifts_the_answer_own_cues_and_never_codes_alone():
    # What was seen (issue 9, blind coding of new interviews): "it will only take over the
    # admin" answers "Could AI take over your work?", yet the answer's cue alone (0.45) stayed
    # under the threshold (0.5) and the answer went uncoded.
    from qualcode.codebook import parse_codebook
    from qualcode.coders.lexicon import ANSWER_MIN, QUESTION_LIFT, QUESTION_MIN

    cb = parse_codebook("""
name: questions
version: "1"
language: en
codes:
  - id: JOBS
    label: Jobs
    lexicon:
      en: [{term: "take over", weight: 0.45}, {term: "my role", weight: 0.2}]
""", "questions.yaml")
    coder = LexiconCoder()
    ask = "Thanks. How do you think about AI that could take over parts of your work?"

    def jobs(text: str, question: str = ""):
        s = Segment(id="s#1", source_id="s", turn_index=1, start=0, end=len(text), text=text,
                    question=question, language="en")
        return {p.code_id: p for p in coder.code([s], cb)[0]}.get("JOBS")

    assert QUESTION_MIN <= 0.45 and ANSWER_MIN <= 0.45 < 0.5  # the figures the cases below rely on
    alone = jobs("It may take over some of the admin.")
    assert not alone.applied and alone.confidence == 0.45
    lifted = jobs("It may take over some of the admin.", ask)
    assert lifted.applied and abs(lifted.confidence - (1 - 0.55 * (1 - QUESTION_LIFT))) < 1e-4  # 0.615
    assert lifted.evidence == ["take over", "the question asks about it: take over"]
    assert jobs("I do the admin myself.", ask) is None  # no cue of the code: the question adds nothing
    weak = jobs("It is my role, honestly.", ask)  # a cue under ANSWER_MIN is not lifted
    assert weak.confidence == 0.2 and not weak.applied
    off_topic = jobs("It may take over some of the admin.", "What tasks do you use it for?")
    assert off_topic.confidence == 0.45 and not off_topic.applied


def test_a_segment_without_a_language_is_coded_in_the_project_language():
    # What was seen: the lexicon read a language-less segment in the codebook's first listed
    # language (en) while the semantic and learning coders read it in the project's (fr), so
    # two coders of one ensemble looked at the same words in two languages.
    from qualcode.codebook import parse_codebook

    cb = parse_codebook("""
name: project-language
version: "1"
language: fr
languages: [en, fr]
codes:
  - id: RULES
    label: Rules
    lexicon:
      en: [{term: "internal rule", weight: 0.8}]
      fr: [{term: "règle interne", weight: 0.8}]
""", "project-language.yaml")
    assert cb.language_of(None) == "fr" and cb.language_of("") == "fr" and cb.language_of("en") == "en"
    s = Segment(id="s", source_id="d", turn_index=0, start=0, end=30, text="Il y a une règle interne ici.")
    assert [p.code_id for p in LexiconCoder().code([s], cb)[0] if p.applied] == ["RULES"]
