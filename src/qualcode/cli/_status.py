"""``qualcode status``: what the project database holds, and what needs attention."""

from __future__ import annotations

import argparse

from .._i18n import format_time, tr
from ..errors import StoreError
from ..store import Store, project_status
from ._common import add_command, add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "status", help="show the project's sources, passes, reviews and what needs attention",
                    description="Summarise the project database: interviews and their text versions, "
                                "segments, coding passes (which coder, which codebook, when), human "
                                "decisions per reviewer, and what needs a human: decisions whose words "
                                "changed in the transcript (stale), decisions on codes no longer in the "
                                "codebook, and disagreements between reviewers.",
                    examples="  qualcode status\n  qualcode status --db results/qualcode.db --all")
    add_db_option(p)
    p.add_argument("--all", action="store_true", help="list every stale decision (default: the first 20)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as st:
        s = project_status(st)
        try:
            lang = st.codebook().language
        except StoreError:  # nothing coded yet: no codebook to take the language from
            lang = "en"
        print(tr("cli.status.project", lang, id=st.project_id, schema=s.schema_version, sources=s.sources,
                 versions=s.versions, segments=s.segments))
        print(tr("cli.status.codebook", lang, version=s.codebook_version))
        for p in s.passes:
            print(tr("cli.status.pass", lang, id=p["id"], kind=p["kind"], coder=p["coder_version"],
                     codebook=p["codebook_version"],
                     finished=format_time(p["finished_at"], lang) or tr("cli.status.unfinished", lang),
                     n=p["n_segments"] or 0))
        total = sum(s.reviewers.values())
        who = ", ".join(f"{r} {n}" for r, n in s.reviewers.items())
        print(tr("cli.status.decisions", lang, n=total)
              + (f" ({who})" if who else "")
              + (tr("cli.status.adjudicated", lang, n=s.adjudicated) if s.adjudicated else ""))
        if s.moved:
            print(tr("cli.status.moved", lang, n=s.moved))
        if s.disputes:
            print(tr("cli.status.disputes", lang, n=s.disputes, sheet=tr("workbook.disputes", lang)))
        for code, n in s.orphaned.items():
            print(tr("cli.status.orphaned", lang, code=code, n=n))
        if s.stale:
            print(tr("cli.status.stale", lang, n=len(s.stale), sheet=tr("review.stale_sheet", lang)))
            for d in s.stale if args.all else s.stale[:20]:
                old = " ".join(d.old_text.split())
                print(tr("cli.status.stale_line", lang, coder=d.coder, code=d.code_id,
                         decision=tr("review.yes" if d.applied else "review.no", lang), segment=d.segment_id,
                         text=f"{old[:70]}{'…' if len(old) > 70 else ''}"))
            if len(s.stale) > 20 and not args.all:
                print(tr("cli.status.more", lang, n=len(s.stale) - 20))
    return 0
