"""Matrices and frequencies computed from the latest state, as pandas DataFrames.

One place computes every count that the workbook, the summaries and the report show, so that
they always agree. The unit is the segment; "interviews" counts distinct sources, and the
share of interviewees is taken within each attribute value (e.g. 2 of 3 managers).
"""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..store import Store
from ._state import attribute_columns, code_values, coded_state

MAX_GROUPS = 12  # attributes with more distinct values (names, ids) are not broken down


def coded_frame(store: Store, codebook: Codebook, reviewer: str | None = None) -> pd.DataFrame:
    """One row per active segment: identity, context, attributes, and per code its state
    (:meth:`CodedState.frame`; read a code's fields with :func:`code_values`)."""
    return coded_state(store, codebook, reviewer).frame()


def code_by_interview(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Codes x interviews: number of segments of each interview carrying each code."""
    if frame.empty:
        return pd.DataFrame(0, index=codebook.ids, columns=[])
    m = frame.groupby("source_id")[codebook.ids].sum().T.astype(int)
    m.index.name = "code"
    return m


def code_by_attribute(frame: pd.DataFrame, codebook: Codebook, attr: str = "role") -> dict[str, pd.DataFrame]:
    """Codes x attribute values: ``segments``, ``interviewees`` (distinct sources) and ``share``
    (interviewees with the code / interviewees with that attribute value)."""
    if frame.empty or attr not in frame:
        empty = pd.DataFrame(index=codebook.ids)
        return {"segments": empty, "interviewees": empty, "share": empty}
    seg = frame.groupby(attr)[codebook.ids].sum().T.astype(int)
    per_source = frame.groupby(["source_id", attr])[codebook.ids].any().reset_index()
    inter = per_source.groupby(attr)[codebook.ids].sum().T.astype(int)
    totals = per_source.groupby(attr)["source_id"].nunique()
    share = inter.div(totals, axis=1).fillna(0.0)
    for m in (seg, inter, share):
        m.index.name = "code"
    return {"segments": seg, "interviewees": inter, "share": share, "totals": totals.to_frame("n").T}


def frequencies(frame: pd.DataFrame, codebook: Codebook, attr: str | None = "role") -> pd.DataFrame:
    """Theme frequencies: segments, % of segments, interviews, % of interviews, reviewed."""
    n_seg = max(len(frame), 1)
    n_src = max(frame["source_id"].nunique() if not frame.empty else 0, 1)
    out = []
    for c in codebook.ids:
        col = frame[c] if not frame.empty else pd.Series(dtype=bool)
        srcs = frame.loc[col, "source_id"].nunique() if not frame.empty else 0
        out.append({"code": c, "segments": int(col.sum()), "segments_pct": col.sum() / n_seg,
                    "interviews": int(srcs), "interviews_pct": srcs / n_src,
                    "reviewed": int(code_values(frame, c, "reviewed").sum()) if not frame.empty else 0})
    df = pd.DataFrame(out).set_index("code")
    if attr and not frame.empty and attr in frame:
        share = code_by_attribute(frame, codebook, attr)["share"]
        for v in share.columns:
            df[f"share_{v}"] = share[v]
    return df


def cooccurrence(frame: pd.DataFrame, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """Segments carrying both codes (``counts``, diagonal = the code's total) and Jaccard index."""
    ids = codebook.ids
    if frame.empty:
        z = pd.DataFrame(0, index=ids, columns=ids)
        return {"counts": z, "jaccard": z.astype(float)}
    x = frame[ids].astype(int)
    counts = x.T @ x
    tot = pd.Series({c: counts.loc[c, c] for c in ids})
    union = tot.values[:, None] + tot.values[None, :] - counts.values
    jac = pd.DataFrame(counts.values / pd.DataFrame(union).replace(0, float("nan")).values,
                       index=ids, columns=ids).fillna(0.0)
    return {"counts": counts, "jaccard": jac}


def code_by_attribute_pct(frame: pd.DataFrame, codebook: Codebook, attr: str = "role") -> dict[str, pd.DataFrame]:
    """The code x attribute matrix of coded segments with its row and column percentages.

    ``row_pct``: how each code's segments split across the values (rows sum to 1);
    ``col_pct``: share of each value's segments that carry the code (a segment can carry
    several codes, so columns need not sum to 1). ``value_segments``: segments per value.
    """
    seg = code_by_attribute(frame, codebook, attr)["segments"]
    if seg.empty or attr not in frame:
        empty = pd.DataFrame(index=codebook.ids)
        return {"counts": empty, "row_pct": empty, "col_pct": empty, "value_segments": pd.Series(dtype=int)}
    per_value = frame.groupby(attr).size().reindex(seg.columns).astype(int)
    row_tot = seg.sum(axis=1).replace(0, float("nan"))
    row_pct = seg.div(row_tot, axis=0).fillna(0.0)
    col_pct = seg.div(per_value.replace(0, float("nan")), axis=1).fillna(0.0)
    return {"counts": seg, "row_pct": row_pct, "col_pct": col_pct, "value_segments": per_value}


def default_attribute(frame: pd.DataFrame, codebook: Codebook) -> str | None:
    """``role`` when the sources have it, else the first attribute with a few values."""
    attrs = attribute_columns(frame, codebook)
    if "role" in attrs:
        return "role"
    for a in attrs:
        if 1 < frame[a].nunique() <= MAX_GROUPS:
            return a
    return attrs[0] if attrs else None
