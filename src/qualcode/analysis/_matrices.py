"""Matrices and frequencies computed from the latest state, as pandas DataFrames.

One place computes every count that the workbook, the summaries and the report show, so that
they always agree. The unit is the segment; "interviews" counts distinct sources, and the
share of interviewees is taken within each attribute value (e.g. 2 of 3 managers).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..codebook import Codebook
from ..store import Store

UNKNOWN = "(unknown)"
MAX_GROUPS = 12  # attributes with more distinct values (names, ids) are not broken down


def coded_frame(store: Store, codebook: Codebook, reviewer: str | None = None) -> pd.DataFrame:
    """One row per active segment: identity, context, attributes, and per code its state.

    For each code ``C``: ``C`` (bool, applied), ``C__conf`` (machine confidence or NaN),
    ``C__reviewed`` (a human decided), ``C__evidence`` (text).
    """
    segs = store.segments()
    state = store.effective(reviewer)
    attr_keys = attribute_keys(s.attributes for s in segs)
    columns = _attribute_names(attr_keys, codebook)
    rows: list[dict[str, Any]] = []
    for s in segs:
        row: dict[str, Any] = {"segment_id": s.id, "source_id": s.source_id, "turn": s.turn_index,
                               "speaker": s.speaker, "timestamp": s.timestamp or "",
                               "question": s.question, "text": s.text, "start": s.start, "end": s.end}
        for k in attr_keys:
            v = s.attributes.get(k)
            row[columns[k]] = UNKNOWN if v is None or v == "" else str(v)
        for c in codebook.ids:
            e = state.get((s.id, c))
            row[c] = bool(e and e.applied)
            row[f"{c}__conf"] = e.confidence if e and e.confidence is not None else float("nan")
            row[f"{c}__reviewed"] = bool(e and e.reviewed)
            row[f"{c}__evidence"] = "; ".join(e.evidence) if e and e.applied else ""
            row[f"{c}__memo"] = e.memo if e else ""
            row[f"{c}__disputed"] = bool(e and e.disputed)
        rows.append(row)
    cols = [*FIXED_COLUMNS, *columns.values()]
    for c in codebook.ids:
        cols += [c, f"{c}__conf", f"{c}__reviewed", f"{c}__evidence", f"{c}__memo", f"{c}__disputed"]
    return pd.DataFrame(rows, columns=cols)


FIXED_COLUMNS = ("segment_id", "source_id", "turn", "speaker", "timestamp", "question", "text", "start", "end")
PER_CODE = ("conf", "reviewed", "evidence", "memo", "disputed")


def _attribute_names(keys: list[str], codebook: Codebook) -> dict[str, str]:
    """Attribute name -> its column in the coded frame, never one of the frame's own columns
    or a code's: a participants column named ``text`` or ``JOBS`` becomes ``text (participant)``."""
    reserved = set(FIXED_COLUMNS) | set(codebook.ids) | {f"{c}__{x}" for c in codebook.ids for x in PER_CODE}
    out: dict[str, str] = {}
    for k in keys:
        name = k
        while name in reserved:
            name = f"{name} (participant)"
        reserved.add(name)
        out[k] = name
    return out


def attribute_keys(attr_dicts: Any) -> list[str]:
    """Attribute names across sources, ``role`` first, then in order of first appearance."""
    seen: dict[str, None] = {}
    for d in attr_dicts:
        for k in d:
            seen.setdefault(str(k), None)
    keys = list(seen)
    return (["role"] if "role" in seen else []) + [k for k in keys if k != "role"]


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
                    "reviewed": int(frame[f"{c}__reviewed"].sum()) if not frame.empty else 0})
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


def attribute_columns(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The attribute columns of a coded frame (between the fixed columns and the codes)."""
    cols = list(frame.columns)
    first = cols.index(codebook.ids[0]) if codebook.ids and codebook.ids[0] in cols else len(cols)
    return cols[cols.index("end") + 1:first]


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
