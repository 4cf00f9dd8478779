"""The self-contained HTML report: inline CSS, charts embedded as PNG data URIs."""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any

from .._i18n import fmt_int, fmt_pct, format_time, localised, number, tr
from ..summaries import Quote, Summaries, ThemeSummary
from ._style import CSS

if TYPE_CHECKING:
    from ..topics import TopicResult


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def render_html(s: Summaries, figures: dict[str, bytes], topics: TopicResult | None = None, *, source: str = "") -> str:
    """The report as one HTML string. ``figures`` maps a chart name to its PNG bytes."""
    lang = s.lang
    out: list[str] = [f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{esc(tr('summary.report_title', lang))} · {esc(s.title)}</title>",
                      f"<style>{CSS}</style>\n</head>\n<body>\n<main>"]
    out.append(f"<h1>{esc(tr('summary.report_title', lang))}</h1>")
    out.append(f'<div class="sub">{esc(s.title)} · ' + esc(tr("summary.generated", lang, date=format_time(s.generated_at, lang),
               db=source or "-", cb=f"{s.codebook_name} {s.codebook_version}")) + "</div>")
    out.append(f'<p class="lead">{esc(corpus_line(s))}</p>')
    if s.attribute and s.group_totals:
        out.append(f"<p>{esc(groups_line(s))}</p>")
    sections = [("overview", tr("summary.overview", lang)), ("groups", tr("summary.by_attr", lang, attr=s.attribute or "-")),
                ("cooc", tr("summary.cooc_title", lang)), ("themes", tr("summary.per_theme", lang))]
    if topics is not None:
        sections.append(("emergent", tr("summary.emergent", lang)))
    sections += [("missing", tr("summary.missing", lang)), ("method", tr("summary.method", lang))]
    out.append(f"<nav><strong>{esc(tr('summary.contents', lang))}</strong><ol>"
               + "".join(f'<li><a href="#{k}">{esc(v)}</a></li>' for k, v in sections) + "</ol></nav>")

    out.append(f'<h2 id="overview">{esc(tr("summary.overview", lang))}</h2>')
    out.append(overview_table(s))
    out.append(_img(figures, "themes", tr("summary.chart_themes", lang)))
    if s.attribute:
        out.append(f'<h2 id="groups">{esc(tr("summary.by_attr", lang, attr=s.attribute))}</h2>')
        out.append(_img(figures, "by_group", tr("summary.chart_share_by", lang, attr=s.attribute)))
        out.append(_img(figures, "heatmap", tr("summary.chart_heatmap", lang, attr=s.attribute),
                        tr("summary.heatmap_note", lang)))
        out.append(matrix_table(s))
    out.append(f'<h2 id="cooc">{esc(tr("summary.cooc_title", lang))}</h2>')
    out.append(_img(figures, "cooc", tr("summary.chart_cooc", lang)))
    out.append(pairs_table(s))
    out.append(f'<h2 id="themes">{esc(tr("summary.per_theme", lang))}</h2>')
    for th in s.themes:
        out.append(theme_section(s, th))
    if topics is not None:
        out.append(f'<h2 id="emergent">{esc(tr("summary.emergent", lang))}</h2>')
        out.append(topics_section(s, topics, figures))
    out.append(f'<h2 id="missing">{esc(tr("summary.missing", lang))}</h2>')
    out.append(f'<p>{esc(missing_text(s, topics))}</p>')
    out.append(f'<h2 id="method">{esc(tr("summary.method", lang))}</h2>')
    out.append(f'<p class="note">{esc(tr("summary.method_text", lang, attr=s.attribute or "-"))}</p>')
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)


def corpus_line(s: Summaries) -> str:
    lang = s.lang
    n = max(s.n_segments, 1)
    return tr("summary.corpus", lang, i=fmt_int(s.n_interviews, lang), s=fmt_int(s.n_segments, lang),
              c=fmt_int(s.n_coded, lang), cp=fmt_pct(s.n_coded / n, lang), u=fmt_int(s.n_uncoded, lang),
              up=fmt_pct(s.n_uncoded / n, lang), r=fmt_int(s.n_reviewed, lang))


def groups_line(s: Summaries) -> str:
    items = [f"{v} {fmt_int(n, s.lang)}" for v, n in s.group_totals.items()]
    return tr("summary.groups_line", s.lang, attr=s.attribute, groups=", ".join(items))


def missing_text(s: Summaries, topics: TopicResult | None) -> str:
    lang = s.lang
    text = tr("report.missing", lang, n=fmt_int(s.n_uncoded, lang),
              pct=fmt_pct(s.n_uncoded / max(s.n_segments, 1), lang))
    if topics is None:
        return text + tr("report.missing_run_topics", lang)
    if topics.topics and topics.scope == "uncoded":
        return text + tr("report.missing_grouped", lang, n=fmt_int(sum(t.size for t in topics.topics), lang))
    if topics.topics:
        return text + tr("report.missing_all", lang)
    return text


def overview_table(s: Summaries) -> str:
    lang = s.lang
    values = list(s.share.columns) if s.attribute else []
    head = [tr("summary.theme", lang), tr("summary.segments", lang), tr("summary.interviewees", lang), *values, tr("summary.confirmed", lang)]
    rows = []
    for th in s.themes:
        shares = {g.value: g for g in th.groups_for(s.attribute)} if s.attribute else {}
        cells = [f'<td><span class="swatch" style="background:{esc(th.color)}"></span> '
                 f'<a href="#t-{esc(th.code_id)}">{esc(th.label)}</a></td>',
                 f'<td class="n">{fmt_int(th.segments, lang)} <small>{fmt_pct(th.segments_pct, lang)}</small></td>',
                 f'<td class="n">{fmt_int(th.interviews, lang)} <small>{fmt_pct(th.interviews_pct, lang)}</small></td>']
        for v in values:
            g = shares.get(v)
            cells.append(f'<td class="n">{fmt_pct(g.share, lang) if g else "-"} '
                         f'<small>{g.interviewees if g else 0}/{g.total if g else 0}</small></td>')
        cells.append(f'<td class="n">{fmt_int(th.reviewed, lang)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ths = "".join(f'<th{" class=n" if i else ""}>{esc(h)}</th>' for i, h in enumerate(head))
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def matrix_table(s: Summaries) -> str:
    """Counts with row % (share of the code's segments) and column % (share of the group's segments)."""
    lang = s.lang
    values = list(s.matrix.columns)
    head = "".join(f'<th class="n">{esc(v)} <small>n={fmt_int(s.group_segments.get(v, 0), lang)}</small></th>'
                   for v in values)
    rows = []
    for th in s.themes:
        c = th.code_id
        cells = "".join(
            f'<td class="n">{fmt_int(int(s.matrix.loc[c, v]), lang)}<br><small>'
            f'{fmt_pct(float(s.matrix_row_pct.loc[c, v]), lang)} · {fmt_pct(float(s.matrix_col_pct.loc[c, v]), lang)}'
            f"</small></td>" for v in values)
        rows.append(f"<tr><td>{esc(th.label)}</td>{cells}<td class=\"n\">{fmt_int(th.segments, lang)}</td></tr>")
    return (f'<p class="sub">{esc(tr("report.matrix_note_html", lang))}</p><table><thead><tr><th>{esc(tr("summary.theme", lang))}</th>'
            f'{head}<th class="n">{esc(tr("summary.total", lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def pairs_table(s: Summaries) -> str:
    lang = s.lang
    pairs = s.top_pairs(n=10)
    if not pairs:
        return ""
    rows = "".join(f"<tr><td>{esc(s.theme(a).label)}</td><td>{esc(s.theme(b).label)}</td>"
                   f'<td class="n">{fmt_int(n, lang)}</td><td class="n">{number(j, lang)}</td></tr>' for a, b, n, j in pairs)
    return (f"<h4>{esc(tr('summary.cooc_pairs', lang))}</h4><table><thead><tr><th>{esc(tr('summary.theme_a', lang))}</th>"
            f"<th>{esc(tr('summary.theme_b', lang))}</th><th class=n>{esc(tr('summary.together', lang))}</th>"
            f"<th class=n>{esc(tr('summary.jaccard', lang))}</th></tr></thead><tbody>{rows}</tbody></table>")


def theme_section(s: Summaries, th: ThemeSummary) -> str:
    lang = s.lang
    stats = (f"{fmt_int(th.interviews, lang)} {tr('summary.interviewees', lang).lower()} · "
             f"{fmt_int(th.segments, lang)} {tr('summary.segments', lang).lower()}")
    parts = [f'<section class="theme" id="t-{esc(th.code_id)}" style="--c:{esc(th.color)}">',
             f'<h3><span class="swatch" style="background:{esc(th.color)}"></span>{esc(th.label)}'
             f' <small><code>{esc(th.code_id)}</code></small><span class="stats">{esc(stats)}</span></h3>']
    if th.definition:
        parts.append(f'<p class="def">{esc(th.definition)}</p>')
    parts.append(f"<p>{esc(th.paragraph)}</p>")
    if th.segments:
        parts.append(group_table(s, th))
    if th.terms:
        parts.append(f"<h4>{esc(tr('summary.terms', lang))}</h4><ul class=\"chips\">" + "".join(
            f"<li>{esc(t.term)} <small>{t.segments}</small></li>" for t in th.terms) + "</ul>")
    parts.append(f"<h4>{esc(tr('summary.quotes', lang))}</h4>")
    parts.append("".join(quote_html(q, s) for q in th.quotes) or f"<p>{esc(tr('summary.no_quotes', lang))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def group_table(s: Summaries, th: ThemeSummary) -> str:
    lang = s.lang
    rows = []
    for a in dict.fromkeys(g.attribute for g in th.groups):
        for k, g in enumerate(th.groups_for(a)):
            rows.append(f"<tr><td>{esc(a) if k == 0 else ''}</td><td>{esc(g.value)}</td><td class=n>{fmt_int(g.segments, lang)}</td>"
                        f"<td class=n>{g.interviewees} / {g.total}</td><td class=n>{fmt_pct(g.share, lang)}</td></tr>")
    if not rows:
        return ""
    head = "".join(f"<th{' class=n' if i > 1 else ''}>{esc(h)}</th>" for i, h in enumerate(
        ["", "", tr("summary.segments", lang), tr("summary.interviewees", lang), tr("summary.pct_interviewees", lang)]))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def quote_html(q: Quote, s: Summaries, badge: bool = True) -> str:
    """A quote with who said it and its segment id; ``badge``: reviewed or machine coding."""
    lang = s.lang
    who = [q.source_id, *[v for k, v in q.attributes.items() if k == s.attribute]]
    mark = ""
    if badge:
        mark = (f'<span class="badge rev">{esc(tr("summary.reviewed", lang))}</span>' if q.reviewed
                else f'<span class="badge mac">{esc(tr("summary.machine", lang))}</span>')
    memo = (f'<p class="memo"><strong>{esc(tr("summary.memo", lang))}</strong>{tr("punct.colon", lang)}{esc(q.memo)}</p>'
            if q.memo else "")
    quoted = tr("punct.open_quote", lang) + esc(q.text) + tr("punct.close_quote", lang)
    return f"<blockquote><p>{quoted}</p>" + (
        f"<footer>— {esc(' · '.join(who))} · <code>{esc(q.segment_id)}</code>{mark}</footer>{memo}</blockquote>")


def topics_section(s: Summaries, topics: TopicResult, figures: dict[str, bytes]) -> str:
    lang = s.lang
    if not topics.topics:
        return f"<p>{esc(tr('summary.no_topics', lang, why=localised(topics.message, lang) or '-'))}</p>"
    parts = [f"<p>{esc(topics.intro(lang))}</p>"]
    if topics.message:
        parts.append(f'<p class="note">{esc(localised(topics.message, lang))}</p>')
    parts.append(_img(figures, "topics", tr("summary.chart_topics", lang)))
    for t in topics.topics:
        groups = ", ".join(f"{v} {n}" for v, n in t.groups.items())
        parts.append(f'<section class="theme" style="--c:#7F7F7F"><h3>{esc(t.code_id)} · {esc(t.label)}'
                     f'<span class="stats">{fmt_int(t.size, lang)} {esc(tr("summary.segments", lang).lower())} · '
                     f'{fmt_int(t.interviews, lang)} {esc(tr("summary.interviewees", lang).lower())}</span></h3>')
        if groups:
            parts.append(f"<p class=sub>{esc(tr('summary.by_attr', lang, attr=topics.attribute or '-'))}"
                         f"{tr('punct.colon', lang)}{esc(groups)}</p>")
        parts.append('<ul class="chips">' + "".join(f"<li>{esc(k)}</li>" for k, _ in t.keywords[:10]) + "</ul>")
        parts.append("".join(quote_html(q, s, badge=False) for q in t.examples))
        parts.append("</section>")
    return "\n".join(parts)


def _img(figures: dict[str, bytes], name: str, alt: str, caption: str = "") -> str:
    data = figures.get(name)
    if not data:
        return ""
    b64 = base64.b64encode(data).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{b64}">{cap}</figure>'
