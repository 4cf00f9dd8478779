"""``qualcode export FILE.qdpx|FILE.qdc``: the project or its codebook for NVivo, ATLAS.ti, MAXQDA, QualCoder."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._i18n import Message, localised, tr
from ..errors import ConfigError
from ..store import Store
from ._common import add_command, add_db_option, project_language

LINE_ENDINGS = """line endings: by default the texts are written with LF line breaks, so that a line
break is one character whatever a program does with CRLF; positions cannot drift. This is
what QualCoder, MAXQDA and ATLAS.ti want (MAXQDA and ATLAS.ti count a CRLF line break as one
character, which would shift every coding after the first line break of a CRLF file).
--crlf writes Windows CRLF line breaks and counts each as two characters, as REFI-QDA 1.5
says: use it only for a program that wants Windows text files (for instance NVivo on
Windows if its texts show without line breaks); QualCoder reads both."""


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "export", help="write the project (.qdpx) or codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
        description="Write a REFI-QDA exchange file. FILE.qdpx: the whole project (every source as "
                    "UTF-8 text, the codebook with hierarchy, colours and definitions, every human "
                    "decision as a coding by its reviewer with its memo and time, optionally the "
                    "machine's proposals as a user of their own, participants as cases with "
                    "variables); what REFI-QDA cannot hold (a reviewer's 'no', lexicons, segments) "
                    "travels in a side file that other programs ignore and `qualcode import` reads "
                    "back. FILE.qdc: the codebook alone.\n\n" + LINE_ENDINGS,
        examples="  qualcode export projet.qdpx                      # decisions + unreviewed proposals\n"
                 "  qualcode export pour_nvivo.qdpx --machine none --crlf\n"
                 "  qualcode export comparaison.qdpx --machine all   # compare machine and coders in MAXQDA\n"
                 "  qualcode export codes.qdc\n"
                 "  qualcode export codes.qdc --codebook codebook/ai_at_work.yaml --language en")
    p.add_argument("file", metavar="FILE", help="FILE.qdpx (project) or FILE.qdc (codebook)")
    add_db_option(p)
    p.add_argument("--machine", choices=["none", "accepted", "all"], default="accepted",
                   help="machine proposals to include, as the user 'qualcode (machine: CODER)': none; "
                        "accepted = those no reviewer has decided on yet (default); all = every applied "
                        "proposal, also where reviewers decided (for a coding comparison)")
    p.add_argument("--crlf", action="store_true", help="write texts with CRLF line breaks (see 'line endings' above)")
    p.add_argument("--language", choices=["fr", "en"], help="language of code names and descriptions "
                                                            "(default: the codebook's)")
    p.add_argument("--codebook", metavar="YAML", help="for FILE.qdc: this codebook instead of the project's")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..refi import export_codebook, export_project

    path = Path(args.file)
    kind = path.suffix.lower()
    if kind not in (".qdpx", ".qdc"):
        raise ConfigError(Message("cli.fail.export_kind", file=args.file))
    if kind == ".qdc":
        if args.codebook:
            from ..codebook import load_codebook

            cb = load_codebook(args.codebook)
        else:
            with Store(args.db, create=False) as st:
                cb = st.codebook()
        export_codebook(cb, path, language=args.language)
        print(tr("cli.export.codebook", args.language or cb.language, path=path, n=len(cb.codes)))
        return 0
    if args.codebook:
        raise ConfigError(Message("cli.fail.export_codebook"))
    with Store(args.db, create=False) as st:
        res = export_project(st, path, machine=args.machine, crlf=args.crlf, language=args.language)
    lang = project_language(args)
    for w in res.warnings:
        print(tr("cli.warning_plain", lang, msg=localised(w, lang)))
    who = ", ".join(res.reviewers) or tr("cli.export.no_reviewer", lang)
    as_user = (tr("cli.export.as_user", lang, user=repr(res.machine_user))
               if res.machine_user and res.machine_codings else "")
    print(tr("cli.export.project", lang, path=res.path, sources=res.sources, codes=res.codes,
             human=res.human_codings, who=who, no=res.human_no, machine=res.machine_codings, as_user=as_user,
             endings="CRLF" if res.crlf else "LF"))
    return 0
