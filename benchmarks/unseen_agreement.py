"""Agreement with a person's coding on random answers of interviews nobody tuned the codebook on.

``unseen_precision.py`` judges the answers the coder codes, so it says how often a proposal is
right, not what the coder misses. This one draws answers at random (one per interview, from
non-dev interviews that no precision sample used), a person codes every one against the
codebook *before* seeing the coder's proposals, and the codes are kept by unit id in
``benchmarks/judged/blind_codes.json``. The script scores the current coder against them:
per-code and macro Cohen's kappa, with a 95 % interval from a bootstrap over interviews.

    python benchmarks/unseen_agreement.py                       # the lexicon coder, English
    python benchmarks/unseen_agreement.py --coder ensemble
    python benchmarks/unseen_agreement.py --sample 27           # one sample
    python benchmarks/unseen_agreement.py --sample 27 --fr translations.txt  # the same answers in French
    python benchmarks/unseen_agreement.py --coder ensemble --keep 0 --train ../shared/data/gold-dev/units.jsonl
        # a codebook without lexicon, trained on the dev answers, scored on new interviews

``--fr`` takes a translation of the answers, one per line in the order of the judged file. The
developer's hand translation is not in the repository: it is a copy of the interviews. It
has no questions, so with ``--fr`` the ``--train`` answers are read without theirs too.
One judge (the developer), 60 answers per sample: rare codes have one or two positives, so
per-code kappas swing and the macro interval is wide. Sample 26 was coded, and scored, before
the French fixes it led to (its first figures are held out); sample 27 was coded after them
and led to a few more; sample 28 was drawn and coded after them and led to a round of recall
cues; sample 29 was drawn and coded after that round and is the held-out figure for the
lexicon as it stands (see the README).
Data: Anthropic Interviewer transcripts (CC-BY), ``../shared/data/anthropic-interviewer``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from unseen_precision import DATA, REPO, answers

JUDGED = REPO / "benchmarks" / "judged" / "blind_codes.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--coder", default="lexicon")
    ap.add_argument("--sample", type=int, help="only this sample (26 to 29; 29 is held out)")
    ap.add_argument("--fr", help="a French translation of the judged answers, one per line")
    ap.add_argument("--show", action="store_true", help="list the answers where coder and judge differ")
    ap.add_argument("--train", help="teach the coder from this gold file first (the dev answers: "
                    "none of their interviews is judged here)")
    ap.add_argument("--keep", type=int, help="strip the codebook's lexicon to this many entries per code "
                    "and language (0: none), as benchmarks/no_lexicon.py")
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.evaluate import bootstrap_macro, gold_segments, load_gold, macro, score
    from qualcode.model import Segment

    cb = load_codebook(REPO / "codebook" / "ai_at_work.yaml")
    if args.keep is not None:
        from no_lexicon import strip_lexicon

        cb = strip_lexicon(cb, args.keep)
    data = Path(args.data)
    pool = answers(data / "anthropic-interviewer" / "transcripts.jsonl", data / "gold-dev" / "units.jsonl")
    by_id = {a[0]: a for a in pool}
    judged = [j for j in json.loads(JUDGED.read_text(encoding="utf-8"))
              if args.sample is None or j["sample"] == args.sample]
    ids = [j["unit"] for j in judged]
    texts, lang = [by_id[u][2] for u in ids], "en"
    if args.fr:
        texts, lang = Path(args.fr).read_text(encoding="utf-8").strip().split("\n"), "fr"
        if len(texts) != len(ids):
            raise SystemExit(f"{args.fr}: {len(texts)} lines, expected {len(ids)} (one per judged answer)")
    # The interviewer's question goes with an English answer; a translation has none to go with.
    questions = [by_id[u][1] if lang == "en" else "" for u in ids]
    segs = [Segment(id=u, source_id=u.split("#")[0], turn_index=0, start=0, end=len(t), text=t, question=q,
                    language=lang) for u, t, q in zip(ids, texts, questions)]
    coder = get_coder(args.coder)
    if args.train:
        train = load_gold(args.train)
        if args.fr:  # the translations have no questions: a model that learned to lean on them would find none
            train = [dataclasses.replace(u, question="") for u in train]
        assert not {u.transcript_id for u in train} & {s.source_id for s in segs}, "train shares an interview"
        coder.fit(gold_segments(train, lang), [set(u.codes) for u in train], cb)  # type: ignore[attr-defined]
    pred = [{p.code_id for p in props if p.applied} for props in coder.code(segs, cb)]
    gold = [set(j["codes"]) for j in judged]
    scores = score(gold, pred, cb.ids)
    m = macro(scores)
    ci = bootstrap_macro(gold, pred, [u.split("#")[0] for u in ids], cb.ids)
    print(f"{args.coder} ({lang}) against one person's blind coding of {len(ids)} answers of non-dev interviews"
          + (f" (sample {args.sample})" if args.sample is not None else "")
          + (f", codebook lexicon kept: {args.keep} entries per code" if args.keep is not None else "")
          + (f", trained on {Path(args.train).name}" if args.train else ", zero-shot"))
    print(f"{'code':<16} {'judge':>6} {'coder':>6} {'both':>5} {'kappa':>6}")
    for s in scores:
        print(f"{s.code_id:<16} {s.support:>6} {s.predicted:>6} {s.tp:>5} {s.kappa:>6.2f}")
    print(f"macro kappa {m['kappa']:.2f} [{ci.macro[0]:.2f}, {ci.macro[1]:.2f}]; "
          f"precision {m['precision']:.2f}, recall {m['recall']:.2f}")
    if args.show:
        for u, g, p in zip(ids, gold, pred):
            if g != p:
                print(f"  {u}: judge {sorted(g)}, coder {sorted(p)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
