"""Review round trip on real interviews (../shared/data): real answer lengths and characters."""

from __future__ import annotations

import random
import time

import pytest
from openpyxl import load_workbook

from qualcode import Store, code_project
from qualcode.review import export_review_workbook, import_reviews
from qualcode.review._layout import norm_header
from test_review_support import MINI


@pytest.mark.slow
def test_real_interviews_round_trip(shared_data, tmp_path):
    lines = (shared_data / "anthropic-interviewer" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "transcripts.jsonl"
    subset.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    db = tmp_path / "q.db"
    code_project([subset], codebook=MINI, db=db, out=None)
    with Store(db) as st:
        t0 = time.perf_counter()
        res = export_review_workbook(st, tmp_path / "review.xlsx", reviewer="Marie")
        t_export = time.perf_counter() - t0
    wb = load_workbook(res.path)
    ws = wb["Review"]
    dec = [c.column for c in ws[3] if norm_header(c.value).endswith("DECISION")]
    rng = random.Random(0)
    want = {}
    for r in range(4, ws.max_row + 1):
        for j in dec:
            if rng.random() < 0.3:
                v = rng.choice(["yes", "no"])
                ws.cell(r, j).value = v
                want[(ws.cell(r, 1).value, norm_header(ws.cell(3, j).value).split("[")[1].split("]")[0])] = v == "yes"
    wb.save(res.path)
    with Store(db) as st:
        t0 = time.perf_counter()
        out = import_reviews(st, [res.path])
        t_import = time.perf_counter() - t0
        got = {(c.segment_id, c.code_id): c.applied for c in st.human_codings()}
    assert res.rows > 1000 and out.stored == len(want) and got == want
    assert t_export < 30 and t_import < 30, (t_export, t_import)
