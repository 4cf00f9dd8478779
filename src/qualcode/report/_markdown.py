"""The Markdown report: the same sections as the HTML, charts as PNG files beside it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._i18n import fmt_int, fmt_pct, format_time, localised, number, tr
from ..summaries import Quote, Summaries
from ._html import corpus_line, groups_line, missing_text

if TYPE_CHECKING:
    from ..topics import TopicResult


def md_escape(text: str) -> str:
    """Text that Markdown shows as written (table pipes and emphasis markers escaped)."""
    out = str(text).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def md_code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds (CommonMark's rule: a fence
    longer than any backtick run inside, and a space of padding next to a backtick)."""
    text = " ".join(str(text).split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(s: Summaries, figures: dict[str, str], topics: TopicResult | None = None, *, source: str = "") -> str:
    """The report as Markdown; ``figures`` maps a chart name to its path relative to the file."""
    lang = s.lang
    L: list[str] = [f"# {tr('summary.report_title', lang)}", "",
                    f"*{md_escape(s.title)} · " + md_escape(tr("summary.generated", lang, date=format_time(s.generated_at, lang),
                    db=source or "-", cb=f"{s.codebook_name} {s.codebook_version}")) + "*", "",
                    md_escape(corpus_line(s)), ""]
    if s.attribute and s.group_totals:
        L += [md_escape(groups_line(s)), ""]
    L += [f"## {tr('summary.overview', lang)}", ""]
    values = list(s.share.columns) if s.attribute else []
    L.append("| " + " | ".join([tr("summary.theme", lang), tr("summary.segments", lang), tr("summary.interviewees", lang),
                                 *[md_escape(v) for v in values], tr("summary.confirmed", lang)]) + " |")
    L.append("|" + "---|" + "---:|" * (3 + len(values)))
    for th in s.themes:
        g = {x.value: x for x in th.groups_for(s.attribute)} if s.attribute else {}
        L.append("| " + " | ".join([md_escape(th.label), f"{fmt_int(th.segments, lang)} ({fmt_pct(th.segments_pct, lang)})",
                                     f"{fmt_int(th.interviews, lang)} ({fmt_pct(th.interviews_pct, lang)})",
                                     *[f"{fmt_pct(g[v].share, lang)} ({g[v].interviewees}/{g[v].total})" if v in g else "-"
                                       for v in values], fmt_int(th.reviewed, lang)]) + " |")
    L.append("")
    L += _img(figures, "themes", tr("summary.chart_themes", lang))
    if s.attribute:
        L += [f"## {tr('summary.by_attr', lang, attr=s.attribute)}", ""]
        L += _img(figures, "by_group", tr("summary.chart_share_by", lang, attr=s.attribute))
        L += _img(figures, "heatmap", tr("summary.chart_heatmap", lang, attr=s.attribute))
        mv = list(s.matrix.columns)
        L += [tr("report.matrix_note_md", lang), ""]
        L.append("| " + " | ".join([tr("summary.theme", lang), *[f"{md_escape(v)} (n={s.group_segments.get(v, 0)})" for v in mv],
                                     tr("summary.total", lang)]) + " |")
        L.append("|---|" + "---:|" * (len(mv) + 1))
        for th in s.themes:
            c = th.code_id
            cells = [f"{int(s.matrix.loc[c, v])} ({fmt_pct(float(s.matrix_row_pct.loc[c, v]), lang)} · "
                     f"{fmt_pct(float(s.matrix_col_pct.loc[c, v]), lang)})" for v in mv]
            L.append("| " + " | ".join([md_escape(th.label), *cells, fmt_int(th.segments, lang)]) + " |")
        L.append("")
    L += [f"## {tr('summary.cooc_title', lang)}", ""]
    L += _img(figures, "cooc", tr("summary.chart_cooc", lang))
    pairs = s.top_pairs(n=10)
    if pairs:
        L += [f"| {tr('summary.theme_a', lang)} | {tr('summary.theme_b', lang)} | {tr('summary.together', lang)} | {tr('summary.jaccard', lang)} |",
              "|---|---|---:|---:|"]
        L += [f"| {md_escape(s.theme(a).label)} | {md_escape(s.theme(b).label)} | {n} | {number(j, lang)} |" for a, b, n, j in pairs]
        L.append("")
    L += [f"## {tr('summary.per_theme', lang)}", ""]
    for th in s.themes:
        L += [f"### {md_escape(th.label)} ({md_code(th.code_id)})", ""]
        if th.definition:
            L += [f"*{md_escape(th.definition)}*", ""]
        L += [md_escape(th.paragraph), ""]
        if th.terms:
            L += [f"**{tr('summary.terms', lang)}**{tr('punct.colon', lang)}"]
            L[-1] += ", ".join(f"{md_escape(t.term)} ({t.segments})" for t in th.terms)
            L.append("")
        for q in th.quotes:
            L += _quote(q, s)
        if not th.quotes:
            L += [tr("summary.no_quotes", lang), ""]
    if topics is not None:
        L += [f"## {tr('summary.emergent', lang)}", ""]
        if not topics.topics:
            L += [md_escape(tr("summary.no_topics", lang, why=localised(topics.message, lang) or "-")), ""]
        else:
            L += [md_escape(topics.intro(lang)), ""]
            L += _img(figures, "topics", tr("summary.chart_topics", lang))
            for t in topics.topics:
                L += [f"### {t.code_id} · {md_escape(t.label)}", "",
                      f"{t.size} {tr('summary.segments', lang).lower()} · {t.interviews} {tr('summary.interviewees', lang).lower()}"
                      + (" · " + ", ".join(f"{md_escape(v)} {n}" for v, n in t.groups.items()) if t.groups else ""), "",
                      f"**{tr('summary.keywords', lang)}** : " + ", ".join(md_escape(k) for k, _ in t.keywords[:10]), ""]
                for q in t.examples:
                    L += _quote(q, s, status=False)
    L += [f"## {tr('summary.missing', lang)}", "", md_escape(missing_text(s, topics)), "",
          f"## {tr('summary.method', lang)}", "", md_escape(tr("summary.method_text", lang, attr=s.attribute or "-")), ""]
    return "\n".join(L)


def _quote(q: Quote, s: Summaries, status: bool = True) -> list[str]:
    who = " · ".join([q.source_id, *[v for k, v in q.attributes.items() if k == s.attribute]])
    mark = (" · " + (tr("summary.reviewed", s.lang) if q.reviewed else tr("summary.machine", s.lang))) if status else ""
    memo = [">", f"> *{tr('summary.memo', s.lang)}*{tr('punct.colon', s.lang)}{md_escape(q.memo)}"] if q.memo else []
    return [f"> {md_escape(q.text)}", ">", f"> — {md_escape(who)} · {md_code(q.segment_id)}{mark}", *memo, ""]


def _img(figures: dict[str, str], name: str, alt: str) -> list[str]:
    path = figures.get(name)
    return [f"![{md_escape(alt)}]({path})", ""] if path else []
