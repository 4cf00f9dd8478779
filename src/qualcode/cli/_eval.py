"""``qualcode eval``: measure a coder against reference codes."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._i18n import Joined, Message, evidence_text, number, tr
from ..codebook import load_codebook
from ..coders import DEFAULT_CODER, available_coders, get_coder
from ..errors import ConfigError
from ..evaluate import (
    cross_validate,
    evaluate,
    learning_curve,
    load_gold,
    plot_curve,
    split_by_interview,
)
from ._common import ProgressBars, add_command, progress_option

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..codebook import Codebook
    from ..coders import Coder
    from ..coders.gold import GoldUnit


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "eval", help="score a coder against reference codes (precision, recall, F1, kappa)",
        description="Code the units of a gold file (JSON Lines: unit_id, text, optional question, "
                    "transcript_id, codes) with the codebook and report, per code and macro-averaged, "
                    "precision, recall, F1 and Cohen's kappa against the gold codes, with a 95 % "
                    "interval (bootstrap over interviews), and the time taken. Learning coders are "
                    "trained by cross-validation by interview (--cv: each part of the interviews is "
                    "scored by a model trained on the others), on another gold file (--train), or on "
                    "half of the interviews (--train-half); never on an interview they are scored on. "
                    "--curve shows what reviewing buys: kappa after 0, 25, 50, 100, 200 reviewed "
                    "answers, in random order and in the active order of `review export --order "
                    "uncertain`. Kappa is n/a for a code neither side applies; macro figures average "
                    "the codes where it is defined.",
        examples="  qualcode eval gold.jsonl                          # the default coder, zero-shot\n"
                 "  qualcode eval gold.jsonl --cv                     # trained, 5-fold by interview\n"
                 "  qualcode eval gold.jsonl --curve --plot curve.png # the learning curve\n"
                 "  qualcode eval gold.jsonl --coder lexicon --json    # machine-readable figures\n"
                 "  qualcode eval test.jsonl --train train.jsonl --coder learning\n"
                 "  qualcode eval gold.jsonl --coder semantic --set model=/path/to/sentence-model")
    p.add_argument("gold", metavar="GOLD.jsonl", help="reference units with their codes")
    p.add_argument("--train", metavar="TRAIN.jsonl", help="teach learning coders from this gold file first")
    p.add_argument("--train-half", action="store_true",
                   help="split GOLD by interview: train on one half, evaluate on the other")
    p.add_argument("--cv", action="store_true",
                   help="train and score by cross-validation by interview (see --folds)")
    p.add_argument("--folds", type=int, default=5, metavar="K",
                   help="parts of the interviews for --cv and --curve (default: %(default)s)")
    p.add_argument("--curve", action="store_true",
                   help="print the learning curve: kappa after N reviewed answers, random vs active order")
    p.add_argument("--curve-sizes", default="0,25,50,100,200", metavar="N,N,...",
                   help="reviewed answers at each point of the curve (default: %(default)s)")
    p.add_argument("--plot", metavar="PNG", help="with --curve: draw it into this PNG file")
    p.add_argument("--seed", type=int, default=0,
                   help="which deal of interviews --cv, --curve and --train-half use (default: 0)")
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
            raise ConfigError(Message("cli.fail.set", item=item))
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def run(args: argparse.Namespace) -> int:
    modes = [m for m, on in (("--train", bool(args.train)), ("--train-half", args.train_half),
                             ("--cv", args.cv), ("--curve", args.curve)) if on]
    if len(modes) > 1:
        raise ConfigError(Message("cli.fail.modes", modes=Joined(modes, sep_key="cli.fail.and")))
    if args.plot and not args.curve:
        raise ConfigError(Message("cli.fail.plot"))
    cb = load_codebook(args.codebook)
    units = load_gold(args.gold)
    opts = parse_options(args.options)

    def make() -> Coder:
        return get_coder(args.coder, **opts)

    bars = ProgressBars(args.progress)
    try:
        if args.curve:
            return _curve(args, make, units, cb, bars)
        train, train_name = None, ""
        if args.train:
            train, train_name = load_gold(args.train), str(args.train)
        elif args.train_half:
            train, units = split_by_interview(units, args.seed)
            train_name = f"{args.gold} (half of the interviews, seed {args.seed})"
        if args.cv:
            rep = cross_validate(make, units, cb, folds=args.folds, seed=args.seed, language=args.language,
                                 progress=bars, gold_name=str(args.gold))
        else:
            rep = evaluate(make(), units, cb, train=train, language=args.language, progress=bars,
                           gold_name=str(args.gold), train_name=train_name)
    finally:
        bars.close()
    if args.json:
        d = rep.to_dict()
        d["errors"] = d["errors"][:args.errors]
        print(json.dumps(d, indent=2, ensure_ascii=False, default=_nan_none))
        return 0
    lang = _language(args, cb)
    if rep.folds:
        trained = tr("cli.eval.cv", lang, folds=rep.folds, seconds=number(rep.train_seconds, lang, 1))
    elif rep.train_units:
        trained = tr("cli.eval.trained", lang, n=rep.train_units, seconds=number(rep.train_seconds, lang, 1))
    else:
        trained = tr("cli.eval.zero_shot", lang)
    print(tr("cli.eval.head", lang, coder=rep.coder, version=rep.coder_version, units=rep.units,
             gold=Path(args.gold).name, interviews=rep.interviews, trained=trained))
    print(rep.table(lang))
    print(tr("cli.eval.intervals", lang))
    if rep.learned:
        print(tr("cli.eval.learned", lang))
        for cid, text in rep.learned.items():
            print(f"  {cid:<22} {_learned_text(text, lang)}")
    print(tr("cli.eval.time", lang, seconds=number(rep.seconds, lang, 2), rate=number(rep.units_per_second, lang, 1)))
    for e in rep.errors[:args.errors]:
        print(tr("cli.eval.error", lang, unit=e["unit_id"], missed=", ".join(e["missed"]) or "-",
                 extra=", ".join(e["extra"]) or "-")
              + "".join(f"\n      {c}: {_evidence('; '.join(ev), lang)}" for c, ev in e["evidence"].items() if ev))
    return 0


def _language(args: argparse.Namespace, cb: Codebook) -> str:
    """The language to print in: --language, else the codebook's."""
    return args.language or cb.language


def _learned_text(text: str, lang: str) -> str:
    """What a coder learned ("12-15 coded per fold; learned model 3/5, codebook rule 2/5", as
    :func:`qualcode.evaluate._describe` words it) in ``lang``; English is printed as it comes."""
    if lang == "en":
        return text
    from ..evaluate import RULE_WORDS

    for kind, words in sorted(RULE_WORDS.items(), key=lambda kw: -len(kw[1])):  # longest first
        text = text.replace(f"{words} ", f"{tr(f'cli.eval.rule.{kind}', lang)} ")
    return (text.replace(" coded per fold; ", tr("cli.eval.coded_per_fold", lang))
            .replace(" coded; ", tr("cli.eval.coded", lang)))


def _evidence(text: str, lang: str) -> str:
    """The coder's stored evidence for a French reader; English evidence is printed as stored."""
    return evidence_text(text, lang) if lang != "en" else text


def _nan_none(x: Any) -> Any:
    return None


def _curve(args: argparse.Namespace, make: Callable[[], Coder], units: list[GoldUnit], cb: Codebook,
           bars: ProgressBars) -> int:
    try:
        sizes = [int(x) for x in args.curve_sizes.split(",") if x.strip()]
    except ValueError:
        raise ConfigError(Message("cli.fail.curve_sizes", sizes=args.curve_sizes)) from None
    if not hasattr(make(), "fit"):
        raise ConfigError(Message("cli.fail.flat_curve", coder=args.coder))
    curve = learning_curve(make, units, cb, sizes=sizes, folds=args.folds, seed=args.seed,
                           language=args.language, progress=bars, gold_name=str(args.gold))
    if args.json:
        print(json.dumps(asdict(curve), indent=2, ensure_ascii=False, default=_nan_none))
    else:
        print(tr("cli.eval.curve", _language(args, cb), coder=curve.coder, units=curve.units,
                 gold=Path(args.gold).name, folds=curve.folds))
        print(curve.table(_language(args, cb)))
    if args.plot:
        print(tr("cli.eval.plot", _language(args, cb), path=plot_curve(curve, args.plot)))
    return 0
