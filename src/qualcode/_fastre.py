"""Exact, lazily compiled stand-in for spaCy's French ``token_match`` regex.

spaCy's French tokenizer keeps words such as ``burn-out`` or ``pet-en-l'air`` whole with one
1.4 MB regular expression: 266 anchored alternatives, each repeating the full Unicode letter
class. Python compiles it in 7-8 s, which was most of ``qualcode code``'s start-up, although
the text of a typical interview only ever needs a handful of its alternatives.

:class:`LazyAlternation` answers ``match(s)`` exactly as ``re.compile(pattern).match(s)`` would
(truthy or None; spaCy only tests truthiness) but compiles an alternative only when ``s`` holds
everything that alternative requires: its literal head, and the short character classes and
literals it cannot skip. Those necessary conditions are derived from the pattern text itself,
so a different spaCy version is handled or, when the pattern has another shape, the real
``re.compile`` is used. ``patched_compile`` installs it for the duration of a spaCy load.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

_FLAGS = "(?iu)"
_SPECIAL = set("[](){}?*+.|\\^$")
_QUANT = set("?*+{")
_BIG = 100_000  # patterns shorter than this compile fast enough as they are
_SMALL_CLASS = 40  # classes longer than this (the Unicode letter classes) are never prefilters


_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]", re.DOTALL)


def _class_end(body: str, i: int) -> int:
    """Index of the ``]`` closing the class opened at ``body[i]``, or -1."""
    m = _CLASS.match(body, i)
    return m.end() - 1 if m else -1


def _requirements(alt: str) -> tuple[str, list[str]] | None:
    """(head literal, [patterns that must each be found in s]) for one ``^...$`` alternative.

    Only elements at the top level, not followed by a quantifier, are required; whatever the
    scan does not understand is skipped, which only weakens the filter, never changes a result.
    """
    if not (alt.startswith("^") and alt.endswith("$")):
        return None
    body = alt[1:-1]
    head, need, lit, i, depth, at_head = "", [], "", 0, 0, True

    def flush(run: str) -> None:
        nonlocal head, at_head
        if at_head:
            head, at_head = run, False
        elif run:
            need.append(re.escape(run))

    while i < len(body):
        c = body[i]
        if c == "\\":
            flush(lit)
            lit = ""
            i += 2
            continue
        if c == "(":
            flush(lit)
            lit = ""
            depth += 1
            i += 1
            continue
        if c == ")":
            depth -= 1
            i += 1
            continue
        if c == "[":
            flush(lit)
            lit = ""
            j = _class_end(body, i)
            if j < 0:
                return head, need  # unusual class: stop deriving conditions here
            cls = body[i : j + 1]
            optional = j + 1 < len(body) and body[j + 1] in _QUANT
            if depth == 0 and not optional and len(cls) <= _SMALL_CLASS:
                need.append(cls)
            i = j + 1
            continue
        if c == "|" and depth == 0:
            return None  # a top-level alternation inside the alternative: no safe conditions
        if c == "{":
            if lit:
                lit = lit[:-1]
            flush(lit)
            lit = ""
            j = body.find("}", i)
            i = len(body) if j < 0 else j + 1
            continue
        if c in _SPECIAL:  # a quantifier or anchor: the literal run before it ends here
            if c in _QUANT and lit:
                lit = lit[:-1]  # the quantified character is optional
            flush(lit)
            lit = ""
            i += 1
            continue
        if depth == 0:
            lit += c
        i += 1
    flush(lit)
    return head, need


class LazyAlternation:
    """``re.compile(pattern)`` for ``(?iu)(?:^a$)|(?:^b$)|...``, compiled one alternative at a time."""

    def __init__(self, pattern: str, alts: list[str], conds: list[tuple[str, list[str]]]):
        self.pattern = pattern
        self.flags = re.compile(_FLAGS).flags
        self._alts = alts
        self._heads = [re.compile(_FLAGS + h) if h else None for h, _ in conds]
        cache: dict[str, re.Pattern[str]] = {}
        self._needs = [[cache.setdefault(n, re.compile(_FLAGS + n)) for n in need]
                       for _, need in conds]
        self._compiled: dict[int, re.Pattern[str]] = {}
        # one search that every alternative needs (a punctuation class such as the hyphens),
        # so that most words are answered by a single cheap test
        gate = set()
        for need in conds:
            punct = [n for n in need[1] if n.startswith("[") and not re.search(r"\w", n[1:-1])]
            if not punct:
                gate = None
                break
            gate.add(punct[0])
        self._gate = re.compile(_FLAGS + "|".join(sorted(gate))) if gate else None
        self._real: re.Pattern[str] | None = None

    @classmethod
    def build(cls, pattern: str) -> LazyAlternation | None:
        if not (pattern.startswith(_FLAGS + "(?:") and pattern.endswith(")")):
            return None
        alts = pattern[len(_FLAGS) + 3 : -1].split(")|(?:")
        if _FLAGS + "|".join(f"(?:{a})" for a in alts) != pattern:
            return None
        conds = [_requirements(a) for a in alts]
        if any(c is None for c in conds):
            return None
        return cls(pattern, alts, conds)  # type: ignore[arg-type]

    def match(self, s: str, *args: Any) -> Any:
        if args:
            return self._full().match(s, *args)
        if self._gate is not None and not self._gate.search(s):
            return None
        for k, head in enumerate(self._heads):
            if head is not None and not head.match(s):
                continue
            if not all(n.search(s) for n in self._needs[k]):
                continue
            rx = self._compiled.get(k)
            if rx is None:
                rx = self._compiled[k] = re.compile(_FLAGS + "(?:" + self._alts[k] + ")")
            m = rx.match(s)
            if m:
                return m
        return None

    def _full(self) -> re.Pattern[str]:
        if self._real is None:
            self._real = _REAL_COMPILE(self.pattern)
        return self._real

    def __getattr__(self, name: str) -> Any:  # search, finditer...: the real thing, compiled once
        return getattr(self._full(), name)


_REAL_COMPILE = re.compile
_LAZY: dict[str, Any] = {}


def _compile(pattern: Any, flags: int = 0) -> Any:
    if flags == 0 and isinstance(pattern, str) and len(pattern) > _BIG:
        lazy = _LAZY.get(pattern)
        if lazy is None:
            lazy = _LAZY[pattern] = LazyAlternation.build(pattern) or _REAL_COMPILE(pattern)
        return lazy
    return _REAL_COMPILE(pattern, flags)


@contextlib.contextmanager
def patched_compile() -> Iterator[None]:
    """Route huge ``re.compile`` calls made while loading spaCy through :class:`LazyAlternation`."""
    if re.compile is _compile:
        yield
        return
    re.compile = _compile  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = _REAL_COMPILE  # type: ignore[assignment]
