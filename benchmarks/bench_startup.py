"""Start-up of ``qualcode code`` on the bundled sample: cold and warm wall time, and where it goes.

    python benchmarks/bench_startup.py            # 3 cold + 3 warm runs, then one profiled run

*Cold* is a fresh project (a copy of ``transcripts/`` in an empty temporary folder: no database,
nothing cached); *warm* is the same command run again in that project (the files are unchanged,
so nothing is coded again). Each run is a new ``python -m qualcode code`` process, as a user
types it. The breakdown is a profiled cold run in this process, grouped by stage. The goal
(issue 11) is a cold run of at most 5 s on the reference machine (2 cores).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
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
    ("semantic coder", "qualcode/coders/semantic.py", "code", None),
    ("store (SQLite)", "qualcode/store.py", "__init__", None),
    ("write coded workbook", "qualcode/export/workbook.py", "write_coded_workbook", None),
]


def _run(project: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qualcode", "code", "--no-progress"], cwd=project,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def _fresh(root: Path, k: int) -> Path:
    project = root / f"p{k}"
    shutil.copytree(REPO / "transcripts", project / "transcripts")
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
    print(f"\nbreakdown of one profiled cold run ({total:.2f} s with profiling overhead):")
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
        cold, warm = [], []
        for k in range(args.repeat):
            project = _fresh(root, k)
            cold.append(_run(project))
            warm.append(_run(project))
        print(f"qualcode code on transcripts/ (6 files), {args.repeat} runs each, "
              f"{os.cpu_count()} CPUs")
        print(f"  cold (fresh project): median {statistics.median(cold):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in cold)})")
        print(f"  warm (second run):    median {statistics.median(warm):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in warm)})")
        _breakdown(_fresh(root, 99))


if __name__ == "__main__":
    main()
