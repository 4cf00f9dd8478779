"""A codebook nobody tuned, simulated: the default codebook without its lexicon.

Codebooks from other fields come with definitions, include/exclude rules and examples, and
often no lexicon. Stripping the default codebook's lexicon and scoring the dev answers shows
what the definitions, rules and examples carry alone, zero-shot and once trained (cross-
validation by interview, as `qualcode eval --cv`, and trained on half of the interviews,
scored on the other half, for three deals of the interviews). Run from the repository root
(about 4 minutes on 2 cores):

    python benchmarks/no_lexicon.py
    python benchmarks/no_lexicon.py --keep 3          # a thin lexicon: 3 entries per code
    python benchmarks/no_lexicon.py --coders ensemble,semantic --json

The figures are still on the answers the codebook's texts were written next to, so they are
an upper bound for a foreign codebook's zero-shot, not a forecast.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "gold-dev"


def strip_lexicon(codebook, keep: int = 0):  # -> Codebook
    """The same codebook with only the first ``keep`` lexicon entries of each code in each
    language (none by default), under its own version."""
    codes = [dataclasses.replace(c, lexicon={lg: es[:keep] for lg, es in c.lexicon.items() if keep})
             for c in codebook.codes]
    return dataclasses.replace(codebook, codes=codes, version=f"{codebook.version}-lexicon-{keep}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--coders", default="ensemble,semantic")
    ap.add_argument("--keep", type=int, default=0,
                    help="keep this many lexicon entries per code and language (a thin lexicon)")
    ap.add_argument("--halves", type=int, default=3, help="deals of the interviews into two halves")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.evaluate import cross_validate, evaluate, load_gold, split_by_interview

    cb = strip_lexicon(load_codebook(REPO / "codebook" / "ai_at_work.yaml"), args.keep)
    rows = []
    for name in args.coders.split(","):
        for lang, fname in (("EN", "units.jsonl"), ("FR", "units_fr.jsonl")):
            units = load_gold(Path(args.gold) / fname)
            zs = evaluate(get_coder(name), units, cb, gold_name=fname)
            rows.append({"coder": name, "lang": lang, "mode": "zero-shot", "kappa": zs.macro["kappa"],
                         "ci": list(zs.macro_ci)})
            if name in ("ensemble", "learning"):
                cv = cross_validate(lambda n=name: get_coder(n), units, cb, gold_name=fname)
                rows.append({"coder": name, "lang": lang, "mode": "trained (5-fold CV by interview)",
                             "kappa": cv.macro["kappa"], "ci": list(cv.macro_ci),
                             "learned": cv.learned})
                for seed in range(args.halves):
                    train, test = split_by_interview(units, seed)
                    z = evaluate(get_coder(name), test, cb).macro["kappa"]
                    t = evaluate(get_coder(name), test, cb, train=train).macro["kappa"]
                    rows.append({"coder": name, "lang": lang, "mode": f"half {seed}: zero-shot -> trained on the other half",
                                 "kappa": t, "zero_shot": z})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| coder | language | mode | macro kappa [95 % CI] |\n|---|---|---|---|")
    for r in rows:
        fig = (f"{r['zero_shot']:.2f} -> {r['kappa']:.2f}" if "zero_shot" in r
               else f"{r['kappa']:.2f} [{r['ci'][0]:.2f}, {r['ci'][1]:.2f}]")
        print(f"| {r['coder']} | {r['lang']} | {r['mode']} | {fig} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
