"""``qualcode code``: the coding pass."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._files import DEFAULT_OUT
from .._i18n import Message, localised, tr
from ..codebook import load_codebook
from ..coders import available_coders
from ..errors import OutputError
from ..ingest import SpeakerConfig, TableSpec
from ..pipeline import coding_pass
from ..segment import UNITS
from ._common import ProgressBars, add_command, add_db_option, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "code", help="ingest, segment and auto-code transcripts; write the coded workbook",
        description="Ingest transcripts (txt, md, docx, vtt, srt, csv, xlsx, jsonl), cut respondents' "
                    "speech into segments, code them against the codebook, store a new coding pass "
                    "in the project database and write OUT/coded.xlsx. Earlier passes and human "
                    "decisions are kept. Unchanged files are not coded again.",
        examples="  qualcode code                                  # the bundled sample: transcripts/\n"
                 "  qualcode code interviews/ --participants interviews/people.xlsx --out results/\n"
                 "  qualcode code answers.csv --text-column answer --id-column respondent\n"
                 "  qualcode code corpus.jsonl --unit paragraph --interviewer Assistant --interviewer AI")
    p.add_argument("transcripts", nargs="*", default=["transcripts"], metavar="TRANSCRIPTS",
                   help="files or folders (default: transcripts/)")
    p.add_argument("--codebook", metavar="FILE", help="codebook YAML (default: codebook/ai_at_work.yaml)")
    p.add_argument("--participants", metavar="FILE",
                   help="participants sheet (csv/xlsx: file or speaker -> role, sector...); "
                        "default: participants.csv beside the transcripts")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: %(default)s)")
    add_db_option(p)
    p.add_argument("--unit", choices=UNITS, default="turn",
                   help="coding unit: a whole answer (turn), a paragraph or a sentence (default: %(default)s)")
    p.add_argument("--coder", default="ensemble", choices=available_coders(),
                   help="which coder proposes codes (default: %(default)s)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="coder_set",
                   help="a coder option, e.g. --set semantic_model=minilm or --set model=/path/to/model")
    p.add_argument("--language", choices=["fr", "en"], help="force the language (default: detected per file)")
    p.add_argument("--nlp", choices=["auto", "fast", "accurate"], default="auto",
                   help="lemmatisation: fast lookup tables or a trained spaCy pipeline (default: auto)")
    p.add_argument("--spacy-model", metavar="NAME_OR_PATH", help="a spaCy pipeline to use instead of the default")
    p.add_argument("--interviewer", action="append", default=[], metavar="LABEL",
                   help="a speaker label that is the interviewer, added to the FR/EN defaults "
                        "(E, Enquêteur, Q, Interviewer...; repeatable)")
    p.add_argument("--respondent", action="append", default=[], metavar="LABEL",
                   help="a speaker label that is a respondent even if said once, added to the "
                        "defaults (R, Participant...; repeatable)")
    p.add_argument("--id-column", help="tables: the column with the interview/respondent id")
    p.add_argument("--text-column", help="tables: the column with the text")
    p.add_argument("--question-column", help="tables: the column with the question")
    progress_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    speakers = None
    if args.interviewer or args.respondent:
        speakers = SpeakerConfig.with_labels(args.interviewer, args.respondent)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise OutputError(Message("cli.fail.out_is_file", out=out))
    table = None
    if args.id_column or args.text_column or args.question_column:
        table = TableSpec(id_column=args.id_column, text_column=args.text_column,
                          question_column=args.question_column)
    opts = {}
    if args.coder in ("lexicon", "ensemble") and (args.nlp != "auto" or args.spacy_model):
        opts = {"nlp_mode": args.nlp, "spacy_model": args.spacy_model}
    if args.coder_set:
        from ._eval import parse_options

        opts.update(parse_options(args.coder_set))
    bars = ProgressBars(args.progress)
    try:
        from ..export import write_project_workbook  # lazy: openpyxl and pandas once coding is done

        cb = load_codebook(args.codebook)
        res = coding_pass(args.transcripts, codebook=cb, participants=args.participants, db=args.db,
                          unit=args.unit, coder=args.coder, coder_options=opts, speakers=speakers,
                          table=table, language=args.language, progress=bars)
        res.workbook = write_project_workbook(args.db, args.out, codebook=cb, progress=bars)
    except OutputError as exc:  # the pass itself is stored: say so, and how to get the outputs
        msg = exc.args[0] if len(exc.args) == 1 else str(exc)
        raise OutputError(Message("cli.code.pass_kept", msg=msg, db=args.db), exc.path) from None
    finally:
        bars.close()
    lang = res.language
    for path, text in res.errors:
        print(tr("cli.skipped", lang, path=path, msg=localised(text, lang)))
    for path, text in res.warnings:
        print(tr("cli.warning", lang, path=path, msg=localised(text, lang)))
    top = sorted(res.code_counts.items(), key=lambda kv: -kv[1])
    codes = ", ".join(f"{c} {n}" for c, n in top if n)
    run = tr("cli.pass", lang, n=res.pass_id) if res.new_pass else tr("cli.unchanged", lang, n=res.pass_id)
    print(tr("cli.coded", lang, files=res.files, sources=res.sources, segments=res.segments,
              coded=res.coded_segments, reused=res.reused, run=run))
    print(tr("cli.codes", lang, codes=codes or tr("cli.none", lang)))
    if res.stale:
        print(tr("cli.stale", lang, n=res.stale))
    if res.workbook:
        print(tr("cli.workbook", lang, path=Path(res.workbook)))
    return 1 if res.errors and not res.sources else 0
