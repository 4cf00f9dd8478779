"""One lookup for every word a user sees (French and English; English otherwise).

The words live in one catalogue per language, :mod:`qualcode.locales` (``fr.py``, ``en.py``),
keyed by area (``workbook.segments``, ``cli.coded``...); :func:`tr` is how every stage reads
them, so a French project's outputs cannot mix in English by accident. Numbers and dates go
through :func:`number` and :func:`format_time` for the same reason. Participant attributes are
named by their column in the participants file ("role", "company_size"); :func:`attribute_label`
turns them into words of the output's language, and any ``{attr}`` placeholder goes through it.
"""

from __future__ import annotations

import re

from .locales import CATALOGUES


def attribute_label(key: object, lang: str, capital: bool = False) -> str:
    """A participant attribute's name for readers: ``company_size`` -> "taille de l'entreprise".

    Usual attributes have a label (``attribute.<name>``); others are shown with underscores as
    spaces, so no raw column key reaches a reader."""
    raw = str(key)
    entry = f"attribute.{raw.strip().lower()}"
    text = _catalogue(lang).get(entry) or raw.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if capital else text


def _catalogue(lang: str | None) -> dict[str, str]:
    return CATALOGUES.get(lang or "en", CATALOGUES["en"])


def tr(key: str, lang: str | None, /, **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt`` (English when the language is not covered).

    The one lookup for every word a user sees; the words live in :mod:`qualcode.locales`. An
    ``attr`` (participant attribute) is named in words of the language.
    """
    text = _catalogue(lang)[key]
    if "attr" in fmt and fmt["attr"] not in (None, "-"):
        fmt["attr"] = attribute_label(fmt["attr"], lang or "en")
    return text.format(**fmt) if fmt else text


class Message(str):
    """A sentence for a user whose language is not known yet: a label key and its values.

    The library raises and warns in these; as a ``str`` it is the English sentence, so logs,
    tests and callers that only print keep working, and :func:`localised` renders it in the
    project's language when the CLI knows it. Values that are Messages are rendered too.
    """

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, /, **params: object) -> Message:  # "key" may be a value too
        self = super().__new__(cls, tr(key, "en", **_rendered(params, "en")))
        self.key, self.params = key, params
        return self

    def render(self, lang: str | None) -> str:
        return tr(self.key, lang, **_rendered(self.params, lang))

    def __reduce__(self) -> tuple[object, ...]:  # pickles as key + values, not as the English text
        return _rebuild, (self.key, self.params)


class Joined:
    """Messages joined by "; " (" ; " in French), then a tail: one value of a :class:`Message`
    made of several Messages (a list of problems), so that the whole renders in one language.
    ``sep`` joins them instead when given (", ", or a new line for a list), or the label
    ``sep_key`` (" and " in words of the language)."""

    def __init__(self, parts: list[Message], tail: object = "", sep: str | None = None,
                 sep_key: str = "punct.semicolon") -> None:
        self.parts, self.tail, self.sep, self.sep_key = list(parts), tail, sep, sep_key

    def render(self, lang: str | None) -> str:
        sep = tr(self.sep_key, lang) if self.sep is None else self.sep
        return sep.join(localised(p, lang) for p in self.parts) + localised(self.tail, lang)

    def __str__(self) -> str:
        return self.render("en")


def _rebuild(key: str, params: dict[str, object]) -> Message:
    return Message(key, **params)


def _rendered(params: dict[str, object], lang: str | None) -> dict[str, object]:
    return {k: v.render(lang) if isinstance(v, (Message, Joined)) else v for k, v in params.items()}


def localised(text: object, lang: str | None) -> str:
    """``text`` in ``lang`` when it is a :class:`Message`, else as is (a path, a number, a raw error)."""
    return text.render(lang) if isinstance(text, (Message, Joined)) else str(text)


def number(value: float, lang: str, digits: int = 2) -> str:
    """A decimal number written as the language writes it: ``0,42`` in French, ``0.42`` in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


NBSP = "\u00a0"
NNBSP = "\u202f"


def fmt_int(n: int, lang: str) -> str:
    """A count with the language's thousands separator: ``1\u202f210`` in French, ``1,210`` in English."""
    s = f"{int(n):,}"
    return s.replace(",", NNBSP) if lang == "fr" else s


def fmt_pct(x: float, lang: str, digits: int | None = None) -> str:
    """A percentage; one decimal below 10 % (so that 3 of 1,210 is not "0 %"); ``67\u00a0%`` in French."""
    x = float(x)
    if digits is None and 0 < x < 0.0005:
        return f"<0,1{NBSP}%" if lang == "fr" else "<0.1%"
    if digits is None:
        digits = 1 if 0 < x < 0.1 else 0
    v = f"{100 * x:.{digits}f}"
    return f"{v.replace('.', ',')}{NBSP}%" if lang == "fr" else f"{v}%"


def join_list(items: list[str], lang: str) -> str:
    """"a, b and c" in the language's words."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {tr('summary.and', lang)} " + items[-1]


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


# Evidence is stored in compact English ("lexicon: ...", "learning: learned from 12 coded / ...") so
# that stored passes do not depend on a language; readers see it through these patterns, each
# replaced by its catalogue label (named groups fill the label's placeholders). The English
# labels mostly restate the stored words (bar "keyword: " and "similar passage: "); the order
# matters ("lexicon: " before "lexicon").
_EVIDENCE = [(re.compile(pattern), key) for pattern, key in [
    (r"\blexicon: ", "evidence.stored.lexicon_prefix"),
    (r"\bsemantic: ", "evidence.stored.semantic_prefix"),
    (r"\blearning: learned from (?P<coded>\d+) coded / (?P<uncoded>\d+) not coded", "evidence.stored.learned"),
    (r"the codebook's rule held best on held-out interviews", "evidence.stored.rule_held"),
    (r"zero-shot confidence at the reviewers' threshold", "evidence.stored.zero_shot_threshold"),
    (r"\bweights\b", "evidence.stored.weights"),
    (r"\blearning: ", "evidence.stored.learning_prefix"),
    (r" ~ example: ", "evidence.stored.example"),
    (r" ~ definition: ", "evidence.stored.definition"),
    (r" ~ label: ", "evidence.stored.label"),
    (r" ~ include: ", "evidence.stored.include"),
    (r" ~ exclude: ", "evidence.stored.exclude"),
    (r" ~ counter: ", "evidence.stored.counter"),
    (r"\(similarity ", "evidence.stored.similarity"),
    (r"\blexicon_hits\b", "evidence.stored.lexicon_hits"),
    (r"\bzero_shot\b", "evidence.stored.zero_shot"),
    (r"\bsemantic_top2\b", "evidence.stored.semantic_top2"),
    (r"\blike_pos\b", "evidence.stored.like_pos"),
    (r"\blike_neg\b", "evidence.stored.like_neg"),
    (r"\bsemantic\b", "evidence.stored.semantic"),
    (r"\blexicon\b", "evidence.stored.lexicon"),
    (r"(?<=\d)\.(?=\d)", "evidence.stored.decimal_point"),
    (r" ?; ", "punct.semicolon"),
]]


def evidence_text(evidence: str, lang: str) -> str:
    """The machine's evidence for readers: "lexicon: x" becomes "mot repéré : x" in French."""
    for pattern, key in _EVIDENCE:  # in English most labels restate the stored words
        evidence = pattern.sub(lambda m, key=key: tr(key, lang, **m.groupdict()), evidence)
    return evidence


def shorten(text: str, n: int = 160) -> str:
    """``text`` on one line, cut to ``n`` characters with "…": for evidence and messages."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
