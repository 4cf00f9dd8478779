"""Coders: every way qualcode proposes codes, behind one protocol (:class:`Coder`).

``get_coder(name)`` builds one by name; heavy coders import their dependencies lazily, so
that the lexicon pass never pays for torch or sentence-transformers.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from .base import Coder, noisy_or

__all__ = ["Coder", "DEFAULT_CODER", "get_coder", "available_coders", "noisy_or"]

# What `qualcode code` and `qualcode eval` use when no --coder is given.
DEFAULT_CODER = "ensemble"


def _lexicon(**opts: Any) -> Coder:
    from .lexicon import LexiconCoder

    return LexiconCoder(**opts)


def _semantic(**opts: Any) -> Coder:
    from .semantic import SemanticCoder

    return SemanticCoder(**opts)


def _learning(**opts: Any) -> Coder:
    from .learning import LearningCoder

    return LearningCoder(**opts)


def _ensemble(**opts: Any) -> Coder:
    from .ensemble import EnsembleCoder

    return EnsembleCoder(**opts)


def _llm(**opts: Any) -> Coder:
    from .llm import LLMCoder

    return LLMCoder(**opts)


_REGISTRY = {"lexicon": _lexicon, "semantic": _semantic, "learning": _learning, "ensemble": _ensemble,
             "llm": _llm}


def available_coders() -> list[str]:
    return sorted(_REGISTRY)


def get_coder(name: str, **options: Any) -> Coder:
    """Build the coder registered as ``name`` with its options."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown coder {name!r}; available: {', '.join(available_coders())}") from None
    try:
        return factory(**options)
    except TypeError as exc:
        raise ConfigError(f"coder {name!r} does not take these options: {exc}") from None
