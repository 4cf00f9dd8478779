"""Helpers shared by the command modules: help formatting, progress bars, common options."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .._files import DEFAULT_DB


def add_command(sub: Any, name: str, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose help ends with examples (every command shows at least one)."""
    return sub.add_parser(name, help=help, description=description,
                          epilog="examples:\n" + examples,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def project_language(args: argparse.Namespace) -> str:
    """The language to speak to the user in when a command fails: the one asked for
    (``--language``/``--lang``), else the codebook's (the ``--codebook`` file, else the one
    stored in ``--db``), else English. Never raises: it runs while reporting another error."""
    for name in ("language", "lang"):
        if getattr(args, name, None) in ("fr", "en"):
            return str(getattr(args, name))
    try:
        from pathlib import Path

        codebook = getattr(args, "codebook", None)
        if codebook and Path(codebook).is_file():
            import yaml

            data = yaml.safe_load(Path(codebook).read_text(encoding="utf-8"))  # even an invalid codebook
            lang = data.get("language") if isinstance(data, dict) else None
            return lang if lang in ("fr", "en") else "en"
        db = getattr(args, "db", None)
        if db and Path(db).is_file():
            from ..store import Store

            with Store(db, create=False) as st:
                lang = st.codebook().language
            return lang if lang in ("fr", "en") else "en"
    except Exception:  # an unreadable codebook or database: the error being reported says why
        pass
    return "en"


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                   help="project database (default: %(default)s in the current folder)")


class ProgressBars:
    """tqdm bars on stderr, one per stage label; silent when stderr is not a terminal
    unless ``force`` (CI logs stay readable)."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bars: dict[str, Any] = {}

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            bar = self.bars[label] = tqdm(total=total, desc=f"{label:>10}", unit="", leave=False,
                                          file=sys.stderr, dynamic_ncols=True)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            del self.bars[label]

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show progress bars (default: only on a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="never show progress bars")
