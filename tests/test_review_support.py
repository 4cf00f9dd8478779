"""Helpers for the review and agreement tests: small projects built straight into a Store.

No NLP here: sources, segments and machine proposals are made by hand (seeded), so that a
project of thousands of segments is built in a second and every figure is known.
"""

from __future__ import annotations

import random
from pathlib import Path

from qualcode import Proposal, Source, Store, Turn, load_codebook, segment_source
from qualcode.review import export_review_workbook

TESTS = Path(__file__).parent
MINI = TESTS / "data" / "mini_codebook.yaml"
DATA = TESTS / "data" / "review"

TRICKY = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+33 6 12 34 56 78", "-1 point for AI",
          "@SUM(A1:A3)", "=1+1", "Texte accentué : « déjà vu » — œuvre", "tab\tand\nnewline"]


def build_project(db: Path, n_sources: int = 4, answers: int = 5, seed: int = 0,
                  codebook: Path = MINI, roles: tuple[str, ...] = ("manager", "expert")) -> Path:
    """A project of ``n_sources * answers`` segments with a finished machine pass."""
    rng = random.Random(seed)
    cb = load_codebook(codebook)
    sources = []
    for i in range(n_sources):
        parts, turns, pos = [], [], 0
        for k in range(answers * 2):
            role = "interviewer" if k % 2 == 0 else "respondent"
            body = (f"Question {k // 2} for interview {i}?" if role == "interviewer" else
                    (TRICKY[(i + k) % len(TRICKY)] if rng.random() < 0.1 else
                     f"Answer {k // 2} of {i}: " + " ".join(rng.choice(
                         ["jobs", "data", "leak", "tools", "team", "clients", "time"]) for _ in range(12))))
            label = "I: " if role == "interviewer" else "R: "
            start = pos + len(label)
            parts.append(label + body)
            turns.append(Turn(index=k, speaker=label[0], role=role, start=start, end=start + len(body)))
            pos += len(label) + len(body) + 2
        text = "\n\n".join(parts)
        sources.append(Source(id=f"int{i:03d}", path=f"int{i:03d}.txt", text=text, format="txt",
                              sha256=f"sha{i}", language="en",
                              attributes={"role": roles[i % len(roles)], "site": f"S{i % 3}"},
                              turns=turns))
    with Store(db) as st:
        st.save_codebook(cb)
        st.save_sources(sources)
        segs = []
        for s in sources:
            ss = segment_source(s, "turn")
            st.replace_segments(s.id, ss, "turn")
            segs += ss
        props = []
        for _ in segs:
            row = []
            for c in cb.ids:
                r = rng.random()
                if r < 0.5:
                    conf = round(rng.random(), 3)
                    row.append(Proposal(c, conf >= 0.5, conf, [f"<cue {c}>"]))
            props.append(row)
        pid = st.start_pass("lexicon", "lexicon-test", "machine", cb.version)
        st.add_machine_codings(pid, "lexicon", cb.version, segs, props)
        st.finish_pass(pid, len(segs))
    return db


def export(db: Path, path: Path, **kw):
    with Store(db) as st:
        return export_review_workbook(st, path, **kw)
