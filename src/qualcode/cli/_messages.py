"""What the commands print, in the project's language (French and English; English otherwise).

The library reports in data; this turns it into a sentence for the terminal. Numbers follow
the language too (``0,42`` in French).
"""

from __future__ import annotations

_M: dict[str, dict[str, str]] = {
    "summary": {"fr": "{themes} thèmes sur {segments} segments dans {interviews} entretiens ; {coded} segments "
                      "codés, {reviewed} avec une décision d'un relecteur",
                "en": "{themes} themes over {segments} segments in {interviews} interviews; {coded} segments "
                      "coded, {reviewed} with a reviewer's decision"},
    "by": {"fr": " ; par {attr}", "en": "; by {attr}"},
    "themes": {"fr": "thèmes : ", "en": "themes: "},
    "topics": {"fr": "thèmes émergents inclus : {n}", "en": "emergent topics included: {n}"},
    "workbook": {"fr": "classeur : {path}", "en": "workbook: {path}"},
    "report": {"fr": "rapport :  {path}", "en": "report:   {path}"},
    "markdown": {"fr": "markdown : {path} (figures dans {figures})", "en": "markdown: {path} (figures in {figures})"},
    "no_reviews": {"fr": "aucun segment revu{who} pour l'instant : lancez `qualcode review export`, relisez le "
                         "classeur, puis `qualcode review import FICHIER`",
                   "en": "no reviewed segments{who} yet: run `qualcode review export`, review the workbook, "
                         "then `qualcode review import FILE`"},
    "by_who": {"fr": " par {names}", "en": " by {names}"},
}


def msg(key: str, lang: str | None, **fmt: object) -> str:
    """The message ``key`` in ``lang`` (English when the language is not covered); an ``attr``
    (participant attribute) is named in words of the language."""
    from .._i18n import localise

    return localise(_M, key, lang or "en", **fmt)
