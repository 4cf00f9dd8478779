"""The report a research team pastes from: a self-contained HTML file and its Markdown twin.

Both are rendered from :class:`qualcode.summaries.Summaries` (and, when ``qualcode topics``
has run, its :class:`qualcode.topics.TopicResult`); charts are PNG files in ``figures/``,
embedded in the HTML as data URIs so that the HTML can be mailed or archived alone.
:func:`summarize_project` is the one orchestrator that writes them (and the coded workbook's
summary sheets) from a project database, for ``qualcode summarize`` and ``qualcode topics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._files import atomic_write_text, make_folder
from ..analysis import Summaries
from ..model import Progress
from ._html import render_html
from ._markdown import render_markdown
from ._project import SummarizeResult, summarize_project

if TYPE_CHECKING:
    from ..topics import TopicResult

REPORT_HTML = "report.html"
REPORT_MD = "report.md"
FIGURES = "figures"


@dataclass
class ReportFiles:
    html: Path
    markdown: Path
    figures: dict[str, Path] = field(default_factory=dict)


def build_figures(s: Summaries, topics: TopicResult | None = None) -> dict[str, Any]:
    """The report's matplotlib figures by name (``themes``, ``by_group``, ``heatmap``, ``cooc``,
    ``topics``), each with the table of numbers it shows: ``{name: (figure, data)}``."""
    from . import _charts as ch

    figs = {"themes": ch.themes_chart(s)}
    if s.attribute and s.share.shape[1]:
        figs["by_group"] = ch.by_group_chart(s)
        figs["heatmap"] = ch.heatmap_chart(s)
    if len(s.themes) > 1:
        figs["cooc"] = ch.cooccurrence_chart(s)
    if topics is not None and topics.topics:
        figs["topics"] = ch.topics_chart(topics, s.lang)
    return figs


def write_report(s: Summaries, out: str | Path, topics: TopicResult | None = None, *, source: str = "",
                 progress: Progress | None = None) -> ReportFiles:
    """Write ``out/report.html``, ``out/report.md`` and ``out/figures/*.png``; returns the paths."""
    from ._charts import save_png

    out = Path(out)
    fig_dir = out / FIGURES
    make_folder(fig_dir)
    figs = build_figures(s, topics)
    png: dict[str, bytes] = {}
    paths: dict[str, Path] = {}
    for k, (name, (fig, _data)) in enumerate(figs.items()):
        paths[name] = fig_dir / f"{name}.png"
        png[name] = save_png(fig, paths[name])
        if progress:
            progress(k + 1, len(figs) + 2, "report")
    html_path = atomic_write_text(out / REPORT_HTML, render_html(s, png, topics, source=source))
    md_path = atomic_write_text(out / REPORT_MD, render_markdown(
        s, {k: f"{FIGURES}/{p.name}" for k, p in paths.items()}, topics, source=source))
    if progress:
        progress(len(figs) + 2, len(figs) + 2, "report")
    return ReportFiles(html_path, md_path, paths)


__all__ = ["write_report", "build_figures", "ReportFiles", "render_html", "render_markdown",
           "summarize_project", "SummarizeResult"]
