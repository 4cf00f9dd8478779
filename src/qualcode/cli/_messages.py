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
    # qualcode code
    "skipped": {"fr": "qualcode : fichier ignoré {path} : {msg}", "en": "qualcode: skipped {path}: {msg}"},
    "warning": {"fr": "qualcode : attention : {path} : {msg}", "en": "qualcode: warning: {path}: {msg}"},
    "coded": {"fr": "{files} fichiers, {sources} entretiens, {segments} segments ({coded} codés ; {reused} repris "
                    "du cache), {run}",
              "en": "{files} files, {sources} interviews, {segments} segments ({coded} coded; {reused} reused "
                    "from cache), {run}"},
    "pass": {"fr": "passage n° {n}", "en": "pass #{n}"},
    "unchanged": {"fr": "rien n'a changé depuis le passage n° {n}", "en": "nothing changed since pass #{n}"},
    "codes": {"fr": "codes : {codes}", "en": "codes: {codes}"},
    "none": {"fr": "aucun", "en": "none"},
    "stale": {"fr": "{n} décision(s) humaine(s) à revoir : leur texte a changé dans les transcriptions ; elles sont "
                    "gardées, pas appliquées (voir `qualcode status`)",
              "en": "{n} human decision(s) are stale: their words changed in the transcripts; they are kept, not "
                    "applied (see `qualcode status`)"},
    # qualcode review
    "review_written": {"fr": "classeur de relecture : {path} ({rows} segments, {codes} codes, {prefilled} décisions "
                             "pré-remplies)",
                       "en": "review workbook: {path} ({rows} segments, {codes} codes, {prefilled} decision cells "
                             "pre-filled)"},
    "backup": {"fr": "l'ancien classeur est gardé sous {path}", "en": "previous workbook kept as {path}"},
    "open_elsewhere": {"fr": "{path} est ouvert dans un tableur ; écrit {other} à la place",
                       "en": "{path} is open in a spreadsheet program; wrote {other} instead"},
    "imported": {"fr": "{path} : relecteur {who}, {rows} segments, {decisions} décisions : {verb} {stored} nouvelles, "
                       "{superseded} remplaçant des précédentes, {unchanged} inchangées",
                 "en": "{path}: reviewer {who}, {rows} segments, {decisions} decisions: {verb} {stored} new, "
                       "{superseded} superseding earlier ones, {unchanged} unchanged"},
    "withdrawn": {"fr": ", {n} retirées", "en": ", {n} withdrawn"},
    "stored": {"fr": "enregistré", "en": "stored"},
    "would_store": {"fr": "enregistrerait", "en": "would store"},
    "import_total": {"fr": "total : {decisions} décisions, {stored} nouvelles, {superseded} remplaçant des "
                           "précédentes, {unchanged} inchangées",
                     "en": "total: {decisions} decisions, {stored} new, {superseded} superseding, {unchanged} "
                           "unchanged"},
    "coded_workbook": {"fr": "classeur codé : {path}", "en": "coded workbook: {path}"},
    "warning_plain": {"fr": "attention : {msg}", "en": "warning: {msg}"},
}


def msg(key: str, lang: str | None, **fmt: object) -> str:
    """The message ``key`` in ``lang`` (English when the language is not covered); an ``attr``
    (participant attribute) is named in words of the language."""
    from .._i18n import localise

    return localise(_M, key, lang or "en", **fmt)
