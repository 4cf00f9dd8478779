"""``qualcode status``: what the project database holds."""

from __future__ import annotations

import argparse

from ..store import Store
from ._common import add_command, add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "status", help="show the project's sources, segments, passes and reviews",
                    description="Summarise the project database: interviews, segments, codebook "
                                "versions, coding passes (which coder, which codebook, when) and "
                                "human decisions.",
                    examples="  qualcode status\n  qualcode status --db results/qualcode.db")
    add_db_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as st:
        n_src = len(st.source_shas())
        n_seg = len(st.segment_shas())
        print(f"project {st.project_id}: {n_src} interviews, {n_seg} active segments")
        print(f"codebook: {st.meta('codebook_version')}")
        for p in st.passes():
            print(f"  pass #{p['id']:<4} {p['kind']:<8} {p['coder_version']:<40} "
                  f"codebook {p['codebook_version']}  {p['finished_at'] or 'unfinished'}  "
                  f"{p['n_segments'] or 0} segments")
        humans = st.human_codings()
        reviewers = sorted({c.coder for c in humans})
        print(f"human decisions: {len(humans)} current" + (f" by {', '.join(reviewers)}" if reviewers else ""))
    return 0
