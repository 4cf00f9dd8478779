"""Never lose a reviewer's typing: back up before overwriting, never write over an open file."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path


def is_open(path: Path) -> bool:
    """True when Excel (``~$name``) or LibreOffice (``.~lock.name#``) holds the file open."""
    return (path.with_name("~$" + path.name).exists()
            or path.with_name(f".~lock.{path.name}#").exists())


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def free_name(path: Path, tag: str) -> Path:
    """``name.<tag>.xlsx``-style sibling that does not exist yet (a counter breaks ties)."""
    cand = path.with_name(f"{path.stem}.{tag}{path.suffix}")
    k = 2
    while cand.exists():
        cand = path.with_name(f"{path.stem}.{tag}-{k}{path.suffix}")
        k += 1
    return cand


def backup(path: Path) -> Path | None:
    """Copy an existing file to ``name.bak-YYYYmmdd-HHMMSS.xlsx`` beside it; None if absent."""
    if not path.exists():
        return None
    dest = free_name(path, f"bak-{stamp()}")
    shutil.copy2(path, dest)
    return dest


def target_for(path: Path) -> Path:
    """Where to write: ``path``, or a dated sibling when the user has ``path`` open."""
    if path.exists() and is_open(path):
        return free_name(path, stamp())
    return path
