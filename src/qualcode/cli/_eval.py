"""``qualcode eval``: measure a coder against reference codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..codebook import load_codebook
from ..coders import DEFAULT_CODER, available_coders, get_coder
from ..errors import ConfigError
from ..evaluate import evaluate, load_gold, split_by_interview
from ._common import ProgressBars, add_command, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "eval", help="score a coder against reference codes (precision, recall, F1, kappa)",
        description="Code the units of a gold file (JSON Lines: unit_id, text, optional question, "
                    "codes) with the codebook and report, per code and macro-averaged, precision, "
                    "recall, F1 and Cohen's kappa against the gold codes, and the time taken. "
                    "Learning coders can first be trained on another gold file (--train) or on half "
                    "of the interviews of the same file (--train-half), never on the units scored.",
        examples="  qualcode eval gold.jsonl                          # the default coder, zero-shot\n"
                 "  qualcode eval gold.jsonl --coder lexicon --json    # machine-readable figures\n"
                 "  qualcode eval test.jsonl --train train.jsonl --coder learning\n"
                 "  qualcode eval gold.jsonl --train-half              # train on half the interviews,\n"
                 "                                                     # score the other half\n"
                 "  qualcode eval gold.jsonl --coder semantic --set model=/path/to/sentence-model")
    p.add_argument("gold", metavar="GOLD.jsonl", help="reference units with their codes")
    p.add_argument("--train", metavar="TRAIN.jsonl", help="teach learning coders from this gold file first")
    p.add_argument("--train-half", action="store_true",
                   help="split GOLD by interview: train on one half, evaluate on the other")
    p.add_argument("--seed", type=int, default=0, help="which deal of interviews --train-half uses (default: 0)")
    p.add_argument("--coder", default=DEFAULT_CODER, choices=available_coders(),
                   help="the coder to evaluate (default: %(default)s)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="options",
                   help="a coder option, e.g. --set model=all-MiniLM-L6-v2 (repeatable)")
    p.add_argument("--codebook", metavar="FILE", help="codebook YAML (default: codebook/ai_at_work.yaml)")
    p.add_argument("--language", choices=["fr", "en"], help="force the language (default: detected per unit)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--errors", type=int, default=0, metavar="N",
                   help="also list N units where coder and gold disagree, with the coder's evidence")
    progress_option(p)
    p.set_defaults(handler=run)


def parse_options(items: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; values that read as JSON (numbers, true, lists) are parsed."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE, e.g. --set threshold=0.4")
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def run(args: argparse.Namespace) -> int:
    if args.train and args.train_half:
        raise ConfigError("--train and --train-half exclude each other: give a training file, "
                          "or let GOLD be split by interview")
    cb = load_codebook(args.codebook)
    units = load_gold(args.gold)
    train, train_name = None, ""
    if args.train:
        train, train_name = load_gold(args.train), str(args.train)
    elif args.train_half:
        train, units = split_by_interview(units, args.seed)
        train_name = f"{args.gold} (half of the interviews, seed {args.seed})"
    opts = parse_options(args.options)
    if args.coder == "ensemble":
        opts.setdefault("learned", None)  # a model trained on who knows what must not score itself
    coder = get_coder(args.coder, **opts)
    bars = ProgressBars(args.progress)
    try:
        rep = evaluate(coder, units, cb, train=train, language=args.language, progress=bars,
                       gold_name=str(args.gold), train_name=train_name)
    finally:
        bars.close()
    if args.json:
        d = rep.to_dict()
        d["errors"] = d["errors"][:args.errors]
        print(json.dumps(d, indent=2, ensure_ascii=False))
        return 0
    trained = f", trained on {rep.train_units} units ({rep.train_seconds:.1f} s)" if rep.train_units else ""
    print(f"{rep.coder} ({rep.coder_version}) on {rep.units} units of {Path(args.gold).name}{trained}")
    print(rep.table())
    print(f"time: {rep.seconds:.2f} s ({rep.units_per_second:.1f} units/s)")
    for e in rep.errors[:args.errors]:
        print(f"  {e['unit_id']}: missed {', '.join(e['missed']) or '-'}; extra {', '.join(e['extra']) or '-'}"
              + "".join(f"\n      {c}: {'; '.join(ev)}" for c, ev in e["evidence"].items() if ev))
    return 0
