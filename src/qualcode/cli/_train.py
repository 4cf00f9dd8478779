"""``qualcode train``: teach the learning coder from reviewed decisions and/or gold files."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .._i18n import tr
from ..codebook import load_codebook
from ..store import Store
from ._common import ProgressBars, add_command, add_db_option, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "train", help="learn from reviewed decisions (and gold files) to improve the proposals",
        description="Fit the learning coder on the segments humans reviewed in this project (their "
                    "decisions, imported from review workbooks) and/or on gold files. Each run is a "
                    "new round over all decisions so far; the model is saved beside the database "
                    "(qualcode.model.joblib) with its provenance (qualcode.model.joblib.json), and "
                    "`qualcode code` (ensemble coder) uses it from then on.",
        examples="  qualcode train                            # after `qualcode review import`\n"
                 "  qualcode train --gold coded_by_hand.jsonl  # plus reference codes\n"
                 "  qualcode train --no-store --gold gold.jsonl --model my.model.joblib")
    add_db_option(p)
    p.add_argument("--gold", action="append", default=[], metavar="FILE",
                   help="a gold JSON Lines file to learn from too (repeatable)")
    p.add_argument("--no-store", action="store_true", help="ignore the project's decisions (gold files only)")
    p.add_argument("--codebook", metavar="FILE",
                   help="codebook YAML (default: the project's latest, else codebook/ai_at_work.yaml)")
    p.add_argument("--model", metavar="FILE", help="where to save the model (default: beside the database)")
    p.add_argument("--language", choices=["fr", "en"], help="language of gold units (default: detected)")
    p.add_argument("--semantic-model", default="auto", metavar="NAME",
                   help="embedder for the semantic cues: auto, static, minilm, use, or a model folder")
    progress_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..coders.ensemble import model_path_for
    from ..coders.learning import train

    model = Path(args.model) if args.model else model_path_for(args.db)
    store = None if args.no_store or not Path(args.db).exists() else Store(args.db, create=False)
    bars = ProgressBars(args.progress)
    try:
        cb = load_codebook(args.codebook) if args.codebook or store is None else store.codebook()
        coder, saved = train(cb, store=store, gold=args.gold, model_path=model, language=args.language,
                             semantic_model=args.semantic_model, progress=bars)
    finally:
        bars.close()
        if store is not None:
            store.close()
    prov = coder.provenance
    assert prov is not None
    lang = args.language or cb.language
    print(tr("cli.train.round", lang, n=prov.round, segments=prov.n_segments,
             sources=tr("punct.semicolon", lang).join(_source(s, lang) for s in prov.sources)))
    for cid, text in coder.learned_summary(cb, lang).items():
        print(f"  {cid:<22} {text}")
    print(tr("cli.train.model", lang, path=saved))
    return 0


_SOURCES = [(re.compile(r"gold:(?P<path>.*) \((?P<n>\d+) units\)"), "cli.train.source_gold"),
            (re.compile(r"store:(?P<path>.*) \((?P<n>\d+) reviewed segments\)"), "cli.train.source_store")]


def _source(text: str, lang: str) -> str:
    """A training source as the provenance stores it ("gold:FILE (N units)"), in ``lang``."""
    for pattern, key in _SOURCES:
        m = pattern.fullmatch(text)
        if m:
            return tr(key, lang, **m.groupdict())
    return text
