"""The review workbook's layout, shared by export and import so that they never drift apart.

Columns are found again by their header text (recorded in the hidden ``_meta`` sheet), never
by position, and rows by their segment id, never by order: the reviewer may sort, filter,
move or hide columns and rows freely.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .._i18n import localise

FORMAT = "qualcode-review"
FORMAT_VERSION = "1"
META_SHEET = "_meta"
HEADER_ROW = 3  # rows 1-2: reviewer name and instructions
FIRST_ROW = HEADER_ROW + 1
REVIEWER_CELL = "B1"

# Column keys. Per-code keys are "<kind>:<code id>".
SEGMENT, KEY, INTERVIEW, TEXT, QUESTION, EVIDENCE, MEMO = (
    "segment", "key", "interview", "text", "question", "evidence", "memo")
SPEAKER, TIMESTAMP, REVIEWS = "speaker", "timestamp", "reviews"
OLD_TEXT, NEW_TEXT, BEFORE, CONFIRM = "old_text", "new_text", "before", "confirm"
MACHINE, CONF, DECISION, ATTR = "machine", "conf", "decision", "attr"

_LABELS: dict[str, dict[str, str]] = {
    "sheet": {"fr": "Révision", "en": "Review"},
    "readme": {"fr": "Lisez-moi", "en": "Read me"},
    "codebook": {"fr": "Livre de codes", "en": "Codebook"},
    "reviewer": {"fr": "Relecteur", "en": "Reviewer"},
    SEGMENT: {"fr": "Segment", "en": "Segment"},
    KEY: {"fr": "Clé (ne pas modifier)", "en": "Key (do not edit)"},
    INTERVIEW: {"fr": "Entretien", "en": "Interview"},
    TEXT: {"fr": "Texte", "en": "Text"},
    QUESTION: {"fr": "Question précédente", "en": "Question before"},
    EVIDENCE: {"fr": "Indices de la machine", "en": "Machine evidence"},
    MEMO: {"fr": "Commentaire (mémo)", "en": "Comment (memo)"},
    SPEAKER: {"fr": "Locuteur", "en": "Speaker"},
    TIMESTAMP: {"fr": "Horodatage", "en": "Timestamp"},
    MACHINE: {"fr": "machine", "en": "machine"},
    CONF: {"fr": "confiance", "en": "confidence"},
    DECISION: {"fr": "DÉCISION", "en": "DECISION"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "clear": {"fr": "effacer", "en": "clear"},
    "stale_sheet": {"fr": "À revoir", "en": "To review"},
    "old_text": {"fr": "Ancien texte (décidé)", "en": "Old text (decided on)"},
    "new_text": {"fr": "Nouveau texte", "en": "New text"},
    "gone": {"fr": "(ce passage n'est plus dans la transcription)", "en": "(this passage is no longer in the transcript)"},
    "before": {"fr": "avant", "en": "before"},
    "confirm": {"fr": "Confirmer", "en": "Confirm"},
    "reviews": {"fr": "Décisions des relecteurs", "en": "Reviewers' decisions"},
    "adjudicator": {"fr": "Arbitre", "en": "Adjudicator"},
    "below": {"fr": "sous le seuil", "en": "below threshold"},
    "id": {"fr": "Code", "en": "Code"},
    "label": {"fr": "Libellé", "en": "Label"},
    "definition": {"fr": "Définition", "en": "Definition"},
    "include": {"fr": "Inclure", "en": "Include"},
    "exclude": {"fr": "Exclure", "en": "Exclude"},
    "examples": {"fr": "Exemples", "en": "Examples"},
    "instructions": {
        "fr": "Choisissez {yes} ou {no} dans les colonnes DÉCISION (liste déroulante) ; vide = non revu, "
              "la proposition de la machine reste. Triez et filtrez librement ; ne modifiez ni les "
              "identifiants ni les textes. Puis : qualcode review import <ce fichier>",
        "en": "Choose {yes} or {no} in the DECISION columns (dropdown); empty = not reviewed, the "
              "machine's proposal stands. Sort and filter freely; do not edit ids or texts. "
              "Then: qualcode review import <this file>"},
    "dv_title": {"fr": "Décision", "en": "Decision"},
    "dv_prompt": {"fr": "{yes} = le code s'applique, {no} = il ne s'applique pas, vide = non revu, "
                        "effacer = retirer ma décision précédente",
                  "en": "{yes} = the code applies, {no} = it does not, empty = not reviewed, "
                        "clear = withdraw my earlier decision"},
    "dv_error": {"fr": "Choisissez {yes}, {no} ou effacer dans la liste, ou laissez vide.",
                 "en": "Choose {yes}, {no} or clear from the list, or leave the cell empty."},
}

_README: dict[str, list[str]] = {
    "fr": [
        "Comment relire",
        "Une ligne = un segment (une réponse de la personne interrogée), avec son contexte.",
        "Pour chaque code : « machine » = proposition de la machine ({yes} si elle applique le code), "
        "« confiance » = son score (0 à 1), « DÉCISION » = la vôtre.",
        "DÉCISION : {yes} = le code s'applique, {no} = il ne s'applique pas, vide = non revu "
        "(la proposition de la machine reste). Majuscules et espaces sont tolérés ; toute autre valeur "
        "est refusée à l'import.",
        "Commentaire (mémo) : une note libre, enregistrée avec les décisions de la ligne "
        "(il faut au moins une décision sur la ligne).",
        "Couleurs : proposition de la machine teintée de la couleur du code ; décision verte = accord "
        "avec la machine, orange = désaccord, rouge = valeur invalide.",
        "Vous pouvez trier, filtrer, masquer des lignes ou des colonnes. Ne modifiez pas les colonnes "
        "Segment et Clé (masquée) ni les textes : l'import le détecte et n'applique rien.",
        "Vider une décision déjà importée ne la retire pas : choisissez « effacer » pour la retirer "
        "(l'historique la garde), ou l'autre valeur pour la changer.",
        "Feuille « À revoir » : vos décisions dont le texte a changé dans la transcription depuis. "
        "L'ancien texte est à côté du nouveau, votre décision d'avant est pré-remplie ; elle ne compte "
        "qu'une fois confirmée (colonne Confirmer = {yes}).",
        "Import : qualcode review import <fichier> [--reviewer NOM]. Tout est vérifié d'abord ; au moindre "
        "problème, rien n'est appliqué et chaque problème est signalé avec sa cellule. Importer deux fois "
        "le même fichier ne change rien ; une nouvelle décision remplace l'ancienne (l'historique est gardé).",
    ],
    "en": [
        "How to review",
        "One row = one segment (one answer by the interviewee), with its context.",
        "For each code: 'machine' = the machine's proposal ({yes} when it applies the code), "
        "'confidence' = its score (0 to 1), 'DECISION' = yours.",
        "DECISION: {yes} = the code applies, {no} = it does not, empty = not reviewed (the machine's "
        "proposal stands). Case and spaces are tolerated; any other value is refused at import.",
        "Comment (memo): a free note, stored with the row's decisions (the row needs at least one "
        "decision).",
        "Colours: machine proposals tinted with the code's colour; decision green = agrees with the "
        "machine, orange = disagrees, red = invalid value.",
        "You may sort, filter, hide rows or columns. Do not edit the Segment and (hidden) Key columns "
        "or the texts: import detects it and applies nothing.",
        "Emptying a decision that was already imported does not withdraw it: choose 'clear' to "
        "withdraw it (the history keeps it), or the other value to change it.",
        "Sheet 'To review': your decisions whose text changed in the transcript since. The old text "
        "stands beside the new one and your earlier decision is pre-filled; it counts only once "
        "confirmed (Confirm column = {yes}).",
        "Import: qualcode review import <file> [--reviewer NAME]. Everything is checked first; if "
        "anything is wrong nothing is applied and every problem is reported with its cell. Importing "
        "the same file twice changes nothing; a newer decision supersedes the older (history is kept).",
    ],
}


def label(key: str, lang: str, **fmt: str) -> str:
    return localise(_LABELS, key, lang, **fmt)


def readme_lines(lang: str) -> list[str]:
    yes, no = decision_values(lang)
    return [line.format(yes=yes, no=no) for line in _README.get(lang, _README["en"])]


def decision_values(lang: str) -> tuple[str, str]:
    """The dropdown's two decisions in the workbook's language: (applies, does not apply)."""
    return label("yes", lang), label("no", lang)


def clear_value(lang: str) -> str:
    """The dropdown's third value: withdraw my earlier decision (the cell becomes unreviewed)."""
    return label("clear", lang)


def row_key(segment_id: str, text_sha: str) -> str:
    """A checksum binding a row's segment id to the text it was exported with.

    Stored in a hidden column: an edited id (or key) no longer matches, so a decision can
    never be silently applied to another segment.
    """
    return hashlib.sha1(f"{segment_id}\x1f{text_sha}".encode()).hexdigest()[:12]


def norm_header(value: object) -> str:
    """Header text compared whitespace-insensitively (wrapping may differ after a save)."""
    return " ".join(str(value).split()) if value is not None else ""


def norm_text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


@dataclass(frozen=True)
class Column:
    key: str  # e.g. "segment", "decision:JOBS", "attr:role"
    header: str
    width: float

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def code(self) -> str:
        return self.key.split(":", 1)[1] if ":" in self.key else ""


def code_header(code_label: str, code_id: str, kind: str, lang: str) -> str:
    return f"{code_label}\n[{code_id}] {label(kind, lang)}"
