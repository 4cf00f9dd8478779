"""Output labels in the codebook's language (French and English; English otherwise).

Also :func:`evidence_text`: the coders write their evidence in a compact English form
("lexicon: ...", "semantic: «...» ~ example: ... (similarity 0.62)"); readers get it in
their language, with the language's decimal separator.
"""

from __future__ import annotations

from .._i18n import localise

_LABELS: dict[str, dict[str, str]] = {
    "segments": {"fr": "Segments", "en": "Segments"},
    "by_interview": {"fr": "Code x entretien", "en": "Code x interview"},
    "by_role": {"fr": "Code x rôle", "en": "Code x role"},
    "frequencies": {"fr": "Fréquences", "en": "Theme frequencies"},
    "codebook": {"fr": "Livre de codes", "en": "Codebook"},
    "about": {"fr": "À propos", "en": "About"},
    "segment_id": {"fr": "Segment", "en": "Segment"},
    "interview": {"fr": "Entretien", "en": "Interview"},
    "speaker": {"fr": "Locuteur", "en": "Speaker"},
    "timestamp": {"fr": "Horodatage", "en": "Timestamp"},
    "question": {"fr": "Question précédente", "en": "Question before"},
    "text": {"fr": "Texte", "en": "Text"},
    "evidence": {"fr": "Indices de la machine", "en": "Machine evidence"},
    "status": {"fr": "Statut", "en": "Status"},
    "reviewed": {"fr": "revu", "en": "reviewed"},
    "machine": {"fr": "machine", "en": "machine"},
    "code": {"fr": "Code", "en": "Code"},
    "label": {"fr": "Libellé", "en": "Label"},
    "total": {"fr": "Total", "en": "Total"},
    "n_segments": {"fr": "Segments", "en": "Segments"},
    "pct_segments": {"fr": "% des segments", "en": "% of segments"},
    "n_interviews": {"fr": "Entretiens", "en": "Interviews"},
    "pct_interviews": {"fr": "% des entretiens", "en": "% of interviews"},
    "n_reviewed": {"fr": "Codages revus", "en": "Reviewed codings"},
    "share_of": {"fr": "% {v}", "en": "% {v}"},
    "interviewees": {"fr": "Personnes interrogées", "en": "Interviewees"},
    "segments_by": {"fr": "Segments codés, par {attr}", "en": "Coded segments, by {attr}"},
    "interviewees_by": {"fr": "Personnes interrogées ayant évoqué le thème, par {attr}",
                        "en": "Interviewees who raised the theme, by {attr}"},
    "share_by": {"fr": "Part des personnes interrogées, par {attr}",
                 "en": "Share of interviewees, by {attr}"},
    "definition": {"fr": "Définition", "en": "Definition"},
    "include": {"fr": "Inclure", "en": "Include"},
    "exclude": {"fr": "Exclure", "en": "Exclude"},
    "examples": {"fr": "Exemples", "en": "Examples"},
    "parent": {"fr": "Code parent", "en": "Parent code"},
    "lexicon": {"fr": "Lexique (entrées)", "en": "Lexicon (entries)"},
    "threshold": {"fr": "Seuil", "en": "Threshold"},
    "color": {"fr": "Couleur", "en": "Colour"},
    "memos": {"fr": "Mémos", "en": "Memos"},
    "disputed": {"fr": "désaccord", "en": "disagreement"},
    "disputes": {"fr": "Désaccords", "en": "Disagreements"},
    "decisions": {"fr": "Décisions (relecteur : décision — mémo)", "en": "Decisions (reviewer: decision — memo)"},
    "applied_now": {"fr": "Retenu", "en": "Shown as"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "no_disputes": {"fr": "Aucun désaccord entre relecteurs.", "en": "No disagreement between reviewers."},
    "disputes_note": {"fr": "Cellules où les relecteurs ne sont pas d'accord (et qu'aucun arbitre n'a tranchées). "
                            "Retenu : la majorité, « oui » à égalité. Pour trancher : qualcode review export "
                            "--adjudicate --reviewer NOM.",
                      "en": "Cells where reviewers disagree (and no adjudicator decided). Shown as: the "
                            "majority, 'yes' on a tie. To settle them: qualcode review export --adjudicate "
                            "--reviewer NAME."},
    "stale_decisions": {"fr": "Décisions à revoir (texte modifié)", "en": "Decisions to review (text changed)"},
    "orphaned_decisions": {"fr": "Décisions sur des codes retirés", "en": "Decisions on removed codes"},
    "disagreements": {"fr": "Désaccords entre relecteurs", "en": "Disagreements between reviewers"},
    "long_text": {"fr": "Texte long : lisez-le en entier dans le commentaire (survolez la cellule).",
                  "en": "Long text: read it whole in the comment (hover over the cell)."},
    "about_title": {"fr": "À propos de ce classeur", "en": "About this workbook"},
    "about_what": {"fr": "Classeur", "en": "Workbook"},
    "about_coded": {"fr": "Classeur codé (qualcode)", "en": "Coded workbook (qualcode)"},
    "written_at": {"fr": "Écrit le", "en": "Written on"},
    "project": {"fr": "Projet", "en": "Project"},
    "codebook_version": {"fr": "Livre de codes", "en": "Codebook"},
    "codebook_file": {"fr": "Fichier du livre de codes", "en": "Codebook file"},
    "last_pass": {"fr": "Dernier passage automatique", "en": "Last machine pass"},
    "last_pass_value": {"fr": "n° {id}, le {date} ({coder})", "en": "#{id}, on {date} ({coder})"},
    "passes": {"fr": "Passages enregistrés", "en": "Passes recorded"},
    "reviewed_codings": {"fr": "Codages revus par un relecteur", "en": "Codings reviewed by a reviewer"},
    "unit": {"fr": "Unité", "en": "Unit"},
    "unit_value": {"fr": "le segment : un tour de parole de la personne interrogée",
                   "en": "the segment: one turn of the interviewee's speech"},
    "item": {"fr": "Élément", "en": "Item"},
    "value": {"fr": "Valeur", "en": "Value"},
    "interviews_as_rows": {"fr": "Entretien x code", "en": "Interview x code"},
    "matrix_note": {"fr": "Nombre de segments de chaque entretien portant chaque code ; plus la "
                          "couleur est foncée, plus il y en a.",
                    "en": "Segments of each interview carrying each code; the darker, the more."},
}

def t(key: str, lang: str, **fmt: str) -> str:
    """The label ``key`` in ``lang`` (English when the language is not covered)."""
    return localise(_LABELS, key, lang, **fmt)
