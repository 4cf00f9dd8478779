"""Render workbooks as a person sees them, through LibreOffice (``soffice``) and ``pdftoppm``.

``first_screens`` prints each sheet at 100 % scale on a landscape A4 page: page 1 is what the
first screen shows on opening (about 1,000 px wide), which is what a layout must get right.
``printed`` renders the workbook as it prints (its own page setup).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def to_pdf(xlsx: Path, outdir: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo_profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = outdir / f"{xlsx.stem}.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF for {xlsx}"
    return pdf


def to_png(pdf: Path, stem: Path, *, first: int = 1, last: int = 1, dpi: int = 60,
           scale_to: int | None = None) -> list[Path]:
    args = [PDFTOPPM, "-png", "-f", str(first), "-l", str(last)]
    args += ["-scale-to", str(scale_to)] if scale_to else ["-r", str(dpi)]
    subprocess.run([*args, str(pdf), str(stem)], check=True, capture_output=True, timeout=120)
    return sorted(stem.parent.glob(f"{stem.name}*.png"))


def first_screens(xlsx: Path, outdir: Path, *, scale_to: int | None = None) -> dict[str, Path]:
    """One PNG per visible sheet: its first page printed at 100 % (the first screen)."""
    from openpyxl import load_workbook

    names = [ws.title for ws in load_workbook(xlsx, read_only=True).worksheets
             if ws.sheet_state == "visible"]
    out: dict[str, Path] = {}
    for k, name in enumerate(names):
        wb = load_workbook(xlsx)
        for ws in list(wb.worksheets):
            if ws.title != name:
                wb.remove(ws)
        ws = wb[name]
        ws.sheet_state = "visible"
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = 100
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"
        ws.print_area = None
        ws.page_margins.left = ws.page_margins.right = 0.2  # inches: the page is about a screen wide
        ws.page_margins.top = ws.page_margins.bottom = 0.3
        single = outdir / f"{xlsx.stem}-{k + 1}.xlsx"
        outdir.mkdir(parents=True, exist_ok=True)
        wb.save(single)
        pdf = to_pdf(single, outdir)
        out[name] = to_png(pdf, outdir / f"{xlsx.stem}-{k + 1}-screen", scale_to=scale_to, dpi=60)[0]
    return out
