"""PNG charts of the report, drawn with matplotlib's object API (no pyplot, no global state).

Each function returns the figure and the table of numbers it plots, so that tests can check
the numbers a reader sees against the project database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._i18n import fmt_pct, number, tr
from ..summaries import Summaries

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from ..topics import TopicResult

PALETTE = ["#2F5597", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#A50021", "#3B3838",
           "#00B0F0", "#FF66CC"]
DPI = 150


def _figure(w: float, h: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=DPI, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def _wrap(label: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(label, width)) or label


def themes_chart(s: Summaries) -> tuple[Figure, pd.DataFrame]:
    """Share of interviewees who raised each theme (bars in the code's colour), most frequent on top."""
    data = pd.DataFrame({"label": [t.label for t in s.themes], "interviewees": [t.interviews for t in s.themes],
                         "share": [t.interviews_pct for t in s.themes], "segments": [t.segments for t in s.themes],
                         "color": [t.color for t in s.themes]}, index=[t.code_id for t in s.themes])
    data = data.sort_values(["share", "segments"], ascending=[True, True], kind="stable")
    fig = _figure(8, 0.45 * len(data) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    ax.barh(y, data["share"], color=list(data["color"]), height=0.65)
    ax.set_yticks(y, [_wrap(x) for x in data["label"]])
    top = max(float(data["share"].max()) if len(data) else 0, 0.01)
    ax.set_xlim(0, min(1.0, top * 1.3 + 0.02))
    ax.xaxis.set_major_formatter(_pct_formatter(s.lang))
    for yi, (_, r) in zip(y, data.iterrows()):
        ax.text(r["share"] + top * 0.01, yi, f"{r['interviewees']} ({fmt_pct(r['share'], s.lang)}) · "
                f"{r['segments']} seg.", va="center", fontsize=7)
    ax.set_xlabel(tr("summary.pct_interviewees", s.lang), fontsize=8)
    ax.set_title(tr("summary.chart_themes", s.lang), fontsize=10, loc="left")
    _style(ax)
    return fig, data.drop(columns="color")


def by_group_chart(s: Summaries) -> tuple[Figure, pd.DataFrame]:
    """Grouped bars: for each theme, the share of each group's interviewees who raised it."""
    data = s.share.copy()
    data.index = [s.theme(c).label for c in data.index]
    values = list(data.columns)
    n, k = len(data), max(len(values), 1)
    fig = _figure(8, max(2.5, (0.2 * k + 0.25) * n + 1.4))
    ax = fig.add_subplot()
    h = 0.8 / k
    y = np.arange(n)
    for j, v in enumerate(values):
        pos = y[::-1] + (k - 1 - j) * h - 0.4 + h / 2
        tot = s.group_totals.get(v, 0)
        ax.barh(pos, data[v], height=h * 0.92, color=PALETTE[j % len(PALETTE)],
                label=f"{v} (n={tot})")
        for p, x in zip(pos, data[v]):
            ax.text(x + 0.005, p, fmt_pct(x, s.lang), va="center", fontsize=6)
    ax.set_yticks(y[::-1], [_wrap(x) for x in data.index])
    top = float(data.values.max() if data.size else 0)
    ax.set_xlim(0, top * 1.12 + 0.02)  # room for the labels of the longest bars
    ax.xaxis.set_major_formatter(_pct_formatter(s.lang))
    ax.set_title(tr("summary.chart_share_by", s.lang, attr=s.attribute), fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(k, 5),
              borderaxespad=1.6)
    _style(ax)
    return fig, s.share.copy()


def heatmap_chart(s: Summaries) -> tuple[Figure, pd.DataFrame]:
    """Code x group: colour = % of the group's segments carrying the code; text = count and %."""
    pct, counts = s.matrix_col_pct, s.matrix
    labels = [_wrap(s.theme(c).label, 32) for c in pct.index]
    cols = [f"{v}\n(n={s.group_segments.get(v, 0)})" for v in pct.columns]
    fig = _figure(max(5.0, 1.3 * len(cols) + 3.5), 0.5 * len(labels) + 1.5)
    ax = fig.add_subplot()
    vmax = max(float(pct.values.max()) if pct.size else 0, 0.01)
    im = ax.imshow(pct.values, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(labels)), labels)
    for i in range(pct.shape[0]):
        for j in range(pct.shape[1]):
            v = float(pct.iat[i, j])
            ax.text(j, i, f"{int(counts.iat[i, j])}\n{fmt_pct(v, s.lang)}", ha="center", va="center",
                    fontsize=7, color="white" if v > vmax * 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8, format=_pct_formatter(s.lang))
    ax.set_title(tr("summary.chart_heatmap", s.lang, attr=s.attribute), fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    return fig, counts.copy()


def cooccurrence_chart(s: Summaries) -> tuple[Figure, pd.DataFrame]:
    """Jaccard heat map of code pairs, each cell annotated with the segments in common."""
    jac, counts = s.cooc_jaccard.copy(), s.cooc_counts
    ids = list(jac.index)
    shown = jac.copy()
    for c in ids:
        shown.loc[c, c] = np.nan  # the diagonal is the code's own total, not an association
    labels = [_wrap(s.theme(c).label, 26) for c in ids]
    fig = _figure(max(5.5, 0.8 * len(ids) + 3.5), max(4.0, 0.6 * len(ids) + 1.8))
    ax = fig.add_subplot()
    vmax = max(float(np.nanmax(shown.values)) if np.isfinite(shown.values).any() else 0, 0.05)
    im = ax.imshow(shown.values.astype(float), cmap="Oranges", vmin=0, vmax=vmax)
    ax.set_xticks(range(len(ids)), labels, rotation=40, ha="right")
    ax.set_yticks(range(len(ids)), labels)
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            n = int(counts.loc[a, b])
            txt = f"({n})" if i == j else f"{n}\n{number(jac.loc[a, b], s.lang)}"
            ax.text(j, i, txt, ha="center", va="center", fontsize=6.5,
                    color="white" if i != j and jac.loc[a, b] > vmax * 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(_wrap(tr("summary.chart_cooc", s.lang), 60), fontsize=10, loc="left")
    ax.tick_params(labelsize=7.5)
    return fig, counts.copy()


def topics_chart(topics: TopicResult, lang: str) -> tuple[Figure, pd.DataFrame]:
    """Emergent topics by size, labelled with their keywords."""
    data = pd.DataFrame({"label": [t.label for t in topics.topics], "size": [t.size for t in topics.topics]},
                        index=[t.code_id for t in topics.topics]).sort_values("size", kind="stable")
    fig = _figure(8, 0.35 * len(data) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    ax.barh(y, data["size"], color="#7F7F7F", height=0.65)
    ax.set_yticks(y, [f"{i} · {_wrap(lbl, 40)}" for i, lbl in zip(data.index, data["label"])])
    for yi, v in zip(y, data["size"]):
        ax.text(v, yi, f" {v}", va="center", fontsize=7)
    ax.set_title(tr("summary.chart_topics", lang), fontsize=10, loc="left")
    _style(ax)
    return fig, data


def save_png(fig: Figure, path: str | Path) -> bytes:
    """Write the figure as PNG and return the bytes (for embedding as a data URI)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    data = buf.getvalue()
    from pathlib import Path

    from .._files import atomic_write

    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), respect_locks=False)
    return data


def _pct_formatter(lang: str) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: fmt_pct(x, lang, 0 if abs(x) >= 0.1 or x == 0 else 1))
