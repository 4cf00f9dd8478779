"""Coders: every way qualcode proposes codes, behind one protocol (:class:`Coder`).

``get_coder(name)`` builds one by name; heavy coders import their dependencies lazily, so
that the lexicon pass never pays for torch or sentence-transformers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .._i18n import Message
from ..errors import ConfigError
from .base import Coder, noisy_or

__all__ = ["Coder", "DEFAULT_CODER", "get_coder", "available_coders", "noisy_or"]

# What `qualcode code` and `qualcode eval` use when no --coder is given.
DEFAULT_CODER = "ensemble"


def _lexicon() -> type[Coder]:
    from .lexicon import LexiconCoder

    return LexiconCoder


def _semantic() -> type[Coder]:
    from .semantic import SemanticCoder

    return SemanticCoder


def _learning() -> type[Coder]:
    from .learning import LearningCoder

    return LearningCoder


def _ensemble() -> type[Coder]:
    from .ensemble import EnsembleCoder

    return EnsembleCoder


def _llm() -> type[Coder]:
    from .llm import LLMCoder

    return LLMCoder


# name -> the coder's class, imported only when asked for
_REGISTRY: dict[str, Callable[[], type[Coder]]] = {
    "lexicon": _lexicon, "semantic": _semantic, "learning": _learning, "ensemble": _ensemble, "llm": _llm}


def available_coders() -> list[str]:
    return sorted(_REGISTRY)


def get_coder(name: str, **options: Any) -> Coder:
    """Build the coder registered as ``name`` with its options."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(Message("msg.coder.unknown", name=repr(name), available=", ".join(available_coders()))) from None
    cls = factory()
    params = inspect.signature(cls).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        accepted = [n for n, p in params.items()
                    if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)]
        unknown = [k for k in options if k not in accepted]
        if unknown:
            raise ConfigError(Message("msg.coder.no_option", name=repr(name), options=", ".join(map(repr, unknown)),
                                      accepted=", ".join(accepted) or "-"))
    for key, value in list(options.items()):
        p = params.get(key)
        if p is not None and isinstance(p.default, bool) and not isinstance(value, bool):
            options[key] = _flag(name, key, value)
    return cls(**options)


_TRUE = {"true", "yes", "oui", "on", "1"}
_FALSE = {"false", "no", "non", "off", "0"}


def _flag(coder: str, key: str, value: Any) -> bool:
    """A yes/no option given as text or a number (``--set borrow=no``): ``bool("no")`` is True."""
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ConfigError(Message("msg.coder.flag", name=repr(coder), option=repr(key), value=repr(value)))
