"""One lookup for every stage's interface labels (French and English; English otherwise).

Each stage keeps its own catalogue of labels beside its code; they all read it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping


def localise(catalogue: Mapping[str, Mapping[str, str]], key: str, lang: str, **fmt: object) -> str:
    """The text ``key`` of ``catalogue`` in ``lang`` (English when the language is not covered)."""
    entry = catalogue[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fmt) if fmt else text
