"""``qualcode import FILE.qdpx|FILE.qdc``: a project or codebook made in NVivo, ATLAS.ti, MAXQDA, QualCoder."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from .._files import DEFAULT_OUT
from .._i18n import Message, localised, tr
from ..errors import ConfigError, StoreError
from ..store import Store
from ._common import add_command, add_db_option, project_language

RULE = """mapping: a selection codes every segment it covers at least half of; when it covers
half of none, the one segment holding at least half of the selection (a quote inside an
answer codes the answer). Selections on an interviewer's question, a title, or spread thinly
over several segments are not mapped: each is listed with its text and the reason. A coder
who coded a source is taken to have read it all: its segments they did not code get a 'no'
for each code (--no-implicit-no to turn this off), which agreement and training need."""


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "import", help="bring in a project (.qdpx) or codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA, QualCoder",
        description="Import a REFI-QDA exchange file. FILE.qdpx: its texts become sources (written "
                    "as UTF-8 files in a folder, segmented like any transcript; a text the project "
                    "already has is matched, not duplicated), its codes become codebook codes (a "
                    "YAML to complete with definitions is written), each coder's codings become "
                    "their decisions, cases and variables become attributes, memos become decision "
                    "memos. Other programs' habits (MAXQDA / ATLAS.ti line-break counting, "
                    "QualCoder's byte-order mark, offsets in bytes or UTF-16, annotations without "
                    "codes, unnamed cases carrying variables) are handled and reported. FILE.qdc: "
                    "writes a codebook YAML.\n\n" + RULE,
        examples="  qualcode import projet_nvivo.qdpx                 # then: qualcode code projet_nvivo/\n"
                 "  qualcode import maxqda.qdpx --db equipe.db --sources textes/ --codebook-out codebook/maxqda.yaml\n"
                 "  qualcode import retour_collegue.qdpx --dry-run    # what would be imported\n"
                 "  qualcode import codes_atlas.qdc --codebook-out codebook/atlas.yaml")
    p.add_argument("file", metavar="FILE", help="FILE.qdpx (project) or FILE.qdc (codebook)")
    add_db_option(p)
    p.add_argument("--sources", metavar="DIR",
                   help="folder for the imported texts (default: a folder named like FILE, beside it)")
    p.add_argument("--codebook-out", metavar="YAML",
                   help="codebook YAML to write (default: codebook_NAME.yaml beside the texts' folder; "
                        "for a .qdc: codebook/NAME.yaml)")
    p.add_argument("--language", choices=["fr", "en"], help="language of the imported code names (default: detected)")
    p.add_argument("--no-implicit-no", action="store_true",
                   help="store only the codings, no 'no' for the segments a coder left uncoded")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help="folder for the import report import-NAME.txt (default: %(default)s)")
    p.add_argument("--dry-run", action="store_true", help="read and map everything, store and write nothing")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..refi import import_codebook, import_project

    path = Path(args.file)
    kind = path.suffix.lower()
    if kind not in (".qdpx", ".qdc"):
        raise ConfigError(Message("cli.fail.import_kind", file=args.file))
    if kind == ".qdc":
        out = Path(args.codebook_out) if args.codebook_out else Path("codebook") / f"{path.stem}.yaml"
        written, cb = import_codebook(path, out, language=args.language)
        print(tr("cli.import.codebook", args.language or cb.language, path=written, n=len(cb.codes)))
        return 0
    sources = Path(args.sources) if args.sources else path.with_suffix("")
    db = Path(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        if args.dry_run and not db.exists():
            db = Path(tmp) / "dry-run.db"  # a dry run creates no project
        with Store(db) as st:
            res = import_project(st, path, sources_dir=sources, codebook_out=args.codebook_out,
                                 language=args.language, implicit_no=not args.no_implicit_no,
                                 dry_run=args.dry_run)
            try:
                lang = args.language or st.codebook().language
            except StoreError:  # no codebook stored (nothing imported): the options' language
                lang = project_language(args)
    report = Path(args.out) / f"import-{path.stem}.txt"
    if not args.dry_run:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(format_report(res, lang), encoding="utf-8")
    for w in res.warnings:
        print(tr("cli.warning_plain", lang, msg=localised(w, lang)))
    matched = tr("cli.import.matched", lang, n=len(res.sources_matched)) if res.sources_matched else ""
    print(tr("cli.import.sources_dry" if args.dry_run else "cli.import.sources", lang, file=path,
             n=len(res.sources_new), dir=res.sources_dir, matched=matched))
    print(tr("cli.import.codes", lang, codes=res.codes,
             new=tr("cli.import.codes_new", lang, n=len(res.codes_new)) if res.codes_new else "",
             yaml=tr("cli.import.codes_yaml", lang, path=res.codebook_path) if res.codebook_path else ""))
    for user, n in sorted(res.users.items()):
        print(tr("cli.import.coder", lang, user=user, n=n))
    print(tr("cli.import.selections", lang, n=res.selections, exact=res.mapped_exact, part=res.mapped_part,
             span=res.mapped_span, unmapped=len(res.unmapped)))
    for u in res.unmapped[:10]:
        print(tr("cli.import.unmapped", lang, source=u.source, start=u.start, end=u.end, code=u.code, user=u.user,
                 text=repr(localised(u.text, lang)), reason=localised(u.reason, lang)))
    if len(res.unmapped) > 10:
        print(tr("cli.import.more", lang, n=len(res.unmapped) - 10, path=report))
    print(tr("cli.import.decisions_dry" if args.dry_run else "cli.import.decisions", lang, yes=res.decisions_yes,
             no=res.decisions_no, implicit=res.implicit_no,
             n=res.stored if not args.dry_run else res.decisions_yes + res.decisions_no))
    if res.machine_skipped:
        print(tr("cli.import.machine_skipped", lang, n=res.machine_skipped))
    if res.annotations:
        print(tr("cli.import.annotations", lang, n=len(res.annotations), path=report))
    if not args.dry_run:
        print(tr("cli.import.report", lang, path=report))
        if res.sources_new:
            cb = f" --codebook {res.codebook_file}" if res.codebook_file else ""
            print(tr("cli.import.next", lang, dir=res.sources_dir, codebook=cb, db=args.db))
    return 0


def format_report(res, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    """The import, in full, as plain text in ``lang``: everything the terminal summary leaves out."""
    def t(key: str, **values: object) -> str:
        return tr(f"cli.import.file.{key}", lang, **values)

    lines = [t("head", path=res.path, origin=res.origin or t("no_origin")), ""]
    lines += [t("new_sources", n=len(res.sources_new), dir=res.sources_dir)] + [f"  {s}" for s in res.sources_new]
    if res.sources_matched:
        lines += [t("matched")] + [f"  {s}" for s in res.sources_matched]
    lines += ["", t("codes", n=res.codes, new=", ".join(res.codes_new) or t("none"))]
    lines += ["", t("coders")] + [f"  {u}{tr('punct.colon', lang)}{n}" for u, n in sorted(res.users.items())]
    lines += ["", t("selections", n=res.selections, exact=res.mapped_exact, part=res.mapped_part,
                    span=res.mapped_span),
              t("decisions", yes=res.decisions_yes, no=res.decisions_no, implicit=res.implicit_no), ""]
    lines += [t("unmapped", n=len(res.unmapped))]
    lines += [t("unmapped_line", source=u.source, start=u.start, end=u.end, code=u.code, user=u.user,
                text=repr(localised(u.text, lang)), reason=localised(u.reason, lang)) for u in res.unmapped]
    lines += ["", t("annotations", n=len(res.annotations))]
    colon = tr("punct.colon", lang)
    lines += [f"  {s}{colon}{t_!r}{colon}{n}" for s, t_, n in res.annotations]
    lines += ["", t("warnings")] + [f"  {localised(w, lang)}" for w in res.warnings]
    for title, text in res.notes:
        lines += ["", f"== {localised(title, lang)}", text]
    return "\n".join(lines) + "\n"
