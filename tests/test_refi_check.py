"""Opt-in: our .qdpx exports through the independent REFI-QDA checker (schema + real QualCoder).

Set QUALCODE_REFI_CHECK to a refi-check folder built with its setup.sh (it has venv/ and
check_qdpx.py), e.g. ``QUALCODE_REFI_CHECK=/work/refi-check pytest -m refi``. Each check runs
QualCoder headless (about 35 s); skipped when the variable is not set.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

from qualcode import Coding, Store, code_project
from qualcode.refi import export_project

REPO = Path(__file__).resolve().parents[1]
CHECKER = Path(os.environ.get("QUALCODE_REFI_CHECK", "/nonexistent"))
PYTHON = CHECKER / "venv" / "bin" / "python"

pytestmark = [
    pytest.mark.refi,
    pytest.mark.skipif(not (PYTHON.exists() and (CHECKER / "check_qdpx.py").exists()),
                       reason="set QUALCODE_REFI_CHECK to a refi-check folder built with its setup.sh"),
]


def check(qdpx: Path) -> tuple[int, dict]:
    out = qdpx.with_suffix(".report.json")
    proc = subprocess.run([str(PYTHON), str(CHECKER / "check_qdpx.py"), str(qdpx), "--json-out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=1200)
    return proc.returncode, json.loads(out.read_text(encoding="utf-8"))


def project(paths: list[Path], db: Path, n: int) -> Path:
    code_project(paths, codebook=REPO / "codebook" / "ai_at_work.yaml", db=db, out=None, coder="lexicon")
    rng = random.Random(7)
    with Store(db) as st:
        segs, cb = st.segments(), st.codebook()
        st.add_human_codings([Coding(s.id, c, rng.random() < 0.6, None, [], who, "human", cb.version,
                                     "2026-03-01T09:00:00+00:00", memo=rng.choice(["", "à revoir & <vérifier> 🙂"]))
                              for who in ("Marie", "Paul") for s in rng.sample(segs, min(n, len(segs)))
                              for c in rng.sample(cb.ids, 3)], origin="test")
    return db


def assert_pass(code: int, rep: dict, n_codings: int) -> None:
    assert code == 0, rep.get("errors")
    cod = rep["fidelity"]["codings"]
    assert cod["qdpx_text_codings"] == cod["arrived"] == cod["text_ok"] == n_codings
    src = rep["fidelity"]["sources"]
    assert src["arrived"] == src["text_identical"] == src["qdpx_text_sources"]


@pytest.mark.parametrize("crlf", [False, True])
def test_sample_project_export_passes_the_checker(tmp_path, crlf):
    db = project([REPO / "transcripts"], tmp_path / "q.db", 30)
    with Store(db) as st:
        res = export_project(st, tmp_path / "sample.qdpx", crlf=crlf, machine="all" if crlf else "accepted")
    assert_pass(*check(tmp_path / "sample.qdpx"), res.human_codings + res.machine_codings)


@pytest.mark.slow
def test_sixty_interviews_export_passes_the_checker(tmp_path, shared_data):
    lines = (shared_data / "anthropic-interviewer" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "interviews.jsonl").write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")
    db = project([tmp_path / "in"], tmp_path / "q.db", 200)
    with Store(db) as st:
        res = export_project(st, tmp_path / "sixty.qdpx")
    assert res.sources == 60
    assert_pass(*check(tmp_path / "sixty.qdpx"), res.human_codings + res.machine_codings)
