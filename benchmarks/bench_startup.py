"""Start-up of ``qualcode code`` on the bundled sample: cold and warm wall time, and where it goes.

    python benchmarks/bench_startup.py            # 3 cold + 3 warm runs, then one profiled run

Three situations, each a new ``python -m qualcode code`` process as a user types it:

- *first run on the machine*: a fresh project and an empty user cache (``QUALCODE_CACHE_DIR``):
  the French sentence model embeds the codebook and every segment;
- *new texts*: a fresh project whose answers were never seen (each line gets a marker), on a
  machine where qualcode has run before: the French pipeline and sentence model must run;
- *cold*: a fresh project (a copy of ``transcripts/`` in an empty temporary folder: no
  database) on a machine where qualcode has run before (its user cache holds the word
  analyses and embeddings of these texts);
- *warm*: the same command again in that project (files unchanged: nothing is coded again).

Wall and CPU (user + system) times are printed: on a shared machine CPU time is the steadier
figure. The breakdown is a profiled *new texts* run in this process (the case with real work),
grouped by stage. The goal
(issue 11) is a cold run of at most 5 s on the reference machine (2 cores).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# (label, function name as it appears in the profile: file fragment, function)
STAGES = [
    ("import qualcode + CLI", "qualcode/cli/__init__.py", "main", None),
    ("import spaCy", "qualcode/nlp.py", "import_spacy", None),
    ("load French pipeline (spaCy)", "qualcode/nlp.py", "_load", None),
    ("sentence splitter", "qualcode/nlp.py", "_sentencizer", None),
    ("read codebook", "qualcode/codebook.py", "load_codebook", None),
    ("ingest transcripts", "qualcode/ingest/__init__.py", "ingest", None),
    ("lexicon coder", "qualcode/coders/lexicon.py", "code", None),
    ("semantic coder", "qualcode/coders/semantic.py", "scores", None),
    ("store (SQLite)", "qualcode/store.py", "__init__", None),
    ("write coded workbook", "qualcode/export/workbook.py", "write_coded_workbook", None),
]


def _run(project: Path, cache: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``qualcode code`` process in ``project``."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    if cache is not None:
        env["QUALCODE_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qualcode", "code", "--no-progress"], cwd=project,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _show(label: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(f"  {label:<28} wall median {statistics.median(walls):5.2f} s, CPU median "
          f"{statistics.median(cpus):5.2f} s   (wall: {', '.join(f'{x:.2f}' for x in walls)})")


def _fresh(root: Path, k: int, new_texts: bool = False) -> Path:
    project = root / f"p{k}"
    shutil.copytree(REPO / "transcripts", project / "transcripts")
    if new_texts:  # a marker on every line: texts no cache has seen
        tag = f" ({time.time_ns() % 10**9})"
        for f in (project / "transcripts").glob("*.txt"):
            data = f.read_bytes()
            f.write_bytes(b"\n".join(line + tag.encode() if line.strip() else line
                                     for line in data.split(b"\n")))
    return project


def _breakdown(project: Path) -> None:
    sys.path.insert(0, str(REPO / "src"))
    prof = cProfile.Profile()
    cwd = os.getcwd()
    os.chdir(project)
    argv = sys.argv
    sys.argv = ["qualcode", "code", "--no-progress"]
    t = time.perf_counter()
    try:
        from contextlib import redirect_stdout
        from io import StringIO

        with redirect_stdout(StringIO()):
            prof.runcall(__import__("qualcode.cli", fromlist=["main"]).main)
    except SystemExit:
        pass
    finally:
        sys.argv = argv
        os.chdir(cwd)
    total = time.perf_counter() - t
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    print(f"\nbreakdown of one profiled run on new texts ({total:.2f} s with profiling overhead):")
    for label, frag, func, _ in STAGES:
        cum = sum(v[3] for (file, _line, name), v in stats.items()
                  if file.endswith(frag) and name == func)
        print(f"  {label:<32} {cum:6.2f} s")
    print("  (stages overlap: the coders include the pipeline loads they trigger)")
    print("\ntop 12 functions by cumulative time outside qualcode:")
    rows = sorted(((v[3], f"{Path(f).name}:{n}") for (f, _l, n), v in stats.items()
                   if "qualcode" not in f and "<" not in f and "importlib" not in f),
                  reverse=True)[:12]
    for cum, name in rows:
        print(f"  {cum:6.2f} s  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        first, new, cold, warm = [], [], [], []
        for k in range(args.repeat):
            first.append(_run(_fresh(root, 100 + k), cache=root / f"cache{k}"))
            new.append(_run(_fresh(root, 200 + k, new_texts=True)))
            project = _fresh(root, k)
            cold.append(_run(project))
            warm.append(_run(project))
        print(f"qualcode code on transcripts/ (6 files, 67 segments), {args.repeat} runs each, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        _show("first run on the machine", first)
        _show("new texts (fresh project)", new)
        _show("cold (fresh project)", cold)
        _show("warm (second run)", warm)
        _breakdown(_fresh(root, 99, new_texts=True))


if __name__ == "__main__":
    main()
