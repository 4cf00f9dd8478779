"""Draft codes from emergent topics, in the codebook's YAML schema, ready to be merged.

Each topic becomes a code ``EMERGENT_NN`` whose label comes from its keywords, whose
definition says plainly that it is a draft, whose examples are its representative segments
and whose lexicon is its keywords, so that a researcher can copy the codes worth keeping
into the codebook's ``codes:`` list and recode.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .._i18n import tr
from ._model import TopicResult

_GREY = ["#7F7F7F", "#8C564B", "#17BECF", "#BCBD22", "#9467BD", "#E377C2"]



def draft_codebook(result: TopicResult, n_lexicon: int = 6) -> str:
    """The draft codes as YAML text (loads with :func:`qualcode.codebook.parse_codebook`)."""
    lang = result.lang
    codes = []
    for k, t in enumerate(result.topics):
        kws = [w for w, _ in t.keywords]
        codes.append({
            "id": t.code_id,
            "label": {result.lang: t.label},
            "definition": {result.lang: tr("topics.draft.def", lang, kw=", ".join(kws[:6]) or "-", n=t.size, p=t.interviews)},
            "examples": {result.lang: [q.text for q in t.examples]},
            "lexicon": {result.lang: [{"term": w, "weight": 0.5} for w in kws[:n_lexicon]]},
            "color": _GREY[k % len(_GREY)],
        })
    doc = {"name": "draft_codes", "version": f"draft-{result.created_at[:10]}", "language": result.lang,
           "languages": [result.lang], "title": {result.lang: tr("topics.draft.title", lang)}, "codes": codes}
    scope = tr("summary.scope_uncoded" if result.scope == "uncoded" else "summary.scope_all", lang)
    head = tr("topics.draft.head", lang, date=result.created_at[:16].replace("T", " "), k=len(codes), n=result.n_docs,
                              scope=scope)
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def write_drafts(result: TopicResult, path: str | Path) -> Path | None:
    """Write the draft codes; None (and no file) when there is no topic to draft from."""
    if not result.topics:
        return None
    from .._files import atomic_write_text

    return atomic_write_text(path, draft_codebook(result))
