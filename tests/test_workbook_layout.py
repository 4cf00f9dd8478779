"""Every workbook, as a person sees it: the sample project (French) and 60 real interviews
(English), checked on the properties that make a sheet readable or not.

- the text column is on the first screen (columns before it, and frozen panes, within ~1,000 px
  at 100 % zoom);
- no header breaks a word (column width against the header's longest word, in the header's
  font; rotated headers: row height against the longest line);
- no row is cut: a wrapped cell whose text needs more height than its row has a comment with
  the whole text;
- no English word in a French project's workbooks, and no French word in an English one;
- LibreOffice opens and prints every sheet (PNG pages, not blank), and the printed headers
  keep their words whole.

The estimates here are deliberately independent of the writer's own sizing helpers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from _render import PDFTOPPM, SOFFICE, to_pdf, to_png
from conftest import REPO

SCREEN_PX = 1000
TEXT_HEADERS = {"Texte", "Text", "Citation", "Quote"}
EN_WORDS = {"the", "and", "with", "without", "reviewed", "interview", "interviews", "interviewees",
            "evidence", "lexicon", "semantic", "similarity", "learning", "weights", "pooled", "written_at",
            "value", "key", "codebook", "threshold", "share", "of", "by", "segments coded", "coded",
            "reviewer", "decision", "speaker", "before", "all", "mean",
            "agreement", "strength", "neither", "yes", "no", "role", "theme", "themes", "quote"}
FR_WORDS = {"le", "la", "les", "des", "du", "et", "entretien", "entretiens", "revu", "relecteur",
            "libellé", "indices", "segments codés", "personnes", "interrogées", "thème", "accord",
            "oui", "non", "mémo", "rôle", "texte", "décision", "clé", "ensemble", "écrit"}
# Cells that hold the interviews' own words (or the codebook's), not the tool's: not checked
CONTENT_HEADERS = {"Texte", "Text", "Citation", "Quote", "Question précédente", "Question before",
                   "Question posée", "Question asked", "Indices", "Evidence", "Indices de la machine",
                   "Machine evidence", "Définition", "Definition", "Inclure", "Include", "Exclure", "Exclude",
                   "Exemples", "Examples", "Résumé", "Summary", "Termes distinctifs", "Distinctive terms",
                   "Mots-clés", "Keywords", "Commentaire (mémo)", "Comment (memo)", "Mémo du 1er",
                   "Mémo du 2e", "1st coder's memo", "2nd coder's memo", "Valeur", "Value", "Locuteur",
                   "Speaker", "Thème émergent", "Topic", "Libellé", "Label", "Thème", "Theme", "Thème A",
                   "Thème B", "Theme A", "Theme B", "Code brouillon", "Draft code"}

needs_soffice = pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None,
                                   reason="LibreOffice (soffice) and pdftoppm are not installed")


# -- building the projects ---------------------------------------------------------------------

def _decide_reviews(paths: list[Path]) -> None:
    """Fill two review workbooks as two reviewers would: flip some proposals, write some memos."""
    for k, path in enumerate(paths):
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        cols = {" ".join(str(c.value).split()): c.column for c in ws[3] if c.value}
        dec = [j for h, j in cols.items() if h.endswith(("DÉCISION", "DECISION"))]
        memo = next(j for h, j in cols.items() if h.startswith(("Commentaire", "Comment")))
        for r in range(4, ws.max_row + 1):
            for i, j in enumerate(dec):
                if (r + 3 * i + 5 * k) % 7 == 0:
                    v = ws.cell(r, j).value
                    yes, no = ("oui", "non") if v in ("oui", "non") else ("yes", "no")
                    ws.cell(r, j).value = no if v == yes else yes
            if r % 9 == k:
                ws.cell(r, memo).value = "cas limite" if k == 0 else "ambigu, à discuter"
        wb.save(path)


def build_outputs(transcripts: Path, codebook: Path, folder: Path) -> Path:
    """A project with every workbook: coded (with summaries, rewritten by a later pass), two
    reviewed and imported review workbooks, a re-export, and the agreement workbook."""
    from qualcode import Store, code_project
    from qualcode.agreement import compute_agreement, write_agreement_workbook
    from qualcode.report import summarize_project
    from qualcode.review import export_review_workbook, import_reviews

    db, out = folder / "qualcode.db", folder / "outputs"
    code_project([transcripts], codebook=codebook, db=db, out=out, coder="lexicon")
    with Store(db) as st:
        paths = [export_review_workbook(st, out / f"review-{who}.xlsx", reviewer=who, prefill=True).path
                 for who in ("Marie", "Paul")]
        _decide_reviews(paths)
        import_reviews(st, paths)
        write_agreement_workbook(compute_agreement(st), out / "agreement.xlsx")
        export_review_workbook(st, out / "review-Marie-2.xlsx", reviewer="Marie")
    summarize_project(db, out, report=False)
    code_project([transcripts], codebook=codebook, db=db, out=out, coder="lexicon")  # rewrites coded.xlsx
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_outputs(REPO / "transcripts", REPO / "codebook" / "ai_at_work.yaml",
                         tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def real60(tmp_path_factory) -> Path:
    src = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts.jsonl"
    if not src.exists():
        pytest.skip("../shared/data is not present")
    folder = tmp_path_factory.mktemp("real60")
    (folder / "in").mkdir()
    with src.open(encoding="utf-8") as f:
        lines = [next(f) for _ in range(60)]
    (folder / "in" / "first60.jsonl").write_text("".join(lines), encoding="utf-8")
    cb = (REPO / "codebook" / "ai_at_work.yaml").read_text(encoding="utf-8")
    (folder / "codebook_en.yaml").write_text(cb.replace("\nlanguage: fr\n", "\nlanguage: en\n"), encoding="utf-8")
    return build_outputs(folder / "in", folder / "codebook_en.yaml", folder)


# -- the checks ----------------------------------------------------------------------------------

def px(width: float | None) -> float:
    """Screen pixels of a column width (Excel's default font: 7 px a character, 5 px padding)."""
    return (width if width is not None else 8.43) * 7 + 5


def col_width(ws, j: int) -> float | None:
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(j))
    if dim is not None and dim.hidden:
        return 0.0
    return dim.width if dim is not None and dim.width else None


def header_row(ws) -> int | None:
    """The first row whose non-empty cells are mostly bold on a fill: the table's header."""
    for r in range(1, min(ws.max_row, 6) + 1):
        cells = [c for c in ws[r] if c.value not in (None, "")]
        styled = [c for c in cells if c.font and c.font.b and c.fill and c.fill.fgColor and c.fill.fill_type]
        if len(cells) >= 2 and len(styled) >= 0.8 * len(cells):
            return r
    return None


def check_sheet(ws, lang: str) -> list[str]:
    problems: list[str] = []
    where = ws.title
    h = header_row(ws)
    headers = {c.column: str(c.value) for c in ws[h] if c.value} if h else {}
    # 1. the text column on the first screen
    text_cols = [j for j, v in headers.items() if " ".join(v.split()) in TEXT_HEADERS]
    if text_cols:
        j = text_cols[0]
        before = sum(px(col_width(ws, k)) for k in range(1, j))
        if before > SCREEN_PX:
            problems.append(f"{where}: the text column starts at {before:.0f} px, off the first screen")
        if ws.freeze_panes:
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            frozen = column_index_from_string(coordinate_from_string(ws.freeze_panes)[0]) - 1
            frozen_px = sum(px(col_width(ws, k)) for k in range(1, frozen + 1))
            if frozen_px > SCREEN_PX:
                problems.append(f"{where}: frozen columns take {frozen_px:.0f} px")
    # 2. headers never break a word
    for j, v in headers.items():
        c = ws.cell(h, j)
        size = (c.font.sz or 11) if c.font else 11
        rotated = c.alignment is not None and c.alignment.textRotation in (90, 180)
        longest = max((len(w) for w in v.split()), default=0)
        if rotated:
            longest_line = max(len(line) for line in v.split("\n"))
            need = longest_line * size * 0.55
            height = ws.row_dimensions[h].height or 15
            if height < need:
                problems.append(f"{where}!{c.coordinate}: rotated header {v!r} needs {need:.0f} pt, row has {height}")
        else:
            w = col_width(ws, j)
            if w == 0.0:
                continue  # hidden column
            need = longest * size / 11 * 1.1 + 1
            if (w if w is not None else 8.43) < need:
                problems.append(f"{where}!{c.coordinate}: header {v!r} splits a word (width {w}, needs {need:.1f})")
    # 3. no row cut without its whole text in a comment
    if h:
        for row in ws.iter_rows(min_row=h + 1):
            height = ws.row_dimensions[row[0].row].height
            if height is None:
                continue
            if height > 409:
                problems.append(f"{where} row {row[0].row}: {height} pt, over Excel's limit")
            for c in row:
                if not isinstance(c.value, str) or not (c.alignment and c.alignment.wrap_text):
                    continue
                w = col_width(ws, c.column) or 8.43
                lines = sum(max(1, -(-len(part) // max(int(w * 1.3), 1))) for part in c.value.split("\n"))
                if lines * 12.5 > height + 1 and c.comment is None:
                    problems.append(f"{where}!{c.coordinate}: {len(c.value)} characters cut at {height} pt "
                                    "and no comment with the whole text")
                    break
    # 4. the project's language only
    foreign = EN_WORDS if lang == "fr" else FR_WORDS
    content = {j for j, v in headers.items() if " ".join(v.split()) in CONTENT_HEADERS}
    for row in ws.iter_rows():
        for c in row:
            if not isinstance(c.value, str) or (h and c.row > h and c.column in content):
                continue
            text = re.sub(r"--[\w-]+", "", c.value.lower())  # command-line options are not prose
            words = set(re.findall(r"[\w']+", text))
            hits = sorted(w for w in foreign if (" " in w and w in text) or w in words)
            if hits:
                problems.append(f"{where}!{c.coordinate}: {hits} in {c.value[:60]!r}")
                break
    return problems


def check_outputs(out: Path, lang: str) -> list[str]:
    problems = []
    books = sorted(out.glob("*.xlsx"))
    assert {"coded.xlsx", "agreement.xlsx", "review-Marie.xlsx", "review-Paul.xlsx"} <= {b.name for b in books}
    for book in books:
        wb = load_workbook(book)
        for ws in wb.worksheets:
            if ws.sheet_state == "visible":
                problems += [f"{book.name}/{p}" for p in check_sheet(ws, lang)]
    return problems


def render(out: Path, folder: Path, books: tuple[str, ...] = ("coded.xlsx", "agreement.xlsx", "review-Marie.xlsx"),
           max_pages: int = 3) -> dict[str, list[Path]]:
    """These workbooks to PDF (their own print setup) and their first pages to PNG at 60 dpi."""
    pages = {}
    for name in books:
        book = out / name
        pdf = to_pdf(book, folder)
        n = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
        pages[name] = to_png(pdf, folder / book.stem, first=1, last=max(1, min(n, max_pages)), dpi=60)
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", "-l", str(max_pages), str(pdf), "-"],
                                  capture_output=True, text=True).stdout
            (folder / f"{book.stem}.txt").write_text(text, encoding="utf-8")
    return pages


# -- the tests -----------------------------------------------------------------------------------

def test_sample_project_workbooks_are_readable(sample):
    assert check_outputs(sample, "fr") == []


def test_summary_sheets_are_in_the_rewritten_coded_workbook(sample):
    names = load_workbook(sample / "coded.xlsx", read_only=True).sheetnames
    assert {"Synthèse", "Cooccurrences", "Citations"} <= set(names)


def test_the_checks_catch_what_was_seen(tmp_path):
    """The checks fail on the defects the issue showed (so they can fail at all)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Segments"
    head = ["Segment", "Entretien", "role", "company_size", "a", "b", "c", "d", "Conformité réglementaire",
            "Texte"]
    ws.append(head)
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="1F3864")
    for j, w in enumerate([24, 20, 12, 12, 30, 30, 30, 30, 12, 70], start=1):
        ws.column_dimensions[chr(64 + j)].width = w
    ws.append(["s1", "e1", "manager", "650", "", "", "", "", 1, "mot " * 1500])
    ws["J2"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[2].height = 409
    ws.append(["s2", "e1", "manager", "650", "lexicon: the machine", "", "", "", 1, "Court."])
    problems = check_sheet(ws, "fr")
    assert any("text column starts at" in p for p in problems)
    assert any("'Conformité réglementaire' splits a word" in p for p in problems)
    assert any("cut at 409" in p for p in problems)
    assert any("['lexicon', 'the']" in p for p in problems)
    assert any("['entretien']" in p for p in check_sheet(ws, "en"))  # a French header in English


@needs_soffice
def test_sample_project_renders_in_libreoffice(sample, tmp_path):
    pages = render(sample, tmp_path / "png")
    for book in ("coded.xlsx", "agreement.xlsx", "review-Marie.xlsx"):
        assert pages[book], f"{book}: no page printed"
        for png in pages[book][:3]:
            assert png.stat().st_size > 2000, f"{png} looks blank"
    # printed headers keep their words whole: no fragment of a code label on its own line
    text = (tmp_path / "png" / "coded.txt").read_text(encoding="utf-8")
    for fragment in ("réglementair\n", "Déshumanis\n", "Conformit\n"):
        assert fragment not in text


@pytest.mark.slow
def test_sixty_real_interviews_workbooks_are_readable(real60):
    assert check_outputs(real60, "en") == []


@pytest.mark.slow
@needs_soffice
def test_sixty_real_interviews_render(real60, tmp_path):
    pages = render(real60, tmp_path / "png")
    for book in ("coded.xlsx", "agreement.xlsx", "review-Marie.xlsx"):
        assert pages[book] and all(png.stat().st_size > 2000 for png in pages[book][:3]), book


def test_kernel_formats_dates_numbers_and_attributes_per_language():
    """The catalogues themselves are checked in test_locales.py; here, the kernel's formatters."""
    from qualcode import _i18n

    assert _i18n.format_time("2026-11-30T17:05:00", "fr") == "30 novembre 2026 à 17:05"
    assert _i18n.format_time("2026-08-01T09:30:00", "en") == "1 August 2026, 09:30"
    assert _i18n.number(0.4251, "fr") == "0,43" and _i18n.number(0.4251, "en") == "0.43"
    assert _i18n.attribute_label("company_size", "fr", capital=True) == "Taille de l'entreprise"
    assert _i18n.attribute_label("years_in_job", "en") == "years in job"


def test_a_long_answer_is_capped_flagged_and_whole_in_a_comment(tmp_path):
    """Answers over ~2,000 characters were cut on screen (and rows hit Excel's 409 pt)."""
    from _summary_fixtures import SEGMENTS, build_project
    from qualcode import Store
    from qualcode.export import write_coded_workbook
    from qualcode.review import export_review_workbook

    long = "Je relis tout ce que produit l'outil, ligne par ligne, avant de signer. " * 40  # 2,880 chars
    db = build_project(tmp_path, segments=[*SEGMENTS, ("e2", long, ("DATA_SECURITY",))])
    with Store(db) as st:
        review = export_review_workbook(st, tmp_path / "revue.xlsx", reviewer="Léa").path
        coded = write_coded_workbook(st, tmp_path / "coded.xlsx")
    for path, sheet in ((review, "Révision"), (coded, "Segments")):
        ws = load_workbook(path)[sheet]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == long)
        assert ws.row_dimensions[cell.row].height <= 200  # capped, far below Excel's 409 pt
        assert cell.comment is not None and cell.comment.text == long  # never cut: whole in a comment
        assert cell.fill.fgColor.rgb.endswith("FFF2CC")  # and flagged
        assert check_sheet(ws, "fr") == []
    # the comment changes nothing for import: decide on the long row and import it
    from qualcode.review import import_reviews

    wb = load_workbook(review)
    ws = wb["Révision"]
    cols = {" ".join(str(c.value).split()): c.column for c in ws[3] if c.value}
    row = next(c.row for c in ws["E"] if c.value == long)
    ws.cell(row, cols["Sécurité des données [DATA_SECURITY] DÉCISION"]).value = "non"
    wb.save(review)
    with Store(db) as st:
        assert import_reviews(st, [review]).stored == 1
