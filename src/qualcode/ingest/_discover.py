"""Turn the paths a user gives (files, folders, shell globs) into transcript files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qualcode._i18n import Message

from ._common import CONVERTIBLE_EXTS, SUPPORTED_EXTS

PathLike = str | Path


def is_side_file(path: Path) -> bool:
    """Files that sit next to transcripts but are not transcripts (notes, the participants sheet)."""
    name = path.name
    stem = path.stem.casefold()
    return (
        name.startswith((".", "~$"))  # hidden files, Office lock files
        or stem in ("participants", "participant")
        or stem.startswith("readme")
    )


def as_path_list(paths: PathLike | Sequence[PathLike]) -> list[PathLike]:
    """Accept one path or a sequence of paths (a str is one path, not a sequence of letters)."""
    if isinstance(paths, (str, Path)):
        return [paths]
    return list(paths)


def scan(
    paths: PathLike | Sequence[PathLike], recursive: bool = False
) -> tuple[list[Path], list[str], list[tuple[str, str]]]:
    """(transcript files, skipped, errors). Errors: missing paths and convertible formats."""
    files: set[Path] = set()
    skipped: list[str] = []
    errors: list[tuple[str, str]] = []
    for given in as_path_list(paths):
        path = Path(given)
        if path.is_dir():
            children = path.rglob("*") if recursive else path.iterdir()
            try:
                candidates = sorted(p for p in children if p.is_file())
            except OSError as exc:  # a folder we may not list: name it, read the others
                errors.append((str(given), Message("msg.ingest.folder_unreadable", where=exc.filename or given,
                                                   error=exc.strerror)))
                continue
        elif path.is_file():
            candidates = [path]
        else:
            errors.append((str(given), Message("msg.ingest.no_such_path", where=given)))
            continue
        for file in candidates:
            ext = file.suffix.lower().lstrip(".")
            if is_side_file(file):
                skipped.append(str(file))
            elif ext in SUPPORTED_EXTS:
                files.add(file)
            elif ext in CONVERTIBLE_EXTS:
                errors.append((str(file), Message("msg.ingest.cannot_read_ext", where=file, ext=ext,
                                                  hint=CONVERTIBLE_EXTS[ext])))
            else:
                skipped.append(str(file))
    return sorted(files), skipped, errors
