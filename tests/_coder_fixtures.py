"""Shared hand-made codebook and segments for the coder tests (no model, no shared data)."""

from __future__ import annotations

from qualcode.codebook import Codebook, parse_codebook
from qualcode.model import Segment

CODEBOOK_YAML = """
name: tiny
version: "1"
language: en
languages: [en, fr]
codes:
  - id: JOBS
    label: {en: "Threat to jobs", fr: "Menace sur l'emploi"}
    definition: {en: "Jobs or roles being replaced by machines, fewer hires, fear of unemployment."}
    examples: {en: ["The machines will replace junior analysts and cut jobs.",
                    "We hired fewer writers this year because of automation."]}
    counter_examples: {en: ["It makes my job faster and easier."]}
    lexicon:
      en: [{term: "layoffs", weight: 0.9}, {all: ["replace", "job|analyst*"], window: 6, weight: 0.8}]
      fr: [{all: ["remplacer", "emploi|poste"], window: 8, weight: 0.8}]
  - id: DATA
    label: {en: "Data security", fr: "Sécurité des données"}
    definition: {en: "Confidential client data, privacy, leaks of sensitive information."}
    examples: {en: ["I never paste confidential client data into the chatbot.",
                    "Privacy of patient records worries me, leaks happen."]}
    lexicon:
      en: [{term: "GDPR", weight: 0.9}, "client data"]
"""


def codebook() -> Codebook:
    return parse_codebook(CODEBOOK_YAML, "tiny.yaml")


def seg(text: str, sid: str = "s#1", question: str = "", source: str = "s", lang: str = "en") -> Segment:
    return Segment(id=sid, source_id=source, turn_index=1, start=0, end=len(text), text=text,
                   question=question, language=lang)
