"""Time `qualcode topics` on the 1,210 real interviews (../shared/data) and show what it finds.

Codes the corpus into a fresh project (default codebook, lexicon coder; not timed as topics),
then runs `qualcode topics` as a subprocess twice: once with an empty embedding cache (what a
first run costs) and once more (embeddings cached). Prints the seconds of each run, peak
memory, and every topic with its size, split breakdown, keywords and one example.

    python benchmarks/bench_topics.py                           # uncoded segments, workforce split
    python benchmarks/bench_topics.py --only "" --all-segments  # every respondent segment
    python benchmarks/bench_topics.py --embedding static        # the fast English embedding
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts.jsonl"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "qualcode", *cmd], cwd=REPO, env=env, capture_output=True,
                         text=True)
    dt = time.perf_counter() - t0
    if out.returncode:
        sys.exit(f"qualcode {' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--only", default="split=workforce", help="ATTR=VALUE, or '' for every interview")
    ap.add_argument("--all-segments", action="store_true")
    ap.add_argument("--embedding", default="auto")
    ap.add_argument("--seed", default="42")
    ap.add_argument("--keep", type=Path, help="project folder to keep (default: a temporary one)")
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "QUALCODE_CACHE_DIR": str(Path(tmp) / "cache")}  # cold: nothing cached
        db, out = str(work / "q.db"), str(work / "out")
        tc, _, _ = run(["code", str(args.corpus), "--db", db, "--out", out, "--no-progress"], env)
        cmd = ["topics", "--db", db, "--out", out, "--embedding", args.embedding, "--seed", args.seed,
               "--no-progress"]
        if args.only:
            cmd += ["--only", args.only]
        if args.all_segments:
            cmd.append("--all-segments")
        t1, m1, out1 = run(cmd, env)
        first = json.loads((work / "out" / "topics.json").read_text(encoding="utf-8"))
        t2, _, _ = run(cmd, env)
        res = json.loads((work / "out" / "topics.json").read_text(encoding="utf-8"))
        same = [t["segment_ids"] for t in first["topics"]] == [t["segment_ids"] for t in res["topics"]]
    print(f"corpus: {args.corpus.name}; coding pass {tc:.0f} s; selection: "
          f"{'all segments' if args.all_segments else 'segments no code caught'}"
          f"{', ' + args.only if args.only else ''}")
    print(out1.splitlines()[0])
    print(f"first run (empty embedding cache): {t1:6.1f} s, peak {m1:5.0f} MB")
    print(f"second run (embeddings cached):    {t2:6.1f} s; same topics: {same}")
    print(f"{len(res['topics'])} topics over {res['n_docs']} segments, {res['n_outliers']} in none, "
          f"min topic size {res['min_topic_size']}, method {res['method']}, embedding {res['embedding']}")
    for t in res["topics"]:
        kw = ", ".join(k for k, _ in t["keywords"][:8])
        groups = " ".join(f"{k}:{v}" for k, v in t["groups"].items())
        ex = t["examples"][0]["text"][:150] if t["examples"] else ""
        print(f"  {t['code_id']} {t['size']:>5} seg {t['interviews']:>4} people  [{groups}]  {kw}\n      e.g. {ex}")


if __name__ == "__main__":
    main()
