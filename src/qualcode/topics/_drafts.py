"""Draft codes from emergent topics, in the codebook's YAML schema, ready to be merged.

Each topic becomes a code ``EMERGENT_NN`` whose label comes from its keywords, whose
definition says plainly that it is a draft, whose examples are its representative segments
and whose lexicon is its keywords, so that a researcher can copy the codes worth keeping
into the codebook's ``codes:`` list and recode.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ._model import TopicResult

_GREY = ["#7F7F7F", "#8C564B", "#17BECF", "#BCBD22", "#9467BD", "#E377C2"]

_TEXT = {
    "fr": {"def": "brouillon : segments qui parlent de {kw} ({n} segments, {p} personnes interrogées). "
                  "Réécrivez cette définition avant usage.",
           "title": "Codes brouillons issus des thèmes émergents",
           "head": "# Codes brouillons produits par `qualcode topics` le {date} : {k} thèmes émergents\n"
                   "# parmi {n} segments ({scope}). Relisez chaque code : renommez-le, réécrivez sa\n"
                   "# définition, gardez les bons exemples et termes, puis copiez les codes retenus dans\n"
                   "# la liste `codes:` de votre livre de codes et relancez `qualcode code`.\n"},
    "en": {"def": "draft: segments about {kw} ({n} segments, {p} interviewees). Rewrite this definition "
                  "before use.",
           "title": "Draft codes from emergent topics",
           "head": "# Draft codes written by `qualcode topics` on {date}: {k} emergent topics among\n"
                   "# {n} segments ({scope}). Review each code: rename it, rewrite its definition, keep\n"
                   "# the good examples and terms, then copy the codes you keep into your codebook's\n"
                   "# `codes:` list and run `qualcode code` again.\n"},
}


def draft_codebook(result: TopicResult, n_lexicon: int = 6) -> str:
    """The draft codes as YAML text (loads with :func:`qualcode.codebook.parse_codebook`)."""
    lang = result.lang if result.lang in _TEXT else "en"
    txt = _TEXT[lang]
    codes = []
    for k, t in enumerate(result.topics):
        kws = [w for w, _ in t.keywords]
        codes.append({
            "id": t.code_id,
            "label": {result.lang: t.label},
            "definition": {result.lang: txt["def"].format(kw=", ".join(kws[:6]) or "-", n=t.size, p=t.interviews)},
            "examples": {result.lang: [q.text for q in t.examples]},
            "lexicon": {result.lang: [{"term": w, "weight": 0.5} for w in kws[:n_lexicon]]},
            "color": _GREY[k % len(_GREY)],
        })
    doc = {"name": "draft_codes", "version": f"draft-{result.created_at[:10]}", "language": result.lang,
           "languages": [result.lang], "title": {result.lang: txt["title"]}, "codes": codes}
    from ..summaries._i18n import tr

    scope = tr("scope_uncoded" if result.scope == "uncoded" else "scope_all", lang)
    head = txt["head"].format(date=result.created_at[:16].replace("T", " "), k=len(codes), n=result.n_docs,
                              scope=scope)
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def write_drafts(result: TopicResult, path: str | Path) -> Path | None:
    """Write the draft codes; None (and no file) when there is no topic to draft from."""
    if not result.topics:
        return None
    from .._files import atomic_write_text

    return atomic_write_text(path, draft_codebook(result))
