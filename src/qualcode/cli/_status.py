"""``qualcode status``: what the project database holds, and what needs attention."""

from __future__ import annotations

import argparse

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
        print(f"project {st.project_id} (schema {s.schema_version}): {s.sources} interviews "
              f"({s.versions} text versions), {s.segments} active segments")
        print(f"codebook: {s.codebook_version}")
        for p in s.passes:
            print(f"  pass #{p['id']:<4} {p['kind']:<8} {p['coder_version']:<40} "
                  f"codebook {p['codebook_version']}  {p['finished_at'] or 'unfinished'}  "
                  f"{p['n_segments'] or 0} segments")
        total = sum(s.reviewers.values())
        who = ", ".join(f"{r} {n}" for r, n in s.reviewers.items())
        print(f"human decisions: {total} current" + (f" ({who})" if who else "")
              + (f", {s.adjudicated} adjudicated" if s.adjudicated else ""))
        if s.moved:
            print(f"  {s.moved} decisions followed their words to another segment id after an edit")
        if s.disputes:
            print(f"disagreements: {s.disputes} cells where reviewers disagree "
                  "(sheet Désaccords of coded.xlsx; settle them with `qualcode review export --adjudicate`)")
        for code, n in s.orphaned.items():
            print(f"code {code} is no longer in the codebook: {n} decisions kept; add `formerly: [{code}]` "
                  f"to the code that replaces it, or run `qualcode codebook rename {code} NEW`")
        if s.stale:
            print(f"stale: {len(s.stale)} decisions whose words changed in the transcript (kept, not applied); "
                  "the reviewer's next `qualcode review export` lists them in its 'À revoir' sheet")
            for d in s.stale if args.all else s.stale[:20]:
                old = " ".join(d.old_text.split())
                print(f"  {d.coder}: {d.code_id}={'yes' if d.applied else 'no'} on {d.segment_id} "
                      f"«{old[:70]}{'…' if len(old) > 70 else ''}»")
            if len(s.stale) > 20 and not args.all:
                print(f"  ... and {len(s.stale) - 20} more (--all)")
    return 0
