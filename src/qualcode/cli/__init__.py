"""The ``qualcode`` command line: parses arguments, calls the library, reports errors clearly.

Each command lives in its own module with ``register(subparsers)``; a handler returns an exit
code. Library exceptions (:class:`~qualcode.errors.QualcodeError`) become one clear message
and exit status 2; nothing here does the work itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from .._i18n import tr
from .._version import __version__
from ..errors import ConfigError, QualcodeError
from ._common import project_language

# Command modules, in the order ``qualcode --help`` lists them.
COMMANDS = ["_code", "_codebook", "_status", "_eval", "_review", "_agreement", "_summarize", "_topics", "_train",
            "_export", "_import"]

DESCRIPTION = """Qualitative interview coding: ingest transcripts, segment respondents' speech,
auto-code against a codebook, review in Excel, export matrices and theme summaries."""

EPILOG = """example, from the repository root (bundled French sample):
  qualcode code                      # codes transcripts/ with codebook/ai_at_work.yaml
  qualcode code interviews/ --codebook my_codebook.yaml --participants people.xlsx --out results/

Run `qualcode COMMAND --help` for each command's options and examples."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qualcode", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"qualcode {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:  # a parameter at fault is named as this command's option
        lang = project_language(args)
        print(tr("cli.error", lang, msg=exc.as_option(lang)), file=sys.stderr)
        return 2
    except QualcodeError as exc:
        lang = project_language(args)
        print(tr("cli.error", lang, msg=exc.localised(lang)), file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `qualcode agreement | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(tr("cli.interrupted", project_language(args)), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
