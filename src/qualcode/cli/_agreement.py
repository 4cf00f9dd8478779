"""``qualcode agreement``: machine vs reviewers, and inter-coder reliability between reviewers."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._files import DEFAULT_OUT
from .._i18n import tr
from ..store import Store
from ._common import add_command, add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "agreement", help="agreement between the machine and the reviewers",
                    description="Per code and over all codes: percent agreement, Cohen's kappa, "
                                "Krippendorff's alpha and precision/recall/F1, between the machine and "
                                "each reviewer and between reviewers (inter-coder reliability), on the "
                                "segments both coded. The unit is the segment. Prints a table and "
                                "writes agreement.xlsx.",
                    examples="  qualcode agreement\n"
                             "  qualcode agreement --reviewer Marie --reviewer Paul --out results/")
    add_db_option(p)
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help="folder for agreement.xlsx (default: %(default)s)")
    p.add_argument("--reviewer", action="append", metavar="NAME",
                   help="only these reviewers (repeatable; default: everyone who reviewed)")
    p.add_argument("--no-workbook", action="store_true", help="print the table only")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..agreement import compute_agreement, format_table, write_agreement_workbook

    with Store(args.db, create=False) as st:
        report = compute_agreement(st, reviewers=args.reviewer)
    lang = report.language
    if not report.rows:
        who = tr("cli.by_who", lang, names=", ".join(args.reviewer)) if args.reviewer else ""
        print(tr("cli.no_reviews", lang, who=who))
        return 0
    print(format_table(report))
    print()
    for note in report.notes:
        print(f"  {note}")
    if not args.no_workbook:
        path = write_agreement_workbook(report, Path(args.out) / "agreement.xlsx")
        print(tr("cli.workbook", lang, path=path))
    return 0
