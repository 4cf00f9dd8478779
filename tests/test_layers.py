"""Imports point down the layers, and no package reaches into another's private modules.

The table is the one in docs/architecture.md. Every import in src/qualcode, including those
inside functions, is read with ``ast``. ``KNOWN`` lists the violations that existed when the
test was written; it may only shrink: a new upward or private import fails the test, and so
does an entry of ``KNOWN`` that no longer happens (remove it).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "qualcode"

# lowest first; a module may import its own layer (not in a cycle) and the layers below
LAYERS: list[set[str]] = [
    {"errors", "model", "_version", "_files", "_xlsx", "_yaml", "_fastre", "_i18n", "locales", "stats",
     "codebook", "nlp", "_stopwords"},  # kernel
    {"ingest", "segment"},  # input stages
    {"store"},
    {"coders"},
    {"analysis"},  # the coded frame, its counts, quotes, terms: shared by commands and outputs
    {"pipeline", "review", "agreement", "evaluate", "topics", "refi"},  # project commands
    {"export", "report", "summaries"},  # outputs
    {"cli"},
]
TOP = {"__init__", "__main__"}  # the package's public face may import anything

# (importing module, imported module) pairs that predate the rule: only ever shrink this set
KNOWN: set[tuple[str, str]] = set()


def package(module: str) -> str:
    """qualcode.summaries._model -> summaries"""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(pkg: str) -> int | None:
    return next((k for k, names in enumerate(LAYERS) if pkg in names), None)


def imports() -> list[tuple[str, str]]:
    out = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        module = ".".join(parts)
        base = parts if is_pkg else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    target = ".".join(base[:len(base) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [target] if node.module or not node.level else [f"{target}.{a.name}" for a in node.names]
                out += [(module, _existing(t)) for t in names if t.startswith("qualcode")]
            elif isinstance(node, ast.Import):
                out += [(module, a.name) for a in node.names if a.name.startswith("qualcode")]
    return out


def _existing(module: str) -> str:
    """``qualcode.__version__`` (a name, not a module) -> ``qualcode``."""
    parts = module.split(".")
    while len(parts) > 1:
        path = SRC.parent.joinpath(*parts)
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            break
        parts.pop()
    return ".".join(parts)


def violations() -> set[tuple[str, str]]:
    found = set()
    for src, dst in imports():
        ps, pd = package(src), package(dst)
        if ps in TOP or ps == pd:
            continue
        private = any(p.startswith("_") and p not in TOP for p in dst.split(".")[2:])
        ls, ld = layer(ps), layer(pd)
        if private or ls is None or ld is None or ld > ls:
            found.add((src, dst))
    return found


def test_every_package_is_in_a_layer():
    pkgs = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
            if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__pycache__"}
    unplaced = sorted(pkgs - set().union(*LAYERS) - TOP)
    assert unplaced == [], f"place these in LAYERS (and docs/architecture.md): {unplaced}"


def test_imports_point_down_and_stay_public():
    found = violations()
    new = sorted(found - KNOWN)
    assert new == [], "upward or private cross-package imports:\n" + "\n".join(f"  {a} -> {b}" for a, b in new)
    gone = sorted(KNOWN - found)
    assert gone == [], "fixed, remove from KNOWN:\n" + "\n".join(f"  {a} -> {b}" for a, b in gone)


def test_no_cycle_between_packages():
    graph: dict[str, set[str]] = {}
    for src, dst in imports():
        ps, pd = package(src), package(dst)
        if ps != pd and ps not in TOP and pd not in TOP:
            graph.setdefault(ps, set()).add(pd)
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif len(path) < 12:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    new = sorted({tuple(c) for c in cycles} - KNOWN_CYCLES)
    assert new == [], "import cycles between packages:\n" + "\n".join(f"  {' -> '.join(c)}" for c in new)
    gone = sorted(KNOWN_CYCLES - {tuple(c) for c in cycles})
    assert gone == [], "fixed, remove from KNOWN_CYCLES:\n" + "\n".join(f"  {' -> '.join(c)}" for c in gone)


KNOWN_CYCLES: set[tuple[str, ...]] = set()
