"""``qualcode codebook``: check and show a codebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._i18n import Message, tr
from ..codebook import default_codebook_path, load_codebook, rename_code, save_codebook_text
from ..errors import ConfigError
from ._common import add_command


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "codebook", help="validate a codebook and list its codes; rename a code",
                    description="Load and validate a codebook YAML; print its codes with their labels "
                                "and lexicon sizes. Errors name the file, the code and the field. "
                                "`qualcode codebook rename OLD NEW` renames a code in the YAML and records "
                                "`formerly: [OLD]`, so every decision made on OLD counts for NEW. To merge "
                                "codes A and B into C, give C `formerly: [A, B]` and delete A and B: both "
                                "histories are kept (a segment is coded C when A or B was decided yes).",
                    examples="  qualcode codebook\n  qualcode codebook my_codebook.yaml --lang en\n"
                             "  qualcode codebook rename JOB_THREAT JOBS --codebook my_codebook.yaml")
    p.add_argument("args", nargs="*", metavar="FILE | rename OLD NEW",
                   help="codebook YAML to check (default: codebook/ai_at_work.yaml, else the copy shipped "
                        "with qualcode), or `rename OLD NEW`")
    p.add_argument("--codebook", metavar="FILE", help="with rename: the codebook YAML to edit (default: "
                                                      "codebook/ai_at_work.yaml)")
    p.add_argument("--lang", help="label language (default: the codebook's)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.args[:1] == ["rename"]:
        return run_rename(args)
    if len(args.args) > 1:
        raise ConfigError(Message("cli.fail.one_codebook", n=len(args.args), files=" ".join(args.args)))
    path = args.args[0] if args.args else default_codebook_path()
    cb = load_codebook(path)
    lang = args.lang or cb.language
    print(tr("cli.codebook.ok", lang, name=cb.name, version=cb.version, n=len(cb.codes),
             languages=", ".join(cb.languages)))
    print(tr("cli.codebook.file", lang, path=path))
    for c in cb.codes:
        indent = "  " * (1 + _depth(cb, c.id))
        lex = ", ".join(f"{lg} {len(v)}" for lg, v in c.lexicon.items())
        print(tr("cli.codebook.code", lang, indent=indent, code=c.id, label=c.text("label", lang),
                 lexicon=lex or tr("cli.none", lang)))
    return 0


def _depth(cb, code_id: str) -> int:
    d, cur = 0, cb.code(code_id).parent
    while cur:
        d += 1
        cur = cb.code(cur).parent
    return d


def run_rename(args: argparse.Namespace) -> int:
    if len(args.args) != 3:
        raise ConfigError(Message("cli.fail.rename_usage"))
    _, old, new = args.args
    path = Path(args.codebook) if args.codebook else default_codebook_path()
    cb = load_codebook(path)
    save_codebook_text(path, rename_code(cb.raw, old, new, str(path)))
    print(tr("cli.codebook.renamed", cb.language, path=path, old=old, new=new))
    return 0
