"""Time the coding pass on the 1,210 real interviews (../shared/data), first and second run.

Prints seconds, words per second and peak memory of `qualcode code` run as a subprocess on a
fresh project, then again over the unchanged files, beside a bare spaCy pass (tokenizer +
lookup lemmas, the floor any lemma-aware coder pays) over the same text.

    python benchmarks/bench_coding.py [--corpus PATH] [--coder ensemble|lexicon] [--keep DIR]
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


def run_pass(corpus: Path, work: Path, coder: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, summary line) of one `qualcode code` subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = {**os.environ, "QUALCODE_CACHE_DIR": str(work / "cache")}  # cold embedding cache
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "qualcode", "code", str(corpus), "--db", str(work / "q.db"),
                          "--out", str(work / "out"), "--coder", coder, "--no-progress"],
                         cwd=REPO, capture_output=True, text=True, check=True, env=env)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024, out.stdout.strip().splitlines()[0]


def bare_spacy(texts: list[str]) -> float:
    import spacy
    from spacy.lookups import load_lookups

    nlp = spacy.blank("en")
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    t0 = time.perf_counter()
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        [table.get(t.lower_, t.lower_) for t in doc]
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--coder", default="ensemble")
    ap.add_argument("--keep", type=Path, help="project folder to keep (default: a temporary one)")
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    texts = [json.loads(line)["text"] for line in args.corpus.open(encoding="utf-8")]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t1, m1, line1 = run_pass(args.corpus, work, args.coder)
        t2, _, line2 = run_pass(args.corpus, work, args.coder)
    tb = bare_spacy(texts)
    print(f"corpus: {len(texts)} interviews, {words:,} words ({args.corpus.name})")
    print(f"coder: {args.coder}")
    print(f"first run : {t1:6.1f} s  {words / t1:9,.0f} words/s  peak {m1:6.0f} MB   [{line1}]")
    print(f"second run: {t2:6.1f} s  {words / t2:9,.0f} words/s  (unchanged files)   [{line2}]")
    print(f"bare spaCy tokenizer + lookup lemmas over the same text: {tb:.1f} s ({words / tb:,.0f} words/s)")


if __name__ == "__main__":
    main()
