"""Summaries as pure functions of the coded frame: counts, quotes, terms, paragraphs.

Every count comes from :mod:`qualcode.analysis`, which the coded workbook uses too,
so the summaries, the workbook and the report always agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._i18n import Message, fmt_int, fmt_pct, join_list, tr
from ..analysis import (
    MAX_GROUPS,
    MIN_WORDS,
    Association,
    Candidate,
    GroupCount,
    Quote,
    Summaries,
    Term,
    ThemeSummary,
    attribute_columns,
    centroid_scores,
    code_by_attribute,
    code_by_attribute_pct,
    code_column,
    code_matrix,
    code_values,
    cooccurrence,
    default_attribute,
    distinctive_terms,
    evidence_phrases,
    excerpt,
    frequencies,
    select_diverse,
    tfidf_vectors,
)
from ..codebook import Codebook
from ..store import now

DUPLICATE = 0.8  # TF-IDF cosine above which two quotes say the same thing


def summarize(frame: pd.DataFrame, codebook: Codebook, attribute: str | None = None,
              lang: str | None = None, n_quotes: int = 4, n_terms: int = 10,
              max_quote_chars: int = 400) -> Summaries:
    """Theme summaries from a coded frame (:func:`qualcode.export.coded_frame`).

    ``attribute`` is the main breakdown (default: ``role`` when present); every other
    attribute with at most a dozen values is broken down too.
    """
    lang = lang or codebook.language
    ids = codebook.ids
    attrs = attribute_columns(frame, codebook)
    if attribute is None:
        attribute = default_attribute(frame, codebook)
    elif attribute not in attrs:
        from ..errors import ConfigError

        raise ConfigError(parameter="by", value=attribute, reason=Message("msg.filter.no_attribute", column=attribute,
                          available=", ".join(attrs) or Message("msg.filter.none_add_participants")))
    freqs = frequencies(frame, codebook, None)
    applied = frame[ids].to_numpy(dtype=bool) if len(frame) else np.zeros((0, len(ids)), bool)
    reviewed_any = (code_matrix(frame, ids, "reviewed").to_numpy(dtype=bool).any(axis=1)
                    if len(frame) else np.zeros(0, bool))
    breakdowns = [a for a in attrs if a == attribute or _groups_people(frame, a)]
    groups = {a: code_by_attribute(frame, codebook, a) for a in breakdowns}

    if attribute:
        pct = code_by_attribute_pct(frame, codebook, attribute)
        matrix, row_pct, col_pct = pct["counts"], pct["row_pct"], pct["col_pct"]
        group_segments = {str(k): int(v) for k, v in pct["value_segments"].items()}
        totals = groups[attribute].get("totals")
        group_totals = {str(k): int(totals[k].iloc[0]) for k in totals.columns} if totals is not None else {}
        share = groups[attribute]["share"]
    else:
        matrix = row_pct = col_pct = share = pd.DataFrame(index=ids)
        group_segments, group_totals = {}, {}
    cooc = cooccurrence(frame, codebook)

    texts = frame["text"].astype(str).tolist()
    sources = frame["source_id"].astype(str).tolist()
    classes = {c: np.flatnonzero(applied[:, k]) for k, c in enumerate(ids)}
    background = np.flatnonzero(~applied.any(axis=1)) if len(frame) else np.zeros(0, int)
    terms = distinctive_terms(texts, sources, classes, background, n=n_terms)
    X = tfidf_vectors(texts) if len(texts) else None

    themes = []
    used: set[int] = set()  # a segment quoted under one theme is not quoted again under another
    for c in ids:
        rows = classes[c]
        th = ThemeSummary(
            code_id=c, label=codebook.label(c, lang), definition=codebook.code(c).text("definition", lang),
            color=codebook.code(c).color, segments=int(freqs.loc[c, "segments"]),
            segments_pct=float(freqs.loc[c, "segments_pct"]), interviews=int(freqs.loc[c, "interviews"]),
            interviews_pct=float(freqs.loc[c, "interviews_pct"]),
            reviewed=int((code_values(frame, c) & code_values(frame, c, "reviewed")).sum()) if len(frame) else 0,
            terms=terms.get(c, []))
        for a in breakdowns:
            m = groups[a]
            tot = m.get("totals")
            for v in m["segments"].columns:
                n = int(tot[v].iloc[0]) if tot is not None and v in tot.columns else 0
                th.groups.append(GroupCount(a, str(v), int(m["segments"].loc[c, v]),
                                            int(m["interviewees"].loc[c, v]), n, float(m["share"].loc[c, v])))
        th.associations = _associations(c, cooc, codebook, lang)
        if X is not None and len(rows):
            th.quotes = _quotes(frame, c, rows, X, texts, attribute, th.terms, n_quotes, max_quote_chars, attrs,
                                used)
        th.paragraph = paragraph(th, lang, attribute, frame["source_id"].nunique() if len(frame) else 0)
        themes.append(th)

    return Summaries(
        title=codebook.title.get(lang) or next(iter(codebook.title.values()), "") or codebook.name,
        lang=lang, codebook_name=codebook.name, codebook_version=codebook.version,
        attribute=attribute, attributes=attrs, n_segments=len(frame),
        n_interviews=int(frame["source_id"].nunique()) if len(frame) else 0,
        n_coded=int(applied.any(axis=1).sum()), n_reviewed=int(reviewed_any.sum()),
        group_totals=group_totals, group_segments=group_segments, themes=themes,
        matrix=matrix, matrix_row_pct=row_pct, matrix_col_pct=col_pct, share=share,
        cooc_counts=cooc["counts"], cooc_jaccard=cooc["jaccard"], generated_at=now())


def _groups_people(frame: pd.DataFrame, attr: str) -> bool:
    """An attribute worth a breakdown: a few values, each shared by several interviewees
    (a name, an id or a company size given per person groups nobody)."""
    n_people = frame["source_id"].nunique()
    n_values = frame.groupby("source_id")[attr].first().nunique()
    return 1 < n_values <= MAX_GROUPS and n_values < n_people


def _associations(c: str, cooc: dict[str, pd.DataFrame], cb: Codebook, lang: str) -> list[Association]:
    out = []
    for o in cb.ids:
        if o == c:
            continue
        n = int(cooc["counts"].loc[c, o])
        if n:
            out.append(Association(o, cb.label(o, lang), n, float(cooc["jaccard"].loc[c, o])))
    out.sort(key=lambda a: (-a.jaccard, -a.together, a.code_id))
    return out


def _quotes(frame: pd.DataFrame, c: str, rows: np.ndarray, X: Any, texts: list[str],
            attribute: str | None, terms: list[Term], k: int, max_chars: int,
            attrs: list[str], used: set[int] | None = None) -> list[Quote]:
    used = set() if used is None else used
    scores = centroid_scores(X, rows, texts)
    reviewed = code_values(frame, c, "reviewed").to_numpy(dtype=bool)
    src = frame["source_id"].astype(str).to_numpy()
    grp = frame[attribute].astype(str).to_numpy() if attribute else src
    words = np.array([len(texts[r].split()) for r in rows])
    keep = words >= MIN_WORDS
    if keep.sum() < k:  # too few substantial segments: short ones may be quoted
        keep[:] = True
    cands = [Candidate(int(r), src[r], grp[r], float(s), bool(reviewed[r]))
             for r, s, ok in zip(rows, scores, keep) if ok]
    fresh = [x for x in cands if x.row not in used]
    if len(fresh) >= k:  # a theme with few segments may share a quote rather than lose it
        cands = fresh

    def too_similar(i: int, j: int) -> bool:
        return float((X[i] @ X[j].T).toarray()[0, 0]) > DUPLICATE

    evidence = code_values(frame, c, "evidence").astype(str).to_numpy()
    memos = code_values(frame, c, "memo").astype(str).to_numpy() if code_column(c, "memo") in frame else None
    out = []
    for cand in select_diverse(cands, k, too_similar):
        r = cand.row
        focus = [*evidence_phrases(evidence[r]), *(t.term for t in terms)]
        text, cut = excerpt(texts[r], max_chars, focus)
        used.add(r)
        question = str(frame["question"].iat[r]) if "question" in frame else ""
        out.append(Quote(str(frame["segment_id"].iat[r]), src[r], text,
                         {a: str(frame[a].iat[r]) for a in attrs}, cand.reviewed, cand.score, cut,
                         question if question != "None" else "",
                         memos[r] if memos is not None else ""))
    return out


def paragraph(th: ThemeSummary, lang: str, attribute: str | None, n_interviews: int) -> str:
    """A short factual paragraph: only numbers and words computed from the coded data."""
    if th.segments == 0:
        return tr("summary.p_none", lang, label=th.label)
    parts = [tr("summary.p_main", lang, label=th.label, k=fmt_int(th.interviews, lang), n=fmt_int(n_interviews, lang),
                pct=fmt_pct(th.interviews_pct, lang), s=fmt_int(th.segments, lang),
                spct=fmt_pct(th.segments_pct, lang))]
    groups = th.groups_for(attribute) if attribute else []
    if len(groups) > 1:
        items = [tr("summary.p_group", lang, v=g.value, k=fmt_int(g.interviewees, lang), n=fmt_int(g.total, lang))
                 for g in groups]
        parts.append(tr("summary.p_groups", lang, attr=attribute, groups=", ".join(items) if lang != "fr" else " ; ".join(items)))
        big = [g for g in groups if g.total >= 2]
        if len(big) >= 2:
            hi = max(big, key=lambda g: (g.share, g.total))
            lo = min(big, key=lambda g: (g.share, -g.total))
            if hi.share - lo.share >= 0.25:
                parts.append(tr("summary.p_contrast", lang, hi=hi.value, hk=hi.interviewees, hn=hi.total,
                                lo=lo.value, lk=lo.interviewees, ln=lo.total))
    floor = 2 if th.segments >= 5 else 1
    assoc = [a for a in th.associations if a.together >= floor][:2]
    if assoc:
        items = [tr("summary.p_assoc_item_1" if a.together == 1 else "summary.p_assoc_item", lang, label=a.label,
                    n=fmt_int(a.together, lang)) for a in assoc]
        parts.append(tr("summary.p_assoc", lang, items=join_list(items, lang)))
    if th.terms:
        parts.append(tr("summary.p_terms", lang, terms=", ".join(t.term for t in th.terms[:6])))
    if th.reviewed:
        key = ("summary.p_reviewed_all" if th.reviewed == th.segments else "summary.p_reviewed_1" if th.reviewed == 1
               else "summary.p_reviewed")
        parts.append(tr(key, lang, r=fmt_int(th.reviewed, lang), s=fmt_int(th.segments, lang)))
    else:
        parts.append(tr("summary.p_unreviewed", lang))
    return " ".join(parts)
