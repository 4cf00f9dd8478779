"""``qualcode review export|import``: review the machine's codes in Excel, bring decisions back."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .._files import DEFAULT_OUT, WORKBOOK_NAME
from .._i18n import Message, localised, tr
from ..errors import ConfigError, ReviewImportError
from ..store import Store
from ._common import ProgressBars, add_command, add_db_option, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "review", help="export a review workbook, import reviewers' decisions",
                    description="Review the machine's codes in Excel or LibreOffice Calc. `export` "
                                "writes a workbook with one row per segment, the machine's proposal "
                                "per code and a decision dropdown per code; `import` validates every "
                                "decision and stores them all, or none if anything is wrong.",
                    examples="  qualcode review export --reviewer Marie\n"
                             "  qualcode review export --reviewer Paul --sample 200 --seed 1 --out outputs/review-paul.xlsx\n"
                             "  qualcode review import outputs/review-Marie.xlsx\n"
                             "  qualcode review import review-marie.xlsx review-paul.xlsx --dry-run")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION")
    p.set_defaults(handler=lambda a: (p.print_help(), 0)[1])

    e = add_command(rsub, "export", help="write a review workbook",
                    description="Write a workbook made for reviewing: context, machine proposals with "
                                "confidence and evidence, a decision dropdown per code (empty = not "
                                "reviewed), a memo column, the reviewer's name in B1. Decision cells are "
                                "pre-filled only with the reviewer's own earlier decisions, or with the "
                                "machine's proposals when --prefill is given. An existing file is backed "
                                "up as NAME.bak-YYYYmmdd-HHMMSS.xlsx before it is replaced.",
                    examples="  qualcode review export --reviewer Marie\n"
                             "  qualcode review export --only-proposed --out outputs/to_check.xlsx\n"
                             "  qualcode review export --reviewer Paul --sample 300 --seed 7\n"
                             "  qualcode review export --reviewer Marie --order uncertain   # active review\n"
                             "  qualcode review export --adjudicate --reviewer Sophie        # settle disagreements")
    add_db_option(e)
    e.add_argument("--out", metavar="FILE_OR_DIR",
                   help=f"workbook to write, or a folder (default: {DEFAULT_OUT}/review.xlsx, "
                        f"or {DEFAULT_OUT}/review-NAME.xlsx with --reviewer)")
    e.add_argument("--reviewer", metavar="NAME", help="the reviewer's name (pre-fills B1 and their earlier decisions)")
    e.add_argument("--prefill", action="store_true",
                   help="pre-fill undecided cells with the machine's proposal: an untouched row then "
                        "imports as confirming the machine")
    e.add_argument("--protect", action="store_true",
                   help="lock everything but decisions, memo and name (Excel then cannot sort; filters work)")
    e.add_argument("--interview", action="append", metavar="ID", help="only this interview (repeatable)")
    e.add_argument("--only-proposed", action="store_true",
                   help="only segments where the machine applied at least one code")
    e.add_argument("--sample", type=int, metavar="N", help="a random sample of N segments")
    e.add_argument("--seed", type=int, default=0, help="random seed for --sample (default: %(default)s)")
    e.add_argument("--order", choices=["document", "uncertain"], default="document",
                   help="row order: document order, or the segments whose review teaches most "
                        "first (uncertain or split proposals) (default: %(default)s)")
    e.add_argument("--adjudicate", action="store_true",
                   help="only the cells where reviewers disagree, with who decided what; the "
                        "decisions imported from it settle those cells (agreement figures keep "
                        "using the reviewers' own decisions)")
    progress_option(e)
    e.set_defaults(handler=run_export)

    i = add_command(rsub, "import", help="import decisions from review workbooks",
                    description="Validate every workbook first (unknown codes, values not in the list, "
                                "edited ids or texts, segments that no longer exist, duplicate rows, a "
                                "workbook from another project...) and report every problem with its "
                                "sheet and cell; store nothing if anything is wrong. Otherwise store each "
                                "decision as the reviewer's coding (importing twice changes nothing; a "
                                "changed decision supersedes the older one, kept as history) and rewrite "
                                "the coded workbook.",
                    examples="  qualcode review import outputs/review-Marie.xlsx\n"
                             "  qualcode review import marie.xlsx paul.xlsx --out results/\n"
                             "  qualcode review import review.xlsx --reviewer \"Marie Curie\" --dry-run")
    i.add_argument("files", nargs="+", metavar="FILE", help="review workbook(s), e.g. one per reviewer")
    add_db_option(i)
    i.add_argument("--reviewer", metavar="NAME",
                   help="reviewer name for every file (overrides, or fills in, the name in B1)")
    i.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"where to rewrite {WORKBOOK_NAME} (default: %(default)s)")
    i.add_argument("--no-workbook", action="store_true", help=f"do not rewrite {WORKBOOK_NAME}")
    i.add_argument("--dry-run", action="store_true", help="validate and count, store nothing")
    i.add_argument("--force", action="store_true",
                   help="import a workbook exported before one already imported for the same "
                        "reviewer, reverting the newer decisions it lists")
    progress_option(i)
    i.set_defaults(handler=run_import)


def _export_path(out: str | None, reviewer: str | None, adjudicate: bool = False) -> Path:
    name = "adjudication.xlsx" if adjudicate else "review.xlsx"
    if reviewer:
        safe = re.sub(r"[^\w.-]+", "_", reviewer.strip()).strip("_") or "reviewer"
        name = f"{'adjudication' if adjudicate else 'review'}-{safe}.xlsx"
    if out is None:
        return Path(DEFAULT_OUT) / name
    p = Path(out)
    if p.is_dir() or not p.suffix:
        return p / name
    if p.suffix.lower() != ".xlsx":
        raise ConfigError(Message("cli.fail.review_out", out=out))
    return p


def run_export(args: argparse.Namespace) -> int:
    from ..review import export_review_workbook

    if args.sample is not None and args.sample < 1:
        raise ConfigError(Message("cli.fail.sample", n=args.sample))
    path = _export_path(args.out, args.reviewer, args.adjudicate)
    bars = ProgressBars(args.progress)
    try:
        with Store(args.db, create=False) as st:
            lang = st.codebook().language
            res = export_review_workbook(st, path, reviewer=args.reviewer, prefill=args.prefill,
                                         protect=args.protect, sources=args.interview,
                                         only_proposed=args.only_proposed, sample=args.sample,
                                         seed=args.seed, order=args.order, adjudicate=args.adjudicate,
                                         progress=bars)
    finally:
        bars.close()
    if res.backup:
        print(tr("cli.backup", lang, path=res.backup))
    if res.path != path:
        print(tr("cli.open_elsewhere", lang, path=path, other=res.path))
    print(tr("cli.review_written", lang, path=res.path, rows=res.rows, codes=res.codes, prefilled=res.prefilled))
    return 0


def _naming_the_flag(problem: str) -> str:
    """An older export's problem says "import it again with force"; on the command line that is
    ``--force``, which the library may not name (it has no flags), so the CLI adds it."""
    inner = problem.params.get("msg") if isinstance(problem, Message) and problem.key == "msg.in_file" else problem
    if isinstance(inner, Message) and inner.key == "msg.review.older_export":
        return Message("cli.review.with_force", msg=problem)
    return problem


def run_import(args: argparse.Namespace) -> int:
    from ..review import import_reviews

    bars = ProgressBars(args.progress)
    try:
        with Store(args.db, create=False) as st:
            lang = st.codebook().language
            try:
                res = import_reviews(st, args.files, reviewer=args.reviewer, dry_run=args.dry_run,
                                     force=args.force, progress=bars)
            except ReviewImportError as exc:
                raise ReviewImportError(exc.path, [_naming_the_flag(p) for p in exc.problems]) from None
            workbook = None
            if not args.dry_run and not args.no_workbook:
                from ..export import write_coded_workbook

                workbook = write_coded_workbook(st, Path(args.out) / WORKBOOK_NAME, progress=bars)
    finally:
        bars.close()
    for w in res.warnings:
        print(tr("cli.warning_plain", lang, msg=localised(w, lang)))
    verb = tr("cli.would_store" if args.dry_run else "cli.stored", lang)
    for f in res.files:
        print(tr("cli.imported", lang, path=f.path, who=f.reviewer, rows=f.rows, decisions=f.decisions, verb=verb,
                  stored=f.stored, superseded=f.superseded, unchanged=f.unchanged)
              + (tr("cli.withdrawn", lang, n=f.withdrawn) if f.withdrawn else ""))
    if len(res.files) > 1:
        print(tr("cli.import_total", lang, decisions=res.decisions, stored=res.stored, superseded=res.superseded,
                  unchanged=res.unchanged))
    if workbook:
        print(tr("cli.coded_workbook", lang, path=workbook))
    return 0
