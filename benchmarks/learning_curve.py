"""The README's learning curve: English and French dev answers on one picture.

Run from the repository root (about 10 minutes on 2 cores):
    python benchmarks/learning_curve.py                      # writes docs/images/learning-curve.png
    python benchmarks/learning_curve.py --keep 3 --out docs/images/learning-curve-thin.png

Each point is the macro kappa on held-out interviews (5 parts, cross-validation by interview)
after N reviewed answers, in random order and in the active order of `review export --order
uncertain`; the same as `qualcode eval GOLD --curve`, once per language.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "gold-dev"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--coder", default="ensemble")
    ap.add_argument("--out", default=str(REPO / "docs" / "images" / "learning-curve.png"))
    ap.add_argument("--keep", type=int, default=None,
                    help="a thin lexicon: keep this many entries per code and language (see no_lexicon.py)")
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.evaluate import learning_curve, load_gold, plot_curve

    cb = load_codebook(REPO / "codebook" / "ai_at_work.yaml")
    title = f"{args.coder}, 233 dev answers (20 interviews), 5 folds by interview"
    if args.keep is not None:
        import sys

        sys.path.insert(0, str(Path(__file__).parent))
        from no_lexicon import strip_lexicon

        cb = strip_lexicon(cb, args.keep)
        title = f"{args.coder}, lexicon cut to {args.keep} entries per code, 233 dev answers, 5 folds by interview"
    curves = []
    for lang, name in (("EN", "units.jsonl"), ("FR", "units_fr.jsonl")):
        units = load_gold(Path(args.gold) / name)
        curve = learning_curve(lambda: get_coder(args.coder), units, cb, gold_name=name)
        print(f"{lang}: {name}, {curve.units} units\n{curve.table()}\n", flush=True)
        curves.append((lang, curve))
    print(f"plot: {plot_curve(curves, args.out, title=title)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
