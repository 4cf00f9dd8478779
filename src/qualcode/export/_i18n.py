"""Output labels in the codebook's language (French and English; English otherwise)."""

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
    "evidence": {"fr": "Indices", "en": "Evidence"},
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
    "share_of": {"fr": "% des {v}", "en": "% of {v}"},
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
}


def t(key: str, lang: str, **fmt: str) -> str:
    """The label ``key`` in ``lang`` (English when the language is not covered)."""
    return localise(_LABELS, key, lang, **fmt)
