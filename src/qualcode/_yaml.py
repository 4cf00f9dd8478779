"""One YAML reader for codebooks and front matter: fast (libyaml when present) and bounded.

YAML aliases let a few hundred bytes expand into gigabytes ("billion laughs"), and deep nesting
exhausts Python's recursion limit. Both are checked on the event stream, which is read
iteratively, before anything is built, so a hostile or broken file ends in a message instead
of a frozen machine or a traceback.
"""

from __future__ import annotations

from typing import Any

from ._i18n import Message

#: Explicit limits, documented in the README ("What goes in").
MAX_NODES = 100_000  # values after alias expansion (a large codebook has a few thousand)
MAX_DEPTH = 64  # nesting levels (a codebook needs about 5)


class YamlLimitError(ValueError):
    """The YAML text is larger, deeper or more self-referencing than the limits allow."""


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_limits(text: str, max_chars: int, first_line: int = 1) -> None:
    """Raise :class:`YamlLimitError` (with the limit and the fix) before ``text`` is built.

    ``first_line`` is the line number of the text's first line in its file (for messages)."""
    import yaml

    if len(text) > max_chars:
        raise YamlLimitError(Message("msg.yaml.too_long", n=len(text), limit=max_chars))
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, expanded size so far]
    for ev in yaml.parse(text, Loader=_loader()):
        if isinstance(ev, yaml.AliasEvent):
            stack[-1][1] += sizes.get(ev.anchor or "", 1)
        elif isinstance(ev, yaml.ScalarEvent):
            stack[-1][1] += 1
            if ev.anchor:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.CollectionStartEvent):
            stack.append([ev.anchor, 1])
            if len(stack) - 1 > MAX_DEPTH:
                line = ev.start_mark.line + first_line if ev.start_mark else "?"
                raise YamlLimitError(Message("msg.yaml.too_deep", depth=MAX_DEPTH, line=line))
        elif isinstance(ev, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            stack[-1][1] += size
        else:
            continue
        if stack[-1][1] > MAX_NODES or any(f[1] > MAX_NODES for f in stack):
            raise YamlLimitError(Message("msg.yaml.too_many_aliases", n=MAX_NODES))


def safe_load(text: str, max_chars: int, first_line: int = 1) -> Any:
    """``yaml.safe_load`` within the limits; YAML syntax errors propagate as ``yaml.YAMLError``."""
    import yaml

    try:
        check_limits(text, max_chars, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if "nesting depth" in str(exc):  # libyaml's own depth limit, reached before ours
            line = mark.line + first_line if mark else "?"
            raise YamlLimitError(f"it is nested more than {MAX_DEPTH} levels deep (line {line}); "
                                 "flatten it") from None
        yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the pure-Python reader words
        raise  # its errors better (line and column of the problem); if it accepts, libyaml's
    return yaml.load(text, Loader=_loader())  # noqa: S506 - a safe loader
