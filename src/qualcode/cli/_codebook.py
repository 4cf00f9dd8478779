"""``qualcode codebook``: check and show a codebook."""

from __future__ import annotations

import argparse

from ..codebook import default_codebook_path, load_codebook
from ._common import add_command


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "codebook", help="validate a codebook and list its codes",
                    description="Load and validate a codebook YAML; print its codes with their labels "
                                "and lexicon sizes. Errors name the file, the code and the field.",
                    examples="  qualcode codebook\n  qualcode codebook my_codebook.yaml --lang en")
    p.add_argument("file", nargs="?", help="codebook YAML (default: codebook/ai_at_work.yaml, "
                                           "else the copy shipped with qualcode)")
    p.add_argument("--lang", help="label language (default: the codebook's)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = args.file or default_codebook_path()
    cb = load_codebook(path)
    lang = args.lang or cb.language
    print(f"{cb.name} {cb.version} ({len(cb.codes)} codes, languages: {', '.join(cb.languages)}) — OK")
    print(f"  file: {path}")
    for c in cb.codes:
        indent = "  " * (1 + _depth(cb, c.id))
        lex = ", ".join(f"{lg} {len(v)}" for lg, v in c.lexicon.items())
        print(f"{indent}{c.id:<18} {c.text('label', lang)}  [lexicon: {lex or 'none'}]")
    return 0


def _depth(cb, code_id: str) -> int:
    d, cur = 0, cb.code(code_id).parent
    while cur:
        d += 1
        cur = cb.code(cur).parent
    return d
