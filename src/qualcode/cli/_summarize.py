"""``qualcode summarize``: theme summaries, summary sheets and the report."""

from __future__ import annotations

import argparse

from .._files import DEFAULT_OUT
from .._i18n import tr
from ._common import ProgressBars, add_command, add_db_option, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "summarize", help="regenerate theme summaries, the coded workbook's summary sheets and the report",
        description="From the latest state of the project (human decisions over machine ones), compute "
                    "per theme: segments, interviewees and their share, by role and every other "
                    "attribute; exemplar quotes; distinctive terms; co-occurrence; a short factual "
                    "paragraph. Writes OUT/coded.xlsx (with Summary, Co-occurrence and Quotes sheets "
                    "and native Excel charts), OUT/report.html (self-contained), OUT/report.md and "
                    "OUT/figures/*.png. Emergent topics from `qualcode topics` are included when present.",
        examples="  qualcode summarize                          # qualcode.db -> outputs/\n"
                 "  qualcode summarize --by sector              # break down by another attribute\n"
                 "  qualcode summarize --db results/qualcode.db --out results/ --lang en")
    add_db_option(p)
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: %(default)s)")
    p.add_argument("--by", metavar="ATTR",
                   help="main breakdown: an attribute of the interviews (default: role when present)")
    p.add_argument("--lang", choices=["fr", "en"], help="language of the report (default: the codebook's)")
    p.add_argument("--quotes", type=int, default=4, metavar="N", help="quotes per theme (default: %(default)s)")
    p.add_argument("--no-workbook", action="store_true", help="only write the report")
    progress_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..report import summarize_project  # lazy: pandas/numpy only when the command runs
    bars = ProgressBars(args.progress)
    try:
        res = summarize_project(args.db, args.out, by=args.by, lang=args.lang, n_quotes=max(args.quotes, 0),
                                workbook=not args.no_workbook, progress=bars)
    finally:
        bars.close()
    s = res.summaries
    lang = s.lang
    print(tr("cli.summary", lang, themes=len(s.themes), segments=s.n_segments, interviews=s.n_interviews,
              coded=s.n_coded, reviewed=s.n_reviewed) + (tr("cli.by", lang, attr=s.attribute) if s.attribute else ""))
    top = sorted(s.themes, key=lambda t: -t.interviews)
    print(tr("cli.themes", lang) + ", ".join(f"{t.code_id} {t.interviews}/{s.n_interviews}" for t in top))
    if res.topics is not None:
        print(tr("cli.topics", lang, n=len(res.topics.topics)))
    if res.workbook:
        print(tr("cli.workbook", lang, path=res.workbook))
    if res.html:
        print(tr("cli.report", lang, path=res.html))
        print(tr("cli.markdown", lang, path=res.markdown, figures=res.html.parent / "figures"))
    return 0
