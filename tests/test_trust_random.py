"""Random edits, reviews and re-codes: no human decision is ever shown on other words, or lost.

A model of the researcher's intent is kept beside the project: which reviewer decided which
code on which exact words. After every step the store (and, every few steps, the coded
workbook) must agree with it: each current decision sits on a segment with exactly those
words and that value; each decision whose words left the transcripts is listed as stale.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import load_workbook

from _workbooks import column, decision_columns
from qualcode import Store, code_project
from qualcode.review import export_review_workbook, import_reviews

MINI = Path(__file__).parent / "data" / "mini_codebook.yaml"
CODES = ["JOBS", "DATA", "DATA_LEAK"]
WORDS = ["postes", "données", "clients", "techniciens", "fuite", "équipe", "outil", "métier", "RGPD", "avenir"]
STEPS = 220


class Project:
    def __init__(self, root: Path, rnd: random.Random):
        self.root, self.rnd, self.n = root, rnd, 0
        self.files: dict[str, list[str]] = {}
        self.intent: dict[tuple[str, str, str], bool] = {}  # (reviewer, code, words) -> applied
        self.checked = 0

    def answer(self) -> str:
        self.n += 1
        words = " ".join(self.rnd.choice(WORDS) for _ in range(self.rnd.randint(3, 9)))
        return f"Réponse {self.n} : {words}."

    def write(self, name: str) -> None:
        path = self.root / "transcripts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"Enquêteur : Question {k} ?\n\nMme Martin : {a}\n\n" for k, a in enumerate(self.files[name]))
        path.write_text(body, encoding="utf-8")

    def code(self, workbook: bool = False):
        return code_project([self.root / "transcripts"], codebook=MINI, db=self.root / "q.db", coder="lexicon",
                            out=self.root / "out" if workbook else None)

    def review(self, reviewer: str) -> None:
        path = self.root / "out" / f"review-{reviewer}.xlsx"
        with Store(self.root / "q.db") as st:
            export_review_workbook(st, path, reviewer=reviewer)
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        head = decision_columns(ws)
        text_col = column(ws, "Texte", "Text")
        for r in range(4, ws.max_row + 1):
            if self.rnd.random() > 0.4:
                continue
            words = ws.cell(r, text_col).value
            for code in self.rnd.sample(CODES, self.rnd.randint(1, 2)):
                value = self.rnd.choice(["yes", "no", "yes", "no", "clear"])
                ws.cell(r, head[code]).value = value
                if value == "clear":
                    self.intent.pop((reviewer, code, words), None)
                else:
                    self.intent[(reviewer, code, words)] = value == "yes"
        wb.save(path)
        with Store(self.root / "q.db") as st:
            import_reviews(st, [path])

    def check(self, workbook: bool = False) -> None:
        with Store(self.root / "q.db") as st:
            texts = {s.id: s.text for s in st.segments()}
            current = {(c.coder, c.code_id, texts[c.segment_id]): c.applied for c in st.human_codings()}
            stale = {(d.coder, d.code_id, d.old_text): d.applied for d in st.stale_decisions()}
            assert st.integrity_problems() == []
        for key, value in current.items():  # shown on exactly the words it was made on
            assert self.intent.get(key) == value, key
        for key, value in self.intent.items():  # nothing lost: current, or listed as stale
            assert current.get(key, stale.get(key)) == value, key
        assert not set(current) & set(stale)
        self.checked += len(current) + len(stale)
        if workbook:
            ws = load_workbook(self.root / "out" / "coded.xlsx")["Segments"]
            rows = list(ws.iter_rows(values_only=True))
            head = rows[0]
            decided_words = {w for (_, _, w) in current}
            for r in rows[1:]:
                row = dict(zip(head, r))
                if row["Status"] != "machine":
                    assert row["Text"] in decided_words, row["Text"]


def test_random_edits_reviews_and_recodes_keep_decisions_on_their_words(tmp_path):
    rnd = random.Random(8)
    p = Project(tmp_path, rnd)
    for name in ("a.txt", "b.txt"):
        p.files[name] = [p.answer() for _ in range(4)]
        p.write(name)
    p.code()
    kinds = {"insert": 0, "delete": 0, "modify": 0, "move": 0, "same_name": 0, "recode": 0, "review": 0}
    for step in range(STEPS):
        kind = rnd.choices(list(kinds), weights=[3, 2, 3, 2, 1, 5, 5])[0]
        kinds[kind] += 1
        name = rnd.choice(sorted(p.files))
        answers = p.files[name]
        if kind == "insert":
            answers.insert(rnd.randint(0, len(answers)), p.answer())
        elif kind == "delete" and len(answers) > 1:
            answers.pop(rnd.randrange(len(answers)))
        elif kind == "modify":
            k = rnd.randrange(len(answers))
            answers[k] = answers[k][:-1] + f" {rnd.choice(WORDS)} (corrigé {step})."
        elif kind == "move" and len(answers) > 1:
            i, j = rnd.sample(range(len(answers)), 2)
            answers[i], answers[j] = answers[j], answers[i]
        elif kind == "same_name":
            new = f"site{len(p.files)}/{rnd.choice(['a', 'b'])}.txt"  # a name that exists elsewhere
            p.files[new] = [p.answer() for _ in range(3)]
            name = new
        if kind in ("insert", "delete", "modify", "move", "same_name"):
            p.write(name)
        elif kind == "recode":
            p.code(workbook=step % 4 == 0)
        else:
            p.review(rnd.choice(["Marie", "Paul"]))
        p.check(workbook=kind == "recode" and step % 4 == 0)
    p.code(workbook=True)
    p.check(workbook=True)
    assert sum(kinds.values()) == STEPS and min(kinds.values()) > 5
    assert len(p.intent) > 40 and p.checked > 2000
    print(f"{STEPS} steps {kinds}; {len(p.intent)} decisions in the end, {p.checked} decision checks")
