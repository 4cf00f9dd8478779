"""How often the machine is right when it proposes a code on interviews nobody tuned it on.

The dev gold says how the coders agree with reference codes on the 20 interviews the lexicon
was written next to. This measures the other side on the corpus's *other* interviews, where
no reference codes exist: a sample of respondents' answers that the coder codes is drawn at
random, a person judges each proposal against the codebook (right / wrong), and the
judgements are kept by unit id and code (never the text) in ``benchmarks/judged/``.

    python benchmarks/unseen_precision.py                      # precision of the judged samples, now
    python benchmarks/unseen_precision.py --draw 24 --n 45     # a new sample to judge (prints it)

Judged samples: 21 and 22 were judged before the lexicon fixes they led to (so the "now"
figure is in-sample for them); sample 23 was drawn and judged after, and is the held-out
figure. Sample 24 was drawn for SELF_TRAINING and DATA_SECURITY only (15 answers each, the
two weakest codes), judged before two SELF_TRAINING fixes it led to. Sample 25 was drawn after
lexicon 1.5 and judged before the four fixes it led to, so its "as judged" line is the held-out
figure for lexicon 1.5. Answers are the ``User:`` turns of the transcripts, 8-120 words, one per
interview per sample; an answer's id is ``<transcript>#<turn index>``. One judge (the developer), so
these are estimates with wide intervals, not a second coder's agreement.
Data: Anthropic Interviewer transcripts (CC-BY), ``../shared/data/anthropic-interviewer``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
JUDGED = REPO / "benchmarks" / "judged" / "lexicon_precision.json"


def answers(corpus: Path, dev: Path) -> list[tuple[str, str, str]]:
    """(id, question, answer) of every respondent answer of the non-dev workforce interviews."""
    skip = {json.loads(line)["transcript_id"] for line in dev.open(encoding="utf-8")}
    out = []
    for line in corpus.open(encoding="utf-8"):
        t = json.loads(line)
        if t["transcript_id"] in skip or not t["transcript_id"].startswith("work_"):
            continue
        turns = re.split(r"\n\n(?=(?:User|Assistant|AI): )", t["text"])
        for k, turn in enumerate(turns):
            if turn.startswith("User: "):
                text = turn[6:].strip()
                question = turns[k - 1].split(": ", 1)[-1][-200:] if k else ""
                if 8 <= len(text.split()) <= 120:
                    out.append((f"{t['transcript_id']}#{k}", question, text))
    return out


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    z, p = 1.96, k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (mid - half, mid + half)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--coder", default="lexicon")
    ap.add_argument("--draw", type=int, help="print a new sample drawn with this seed, to judge")
    ap.add_argument("--n", type=int, default=45)
    args = ap.parse_args(argv)

    from qualcode.codebook import load_codebook
    from qualcode.coders import get_coder
    from qualcode.model import Segment

    cb = load_codebook(REPO / "codebook" / "ai_at_work.yaml")
    coder = get_coder(args.coder)
    data = Path(args.data)
    pool = answers(data / "anthropic-interviewer" / "transcripts.jsonl", data / "gold-dev" / "units.jsonl")
    by_id = {a[0]: a for a in pool}

    def code(ids: list[str]) -> dict[str, set[str]]:
        segs = [Segment(id=i, source_id=i.split("#")[0], turn_index=0, start=0, end=len(by_id[i][2]),
                        text=by_id[i][2], question=by_id[i][1], language="en") for i in ids]
        return {s.id: {p.code_id for p in props if p.applied} for s, props in zip(segs, coder.code(segs, cb))}

    if args.draw is not None:
        rnd = random.Random(args.draw)
        order = pool[:]
        rnd.shuffle(order)
        first = order[:400]
        coded = code([a[0] for a in first])
        seen: set[str] = set()
        n = 0
        for uid, question, text in first:
            if coded[uid] and uid.split("#")[0] not in seen and n < args.n:
                seen.add(uid.split("#")[0])
                print(f"[{n}] {uid}  Q: …{question[-120:]!r}\n    A: {text}\n    -> {', '.join(sorted(coded[uid]))}")
                n += 1
        return 0

    judged = json.loads(JUDGED.read_text(encoding="utf-8"))
    now = code(sorted({j["unit"] for j in judged}))
    rows: dict[tuple[object, str], list[int]] = defaultdict(lambda: [0, 0])  # (sample, code) -> right, proposed
    then: dict[object, list[int]] = defaultdict(lambda: [0, 0])  # sample -> right, judged
    sample_of: dict[str, object] = {}
    judged_codes: dict[str, set[str]] = defaultdict(set)  # unit -> codes judged on it
    codes_of: dict[object, set[str]] = defaultdict(set)  # a sample drawn for some codes (24) judged only those
    for j in judged:
        sample_of[j["unit"]] = j["sample"]
        judged_codes[j["unit"]].add(j["code"])
        codes_of[j["sample"]].add(j["code"])
        for key in (j["sample"], "all"):
            then[key][0] += int(j["right"])
            then[key][1] += 1
        if j["code"] in now[j["unit"]]:
            for key in ((j["sample"], j["code"]), (j["sample"], "all"), ("all", j["code"]), ("all", "all")):
                rows[key][0] += int(j["right"])
                rows[key][1] += 1
    print("precision of the coder's proposals on answers of non-dev interviews, judged by hand")
    print(f"{'sample':>7} {'code':<16} {'right/proposed':>15} {'precision':>10}  95 % interval")
    for (sample, cid), (k, n) in sorted(rows.items(), key=lambda r: (str(r[0][0]), r[0][1] != "all", r[0][1])):
        lo, hi = wilson(k, n)
        print(f"{sample!s:>7} {cid:<16} {f'{k}/{n}':>15} {k / n:>10.2f}  [{lo:.2f}, {hi:.2f}]")
    for sample, (k, n) in sorted(then.items(), key=lambda r: str(r[0])):
        print(f"as judged (sample {sample}): {k}/{n} right = {k / n:.2f}")
    new = sum(len((now[u] & codes_of[sample_of[u]]) - judged_codes[u]) for u in now)
    print(f"proposals on these answers that nobody judged (new since): {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
