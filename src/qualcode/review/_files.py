"""Never lose a reviewer's typing: back up before overwriting, never write over an open file.

The implementation is shared by every output writer and lives in :mod:`qualcode._files`.
"""

from __future__ import annotations

from .._files import backup, free_name, is_open, stamp, target_for

__all__ = ["backup", "free_name", "is_open", "stamp", "target_for"]
