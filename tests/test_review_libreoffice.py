"""A reviewer may open and save the workbook in LibreOffice Calc: it must still import, with its
dropdowns intact. Runs when ``soffice`` is on PATH (skipped otherwise)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode import Store
from qualcode.review import import_reviews
from qualcode.review._layout import norm_header
from test_review_support import DATA, build_project, export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def soffice(src: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    """Open ``src`` in LibreOffice headless and save it as ``fmt`` (what "Save as" in Calc does)."""
    outdir.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice wrote nothing for {src}"
    return out


def test_saved_from_calc_still_imports_with_dropdowns(tmp_path):
    db = build_project(tmp_path / "q.db", n_sources=6, answers=8, seed=4, codebook=DATA / "mini_fr.yaml")
    path = export(db, tmp_path / "revue.xlsx", reviewer="Léa").path
    wb = load_workbook(path)
    ws = wb["Révision"]
    cols = {norm_header(c.value): c.column for c in ws[3] if c.value}
    dec = {c: cols[f"{lab} [{c}] DÉCISION"] for c, lab in
           [("JOBS", "Menace sur l'emploi"), ("DATA", "Sécurité des données"), ("DATA_LEAK", "Fuites de données")]}
    expected = {}
    for r in range(4, ws.max_row + 1):
        seg = ws.cell(r, 1).value
        for k, (code, j) in enumerate(dec.items()):
            if (r + k) % 3:
                ws.cell(r, j).value = "oui" if (r * (k + 1)) % 4 == 0 else "Non"
                expected[(seg, code)] = (r * (k + 1)) % 4 == 0
        if r % 5 == 0:
            ws.cell(r, cols["Commentaire (mémo)"]).value = "« à revoir » — cas limite"
    wb.save(path)

    calc = soffice(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "calc", tmp_path / "profile")
    lo = load_workbook(calc)
    assert lo.sheetnames == ["Révision", "Lisez-moi", "Livre de codes", "_meta"]
    assert lo["_meta"].sheet_state != "visible"
    ws2 = lo["Révision"]
    dvs = ws2.data_validations.dataValidation
    assert [(d.type, d.formula1) for d in dvs] == [("list", '"oui,non,effacer"')]
    letters = {ws2.cell(4, j).column_letter for j in dec.values()}
    assert {str(rng) for rng in dvs[0].sqref.ranges} == {f"{x}4:{x}{ws.max_row}" for x in letters}
    key = ws2.cell(3, cols["Clé (ne pas modifier)"]).column_letter
    assert ws2.column_dimensions[key].hidden
    tricky = [c for row in ws2.iter_rows(min_row=4, max_col=5) for c in row
              if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert tricky and all(c.data_type == "s" for c in tricky)  # still text after Calc

    with Store(db) as st:
        res = import_reviews(st, [calc])
        assert res.stored == len(expected) and res.warnings == []
        got = {(c.segment_id, c.code_id): c.applied for c in st.human_codings()}
        memos = {c.memo for c in st.human_codings()}
    assert got == expected
    assert memos == {"", "« à revoir » — cas limite"}
    with Store(db) as st:  # the original and Calc's copy hold the same decisions
        assert import_reviews(st, [path]).unchanged == len(expected)


def test_review_workbook_prints_to_pdf(tmp_path):
    db = build_project(tmp_path / "q.db", n_sources=3, answers=4)
    path = export(db, tmp_path / "review.xlsx", reviewer="Marie").path
    pdf = soffice(path, "pdf", tmp_path / "pdf", tmp_path / "profile")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
