"""One lookup for every stage's interface labels (French and English; English otherwise).

Each stage keeps its own catalogue of labels beside its code; they all read it the same way.
Participant attributes are named by their column in the participants file ("role",
"company_size"); :func:`attribute_label` turns them into words of the output's language, and
any ``{attr}`` placeholder goes through it, so no raw key reaches a reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Usual participant attributes; others are shown with underscores as spaces.
_ATTRIBUTES: dict[str, dict[str, str]] = {
    "role": {"fr": "rôle", "en": "role"},
    "company_size": {"fr": "taille de l'entreprise", "en": "company size"},
    "sector": {"fr": "secteur", "en": "sector"},
    "site": {"fr": "site", "en": "site"},
    "participant": {"fr": "participant", "en": "participant"},
    "age": {"fr": "âge", "en": "age"},
    "gender": {"fr": "genre", "en": "gender"},
    "sex": {"fr": "sexe", "en": "sex"},
    "seniority": {"fr": "ancienneté", "en": "seniority"},
    "department": {"fr": "service", "en": "department"},
    "country": {"fr": "pays", "en": "country"},
    "region": {"fr": "région", "en": "region"},
    "team": {"fr": "équipe", "en": "team"},
    "job": {"fr": "métier", "en": "job"},
    "occupation": {"fr": "profession", "en": "occupation"},
    "experience": {"fr": "expérience", "en": "experience"},
    "group": {"fr": "groupe", "en": "group"},
}


def attribute_label(key: object, lang: str, capital: bool = False) -> str:
    """A participant attribute's name for readers: ``company_size`` -> "taille de l'entreprise"."""
    raw = str(key)
    entry = _ATTRIBUTES.get(raw.strip().lower())
    text = (entry.get(lang) or entry["en"]) if entry else raw.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if capital else text


def localise(catalogue: Mapping[str, Mapping[str, str]], key: str, lang: str, **fmt: object) -> str:
    """The text ``key`` of ``catalogue`` in ``lang`` (English when the language is not covered)."""
    entry = catalogue[key]
    text = entry.get(lang) or entry["en"]
    if "attr" in fmt and fmt["attr"] not in (None, "-"):
        fmt["attr"] = attribute_label(fmt["attr"], lang)
    return text.format(**fmt) if fmt else text


def number(value: float, lang: str, digits: int = 2) -> str:
    """A decimal number written as the language writes it: ``0,42`` in French, ``0.42`` in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre"]


def format_time(stamp: object, lang: str) -> str:
    """A stored UTC timestamp (ISO 8601) as a reader's local date and time: "30 novembre 2026 à
    18:05" in French, "30 November 2026, 18:05" in English; unparsable values are returned as is."""
    from datetime import datetime

    if not stamp:
        return ""
    try:
        dt = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if dt.tzinfo is not None:
        dt = dt.astimezone()  # the reader's local time, not UTC
    if lang == "fr":
        return f"{dt.day} {_MONTHS_FR[dt.month - 1]} {dt.year} à {dt:%H:%M}"
    return f"{dt.day} {dt:%B %Y}, {dt:%H:%M}"


_EVIDENCE_FR = [
    (re.compile(r"\blexicon: "), "mot repéré : "),
    (re.compile(r"\bsemantic: "), "passage proche : "),
    (re.compile(r"\blearning: learned from (\d+) coded / (\d+) not coded"),
     r"apprentissage : appris de \1 segments codés / \2 non codés"),
    (re.compile(r"the codebook's rule held best on held-out interviews"),
     "la règle du livre de codes reste la meilleure sur des entretiens de contrôle"),
    (re.compile(r"zero-shot confidence at the reviewers' threshold"), "confiance au seuil des relecteurs"),
    (re.compile(r"\bweights\b"), "poids"),
    (re.compile(r"\blearning: "), "apprentissage : "),
    (re.compile(r" ~ example: "), " ~ exemple : "),
    (re.compile(r" ~ definition: "), " ~ définition : "),
    (re.compile(r" ~ label: "), " ~ libellé : "),
    (re.compile(r" ~ include: "), " ~ à inclure : "),
    (re.compile(r" ~ exclude: "), " ~ à exclure : "),
    (re.compile(r" ~ counter: "), " ~ contre-exemple : "),
    (re.compile(r"\(similarity "), "(similarité "),
    (re.compile(r"\blexicon_hits\b"), "mots repérés"),
    (re.compile(r"\bzero_shot\b"), "proposition sans apprentissage"),
    (re.compile(r"\bsemantic_top2\b"), "écart sémantique"),
    (re.compile(r"\blike_pos\b"), "proximité aux segments codés"),
    (re.compile(r"\blike_neg\b"), "proximité aux segments non codés"),
    (re.compile(r"\bsemantic\b"), "sémantique"),
    (re.compile(r"\blexicon\b"), "lexique"),
    (re.compile(r"(?<=\d)\.(?=\d)"), ","),
    (re.compile(r" ?; "), " ; "),
]
_EVIDENCE_EN = [
    (re.compile(r"\blexicon: "), "keyword: "),
    (re.compile(r"\bsemantic: "), "similar passage: "),
]


def evidence_text(evidence: str, lang: str) -> str:
    """The machine's evidence for readers: "lexicon: x" becomes "mot repéré : x" in French."""
    for pattern, repl in _EVIDENCE_FR if lang == "fr" else _EVIDENCE_EN:
        evidence = pattern.sub(repl, evidence)
    return evidence
