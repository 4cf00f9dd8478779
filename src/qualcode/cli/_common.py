"""Helpers shared by the command modules: help formatting, progress bars, common options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

Progress = Callable[[int, int, str], None]


def add_command(sub: Any, name: str, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose help ends with examples (every command shows at least one)."""
    return sub.add_parser(name, help=help, description=description,
                          epilog="examples:\n" + examples,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default="qualcode.db", metavar="FILE",
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
