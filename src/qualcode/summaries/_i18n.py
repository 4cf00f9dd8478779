"""Words of the summaries, the report and their sheets, in French and English.

English is the fallback for any other codebook language. Numbers follow the language's
conventions (``1 210`` and ``67 %`` in French, ``1,210`` and ``67%`` in English).
"""

from __future__ import annotations

from .._i18n import localise, number

NBSP = "\u00a0"
NNBSP = "\u202f"

_L: dict[str, dict[str, str]] = {
    # sheets
    "sheet_summary": {"fr": "Synthèse", "en": "Summary"},
    "sheet_cooc": {"fr": "Cooccurrences", "en": "Co-occurrence"},
    "sheet_quotes": {"fr": "Citations", "en": "Quotes"},
    "sheet_topics": {"fr": "Thèmes émergents", "en": "Emergent topics"},
    # column headers and table titles
    "code": {"fr": "Code", "en": "Code"},
    "theme": {"fr": "Thème", "en": "Theme"},
    "segments": {"fr": "Segments", "en": "Segments"},
    "pct_segments": {"fr": "% des segments", "en": "% of segments"},
    "interviewees": {"fr": "Personnes interrogées", "en": "Interviewees"},
    "pct_interviewees": {"fr": "% des personnes interrogées", "en": "% of interviewees"},
    "confirmed": {"fr": "Confirmés par un relecteur", "en": "Confirmed by a reviewer"},
    "summary": {"fr": "Résumé", "en": "Summary"},
    "terms": {"fr": "Termes distinctifs", "en": "Distinctive terms"},
    "segments_of": {"fr": "Segments · {v}", "en": "Segments · {v}"},
    "share_of": {"fr": "% {v}", "en": "% {v}"},
    "interview": {"fr": "Entretien", "en": "Interview"},
    "segment": {"fr": "Segment", "en": "Segment"},
    "rank": {"fr": "Rang", "en": "Rank"},
    "question": {"fr": "Question posée", "en": "Question asked"},
    "quote": {"fr": "Citation", "en": "Quote"},
    "status": {"fr": "Statut", "en": "Status"},
    "reviewed": {"fr": "revu", "en": "reviewed"},
    "memo": {"fr": "Mémo", "en": "Memo"},
    "machine": {"fr": "machine", "en": "machine"},
    "excerpt": {"fr": "extrait", "en": "excerpt"},
    "total": {"fr": "Total", "en": "Total"},
    "all": {"fr": "Ensemble", "en": "All"},
    "matrix_counts": {"fr": "Segments codés : code x {attr}", "en": "Coded segments: code x {attr}"},
    "matrix_row": {"fr": "% en ligne : répartition des segments du code entre les valeurs de {attr}",
                   "en": "Row %: how each code's segments split across {attr}"},
    "matrix_col": {"fr": "% en colonne : part des segments de chaque valeur de {attr} qui portent le code",
                   "en": "Column %: share of each {attr}'s segments that carry the code"},
    "share_title": {"fr": "Part des personnes interrogées qui évoquent le thème, par {attr}",
                    "en": "Share of interviewees who raise the theme, by {attr}"},
    "themes_title": {"fr": "Thèmes", "en": "Themes"},
    "chart_segments_by": {"fr": "Segments codés par thème et par {attr}",
                          "en": "Coded segments by theme and {attr}"},
    "chart_share_by": {"fr": "Part des personnes interrogées par thème et par {attr}",
                       "en": "Share of interviewees by theme and {attr}"},
    "chart_themes": {"fr": "Fréquence des thèmes", "en": "Theme frequencies"},
    "chart_heatmap": {"fr": "Code x {attr} : % des segments de chaque {attr}",
                      "en": "Code x {attr}: % of each {attr}'s segments"},
    "chart_cooc": {"fr": "Cooccurrence des thèmes (indice de Jaccard, nombre de segments)",
                   "en": "Theme co-occurrence (Jaccard index, number of segments)"},
    "chart_topics": {"fr": "Thèmes émergents : taille (segments)", "en": "Emergent topics: size (segments)"},
    "cooc_counts": {"fr": "Segments portant les deux codes (diagonale : total du code)",
                    "en": "Segments carrying both codes (diagonal: the code's total)"},
    "cooc_jaccard": {"fr": "Indice de Jaccard (segments en commun / segments portant l'un ou l'autre)",
                     "en": "Jaccard index (segments in common / segments carrying either)"},
    "cooc_pairs": {"fr": "Paires de thèmes les plus associées", "en": "Themes that come together most"},
    "theme_a": {"fr": "Thème A", "en": "Theme A"},
    "theme_b": {"fr": "Thème B", "en": "Theme B"},
    "together": {"fr": "Segments en commun", "en": "Segments together"},
    "jaccard": {"fr": "Jaccard", "en": "Jaccard"},
    # report
    "report_title": {"fr": "Synthèse des thèmes", "en": "Theme summaries"},
    "generated": {"fr": "Généré le {date} depuis {db} · livre de codes {cb}",
                  "en": "Generated on {date} from {db} · codebook {cb}"},
    "corpus": {"fr": "{i} entretiens, {s} segments de parole des personnes interrogées ; {c} segments "
                     "portent au moins un code ({cp}), {u} aucun ({up}). {r} segments ont au moins "
                     "une décision d'un relecteur.",
               "en": "{i} interviews, {s} segments of interviewees' speech; {c} segments carry at "
                     "least one code ({cp}), {u} carry none ({up}). {r} segments have at least one "
                     "reviewer's decision."},
    "groups_line": {"fr": "Par {attr} : {groups}.", "en": "By {attr}: {groups}."},
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "by_attr": {"fr": "Par {attr}", "en": "By {attr}"},
    "cooc_title": {"fr": "Thèmes associés", "en": "Themes that come together"},
    "per_theme": {"fr": "Thèmes, un par un", "en": "Theme by theme"},
    "quotes": {"fr": "Citations", "en": "Quotes"},
    "counts": {"fr": "Chiffres", "en": "Counts"},
    "emergent": {"fr": "Thèmes émergents", "en": "Emergent topics"},
    "missing": {"fr": "Ce que le livre de codes ne couvre pas", "en": "What the codebook misses"},
    "method": {"fr": "Méthode", "en": "Method"},
    "method_text": {
        "fr": "Unité : le segment de parole d'une personne interrogée. État retenu : la dernière "
              "décision humaine sur chaque (segment, code), sinon le dernier passage automatique. "
              "« Personnes interrogées » compte les entretiens distincts. Les termes distinctifs "
              "sont calculés par TF-IDF de classe (c-TF-IDF, mots et paires de mots, mots vides "
              "français et anglais retirés). Les citations sont choisies pour leur proximité au "
              "centre du thème (TF-IDF), une par personne, en alternant les valeurs de {attr}, "
              "les segments revus d'abord ; « … » signale un extrait.",
        "en": "Unit: one segment of an interviewee's speech. State shown: the newest human decision "
              "on each (segment, code), else the newest machine pass. \"Interviewees\" counts "
              "distinct interviews. Distinctive terms come from class-based TF-IDF (c-TF-IDF, words "
              "and word pairs, French and English stop words removed). Quotes are chosen for their "
              "closeness to the theme's centre (TF-IDF), one per person, alternating across values "
              "of {attr}, reviewed segments first; \"…\" marks an excerpt."},
    "no_quotes": {"fr": "Aucune citation : aucun segment n'est codé.", "en": "No quote: no segment is coded."},
    "topics_intro": {
        "fr": "{method} sur {n} segments ({scope}) ; {k} thèmes trouvés, {o} segments hors thème. "
              "Plongements : {emb} ; graine {seed}. Ces thèmes sont des pistes : les codes "
              "brouillons sont dans {drafts}.",
        "en": "{method} over {n} segments ({scope}); {k} topics found, {o} segments in no topic. "
              "Embeddings: {emb}; seed {seed}. These are leads, not findings: the draft codes are "
              "in {drafts}."},
    "method_bertopic": {"fr": "BERTopic", "en": "BERTopic"},
    "method_kmeans": {"fr": "K-moyennes (trop peu de segments pour BERTopic)",
                      "en": "k-means (too few segments for BERTopic)"},
    "scope_uncoded": {"fr": "ceux qu'aucun code n'a retenus", "en": "those no code caught"},
    "scope_all": {"fr": "tous les segments", "en": "all segments"},
    "topic": {"fr": "Thème émergent", "en": "Topic"},
    "keywords": {"fr": "Mots-clés", "en": "Keywords"},
    "topic_label": {"fr": "Libellé proposé", "en": "Proposed label"},
    "size": {"fr": "Segments", "en": "Segments"},
    "examples": {"fr": "Exemples", "en": "Examples"},
    "draft_code": {"fr": "Code brouillon", "en": "Draft code"},
    "no_topics": {"fr": "Pas de thème émergent : {why}", "en": "No emergent topic: {why}"},
    "heatmap_note": {"fr": "Couleur : % des segments de la colonne qui portent le code ; chiffre : "
                           "nombre de segments (et %).",
                     "en": "Colour: % of the column's segments that carry the code; figure: number "
                           "of segments (and %)."},
    # paragraphs
    "p_none": {"fr": "Aucun segment n'est codé « {label} ».", "en": "No segment is coded \u201c{label}\u201d."},
    "p_main": {"fr": "« {label} » est évoqué par {k} des {n} personnes interrogées ({pct}), dans {s} "
                     "segments ({spct} de l'ensemble).",
               "en": "\u201c{label}\u201d is raised by {k} of the {n} interviewees ({pct}), in {s} "
                     "segments ({spct} of all segments)."},
    "p_groups": {"fr": "Par {attr} : {groups}.", "en": "By {attr}: {groups}."},
    "p_group": {"fr": "{v} {k} sur {n}", "en": "{v} {k} of {n}"},
    "p_contrast": {"fr": "Il revient davantage dans le groupe « {hi} » ({hk} sur {hn}) que dans le "
                         "groupe « {lo} » ({lk} sur {ln}).",
                   "en": "It comes up more in the \u201c{hi}\u201d group ({hk} of {hn}) than in the "
                         "\u201c{lo}\u201d group ({lk} of {ln})."},
    "p_assoc": {"fr": "Il est souvent associé à {items}.", "en": "It often comes with {items}."},
    "p_assoc_item": {"fr": "« {label} » ({n} segments en commun)", "en": "\u201c{label}\u201d ({n} segments together)"},
    "p_assoc_item_1": {"fr": "« {label} » (1 segment en commun)", "en": "\u201c{label}\u201d (1 segment together)"},
    "p_terms": {"fr": "Termes distinctifs : {terms}.", "en": "Distinctive terms: {terms}."},
    "p_reviewed": {"fr": "{r} de ses {s} segments ont été confirmés par un relecteur.",
                   "en": "{r} of its {s} segments were confirmed by a reviewer."},
    "p_reviewed_1": {"fr": "1 de ses {s} segments a été confirmé par un relecteur.",
                     "en": "1 of its {s} segments was confirmed by a reviewer."},
    "p_reviewed_all": {"fr": "Tous ses segments ont été confirmés par un relecteur.",
                       "en": "All its segments were confirmed by a reviewer."},
    "p_unreviewed": {"fr": "Aucun de ses segments n'a encore été revu (codage automatique seul).",
                     "en": "None of its segments has been reviewed yet (machine coding only)."},
    "and": {"fr": "et", "en": "and"},
}


def tr(key: str, lang: str, **fmt: object) -> str:
    """The text ``key`` in ``lang`` (English when the language is not covered)."""
    return localise(_L, key, lang, **fmt)


def fmt_int(n: int, lang: str) -> str:
    s = f"{int(n):,}"
    return s.replace(",", NNBSP) if lang == "fr" else s


def fmt_pct(x: float, lang: str, digits: int | None = None) -> str:
    """A percentage; one decimal below 10 % (so that 3 of 1,210 is not "0 %")."""
    x = float(x)
    if digits is None and 0 < x < 0.0005:
        return f"<0,1{NBSP}%" if lang == "fr" else "<0.1%"
    if digits is None:
        digits = 1 if 0 < x < 0.1 else 0
    v = f"{100 * x:.{digits}f}"
    return f"{v.replace('.', ',')}{NBSP}%" if lang == "fr" else f"{v}%"


def fmt_dec(x: float, lang: str, digits: int = 2) -> str:
    """A decimal number: ``0,42`` in French, ``0.42`` in English (one convention per output)."""
    return number(x, lang, digits)


def join_list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {tr('and', lang)} " + items[-1]
