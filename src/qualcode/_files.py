"""One way to write an output file: atomic, never over a file open in Excel or LibreOffice.

Every writer (coded workbook, review workbooks, agreement, topics, report, models) goes through
:func:`atomic_write`, so that:

- a crash, a kill or a full disk never leaves half a file: the content goes to a hidden
  temporary file in the same folder, is flushed to disk, then renamed over the target;
- a file open in Excel (``~$name``) or LibreOffice (``.~lock.name#``) is never overwritten:
  the new file gets a dated name beside it instead;
- the file gets the permissions of any file the user creates (from the umask), not the
  owner-only mode of temporary files;
- temporary files left by a killed run are removed by the next write to that folder;
- an operating-system refusal (read-only folder, disk full, a file where a folder should be)
  becomes an :class:`~qualcode.errors.OutputError` naming the file and the fix.

This module is deliberately low-level: it imports nothing from the rest of qualcode but errors.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .errors import OutputError

#: Temporary files older than this in an output folder come from a killed run.
STALE_AFTER_S = 15 * 60
WORKBOOK_NAME = "coded.xlsx"  # the coded workbook, in a project's output folder
DEFAULT_DB = "qualcode.db"  # the project database, when none is named
DEFAULT_OUT = "outputs"  # the output folder, when none is named
_TMP_TAG = ".~qc-"  # hidden, and distinct from LibreOffice's ".~lock." files


def cache_dir() -> Path:
    """``$QUALCODE_CACHE_DIR``, else ``~/.cache/qualcode``: what is derived from packages and
    texts (embeddings, word analyses, model indexes) and can be rebuilt at any time."""
    env = os.environ.get("QUALCODE_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "qualcode"


def shared_cache_dir() -> Path | None:
    """``$QUALCODE_CACHE_DIR`` when set: a cache of *project* data (vectors of answers, model
    replies) shared on purpose (benchmarks, tests); else None, and such caches stay beside the
    project's database or in memory. One project's answers never leak into another's through
    the user's home; only what is derived from packages goes to :func:`cache_dir` by default."""
    env = os.environ.get("QUALCODE_CACHE_DIR")
    return Path(env) if env else None


def project_cache_path(db: str | Path) -> Path:
    """The embedding cache of the project whose database is ``db``: beside it."""
    p = Path(db)
    return p.with_name(p.stem + ".embeddings.sqlite")


def lock_files(path: Path) -> list[Path]:
    """The lock files that Excel and LibreOffice create beside ``path`` while it is open.

    Excel writes ``~$`` + the name (Word-style ``~$`` + the name without its first two
    characters for long names); LibreOffice writes ``.~lock.`` + the name + ``#``.
    """
    name = path.name
    cands = [path.with_name("~$" + name), path.with_name(f".~lock.{name}#")]
    if len(name) > 8:
        cands.append(path.with_name("~$" + name[2:]))
    return cands


def is_open(path: Path) -> bool:
    """True when Excel or LibreOffice holds ``path`` open (its lock file is present)."""
    return any(p.exists() for p in lock_files(Path(path)))


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


def target_for(path: Path) -> Path:
    """Where to write: ``path``, or a dated sibling when the user has ``path`` open."""
    path = Path(path)
    if path.exists() and is_open(path):
        return free_name(path, stamp())
    return path


def backup(path: Path) -> Path | None:
    """Copy an existing file to ``name.bak-YYYYmmdd-HHMMSS.xlsx`` beside it; None if absent."""
    if not path.exists():
        return None
    dest = free_name(path, f"bak-{stamp()}")
    try:
        shutil.copy2(path, dest)
    except OSError as exc:
        raise _explain(exc, dest) from None
    return dest


def make_folder(folder: str | Path) -> Path:
    """``mkdir -p``, with an :class:`OutputError` that names the folder and the fix."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(exc, folder / ".") from None
    return folder


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stale_temps(folder: Path, stem: str, suffix: str) -> list[Path]:
    """Our temporary files for ``stem``+``suffix`` in ``folder`` (also the ``.~stemXXXXXXXX``
    names of earlier versions), older than :data:`STALE_AFTER_S`."""
    pat = re.compile(rf"^(?:{re.escape(_TMP_TAG)}|\.~){re.escape(stem)}\.?[A-Za-z0-9_]{{8}}"
                     rf"{re.escape(suffix)}$")
    old = time.time() - STALE_AFTER_S
    found = []
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            if pat.match(p.name) and p.stat().st_mtime < old:
                found.append(p)
    return found


def _explain(exc: OSError, path: Path) -> OutputError:
    """An :class:`OutputError` that says which file, what the system said, and what to do."""
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        fix = "the disk is full: free some space, then run the command again"
    elif isinstance(exc, (NotADirectoryError, FileExistsError)) or code in (errno.ENOTDIR,
                                                                              errno.EEXIST):
        fix = (f"{_first_file(path)} is a file, where a folder is needed: choose an output "
               "folder, not a file")
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = (f"the folder {path.parent} is read-only or not yours: make it writable, or "
               "choose another output folder")
    else:
        fix = "check the folder exists and is writable, then run the command again"
    reason = exc.strerror or str(exc)
    return OutputError(f"{path}: cannot write the file ({reason}); {fix}", path=path)


def _first_file(path: Path) -> Path:
    for p in [*reversed(path.parents), path]:
        if p.exists() and not p.is_dir():
            return p
    return path.parent


def atomic_write(path: str | Path, write: Callable[[str], object], *, respect_locks: bool = True
                 ) -> Path:
    """Write ``path`` by calling ``write(temporary_path)``, then renaming; returns the path written.

    When ``respect_locks`` and the file is open in Excel or LibreOffice, the new content goes to
    a dated sibling (see :func:`target_for`) and that path is returned.
    """
    path = Path(path)
    target = target_for(path) if respect_locks else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(exc, target) from None
    for stale in {*_stale_temps(target.parent, target.stem, target.suffix),
                  *_stale_temps(target.parent, path.stem, path.suffix)}:
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TMP_TAG + target.stem + ".", suffix=target.suffix,
                                   dir=target.parent)
    except OSError as exc:
        raise _explain(exc, target) from None
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _explain(exc, target) from None
    except BaseException:  # interrupted, or the writer failed: no half file, no stray temp
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable (POSIX only)
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return target


def atomic_write_text(path: str | Path, text: str, *, respect_locks: bool = True) -> Path:
    """:func:`atomic_write` for UTF-8 text."""
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"),
                        respect_locks=respect_locks)


__all__ = ["atomic_write", "atomic_write_text", "backup", "cache_dir", "shared_cache_dir", "project_cache_path", "free_name", "is_open", "lock_files", "make_folder",
           "stamp", "target_for", "STALE_AFTER_S"]
