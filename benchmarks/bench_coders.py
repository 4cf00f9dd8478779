"""Coding speed of each coder on the real corpus (1,210 interviews, ~14k answers).

Run from the repository root:
    python benchmarks/bench_coders.py                       # lexicon, semantic, ensemble on all
    python benchmarks/bench_coders.py --coders semantic:model=minilm --limit 100
    python benchmarks/bench_coders.py --json > bench.json

Each coder codes every answer (``turn`` unit) cold: embeddings are not read from a cache
(a fresh cache folder is used), so the figure is what a first ``qualcode code`` costs. Slow
coders can be timed on the first N interviews (``--limit``) and the full time extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts.jsonl"
DEFAULT = ["lexicon", "semantic", "ensemble"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--coders", nargs="*", default=DEFAULT,
                    help="NAME or NAME:key=value,key=value (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N interviews (0: all)")
    ap.add_argument("--codebook", default=str(REPO / "codebook" / "ai_at_work.yaml"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.ingest import ingest
    from qualcode.segment import segment_all

    t0 = time.perf_counter()
    lines = Path(args.corpus).read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines = lines[:args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "corpus.jsonl"
        sub.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = ingest([sub])
    segments = segment_all(report.sources, "turn")
    prep = time.perf_counter() - t0
    cb = load_codebook(args.codebook)
    results = {"interviews": len(report.sources), "segments": len(segments), "ingest_segment_s": round(prep, 1),
               "cpus": os.cpu_count(), "coders": []}
    for spec in args.coders:
        name, _, rest = spec.partition(":")
        opts = {}
        for kv in filter(None, rest.split(",")):
            k, _, v = kv.partition("=")
            opts[k] = None if v == "null" else v
        if name == "ensemble":
            opts.setdefault("learned", None)
        os.environ["QUALCODE_CACHE_DIR"] = tempfile.mkdtemp()  # cold: no vector from an earlier coder
        coder = get_coder(name, **opts)
        t = time.perf_counter()
        props = coder.code(segments, cb)
        dt = time.perf_counter() - t
        applied = sum(1 for ps in props for p in ps if p.applied)
        row = {"coder": spec, "version": coder.version, "seconds": round(dt, 1),
               "segments_per_s": round(len(segments) / dt, 1), "codings": applied}
        results["coders"].append(row)
        if not args.json:
            print(f"{spec:<28} {dt:8.1f} s  {row['segments_per_s']:8.1f} segments/s  {applied} codings",
                  file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{results['interviews']} interviews, {results['segments']} segments "
              f"(ingest + segmentation {prep:.1f} s, {results['cpus']} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
