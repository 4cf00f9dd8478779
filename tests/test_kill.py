"""Kill `qualcode code` and `qualcode review import` at random points: the project survives.

After each kill (SIGKILL: no cleanup code runs) SQLite's own integrity check is ok, every
segment is exactly its source's slice, a review import is either wholly in or wholly out,
and the next run completes.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from _workbooks import decision_columns
from qualcode import Store

MINI = Path(__file__).parent / "data" / "mini_codebook.yaml"
WORDS = ["postes", "données", "clients", "techniciens", "fuite", "équipe", "outil", "RGPD"]
RUNS = 20

pytestmark = pytest.mark.slow


def qualcode(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    return subprocess.Popen([sys.executable, "-m", "qualcode", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def write_corpus(root: Path, rnd: random.Random, files: int = 12, answers: int = 12) -> None:
    for f in range(files):
        body = "".join(f"Enquêteur : Question {k} ?\n\nMme Martin : Réponse {f}-{k}-{rnd.random():.6f} "
                       + " ".join(rnd.choice(WORDS) for _ in range(12)) + ".\n\n" for k in range(answers))
        (root / "transcripts" / f"e{f:02d}.txt").write_text(body, encoding="utf-8")


def check(db: Path) -> None:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    with Store(db) as st:
        assert st.integrity_problems() == []


def code_args() -> list[str]:
    return ["code", "transcripts", "--codebook", str(MINI), "--db", "q.db", "--out", "out",
            "--coder", "lexicon", "--no-progress"]


def timed(args: list[str], cwd: Path) -> float:
    t0 = time.monotonic()
    p = qualcode(*args, cwd=cwd)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    return time.monotonic() - t0


def test_killed_coding_runs_leave_a_sound_project(tmp_path):
    rnd = random.Random(11)
    (tmp_path / "transcripts").mkdir()
    write_corpus(tmp_path, rnd)
    full = timed(code_args(), tmp_path)
    killed = 0
    for _ in range(RUNS):
        write_corpus(tmp_path, rnd)  # every text changed: the run has everything to rewrite
        p = qualcode(*code_args(), cwd=tmp_path)
        pause = rnd.uniform(0.1, 0.9) * full
        time.sleep(pause)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        check(tmp_path / "q.db")
        full = timed(code_args(), tmp_path)  # the next run completes (and times the next kill)
        check(tmp_path / "q.db")
    assert killed >= RUNS * 3 // 4
    print(f"qualcode code: {RUNS} runs, {killed} killed mid-run, project sound after each")


def test_killed_review_imports_are_all_or_nothing(tmp_path):
    rnd = random.Random(12)
    (tmp_path / "transcripts").mkdir()
    write_corpus(tmp_path, rnd, files=30)
    timed(code_args(), tmp_path)
    full_import = 4.0  # seconds; shortened whenever an import finishes before its kill
    killed = 0
    for run in range(RUNS):
        paths = []
        for reviewer in ("Marie", "Paul"):
            path = tmp_path / "out" / f"r{run}-{reviewer}.xlsx"
            assert timed(["review", "export", "--db", "q.db", "--reviewer", reviewer, "--out", str(path),
                          "--no-progress"], tmp_path) > 0
            wb = load_workbook(path)
            ws = wb.worksheets[0]
            cols = list(decision_columns(ws).values())
            for r in range(4, ws.max_row + 1):
                for c in cols:
                    ws.cell(r, c).value = rnd.choice(["yes", "no"])
            wb.save(path)
            paths.append(path)
        with Store(tmp_path / "q.db") as st:
            before = {(c.segment_id, c.code_id, c.coder): c.applied for c in st.human_codings()}
        p = qualcode("review", "import", *map(str, paths), "--db", "q.db", "--no-workbook", "--no-progress",
                     cwd=tmp_path)
        pause = rnd.uniform(0.1, 0.9) * full_import
        time.sleep(pause)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        else:  # it finished before the kill: aim earlier next time
            full_import = min(full_import, pause)
        p.wait()
        check(tmp_path / "q.db")
        with Store(tmp_path / "q.db") as st:
            after = {(c.segment_id, c.code_id, c.coder): c.applied for c in st.human_codings()}
            n_imports = len(st.imports())
        expected_after = {}
        for path in paths:  # what the two files hold, read with openpyxl
            ws = load_workbook(path).worksheets[0]
            who = ws["B1"].value
            for r in range(4, ws.max_row + 1):
                for code_id, c in decision_columns(ws).items():
                    expected_after[(ws.cell(r, 1).value, code_id, who)] = ws.cell(r, c).value == "yes"
        assert after in (before, {**before, **expected_after})  # wholly out, or wholly in
        assert n_imports == (2 * run if after == before else 2 * run + 2)
        if after == before:  # the next run completes
            assert timed(["review", "import", *map(str, paths), "--db", "q.db", "--no-workbook",
                          "--no-progress"], tmp_path) > 0
        check(tmp_path / "q.db")
    assert killed >= 5
    print(f"qualcode review import: {RUNS} runs, {killed} killed mid-run, each wholly in or out")
