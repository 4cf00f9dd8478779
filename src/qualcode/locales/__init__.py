"""The label catalogues, one per language: ``fr.py`` and ``en.py``.

They are plain dicts so that the wheel needs no package data and a test can compare them key
by key. Read them through :func:`qualcode._i18n.tr`, never directly.
"""

from __future__ import annotations

from .en import EN
from .fr import FR

CATALOGUES: dict[str, dict[str, str]] = {"fr": FR, "en": EN}
"""Language code -> catalogue; English also serves any language not listed."""
