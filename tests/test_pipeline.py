"""The coding pass end to end on tiny shipped data: store, passes, cache, workbook."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode import Coding, QualcodeError, Store, code_project, load_codebook
from qualcode.store import now

DATA = Path(__file__).parent / "data" / "pipeline"
MINI = Path(__file__).parent / "data" / "mini_codebook.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "transcripts")
    return tmp_path


def run(project: Path, **kw):
    kw.setdefault("coder", "lexicon")  # these tests pin the lexicon's exact proposals
    return code_project([project / "transcripts"], codebook=MINI, db=project / "q.db",
                        out=project / "out", **kw)


def test_first_pass_codes_and_stores(project):
    res = run(project)
    assert (res.files, res.sources, res.segments) == (2, 2, 5)
    assert res.code_counts == {"JOBS": 2, "DATA": 2, "DATA_LEAK": 0}
    with Store(project / "q.db") as st:
        segs = {s.id: s for s in st.segments()}
        src = {s.id: s for s in st.sources()}
        for s in segs.values():  # offsets are exact into the stored source text
            assert src[s.source_id].text[s.start:s.end] == s.text
        assert segs["p01#3"].question == "Que pensez-vous de l'IA générative ?"
        assert segs["p01#3"].attributes["role"] == "manager"
        assert src["p02"].language == "en" and src["p01"].language == "fr"
        (p,) = st.passes()
        assert p["coder"] == "lexicon" and p["codebook_version"] == load_codebook(MINI).version
        eff = st.effective()
        assert eff[("p02#1", "DATA")].applied and not eff[("p02#1", "DATA")].reviewed
        assert eff[("p01#3", "JOBS")].evidence == ["suppression de postes"]


def test_unchanged_second_run_adds_no_pass_and_keeps_human_decisions(project):
    run(project)
    with Store(project / "q.db") as st:
        st.add_human_codings([Coding("p02#3", "JOBS", False, None, [], "alice", "human",
                                     st.meta("codebook_version") or "", now())], origin="test")
        n_first = st.db.execute("SELECT count(*) FROM codings WHERE coder_kind='machine'").fetchone()[0]
    res = run(project)
    assert res.reused == 5 and res.changed_sources == 0 and res.pass_id == 1
    with Store(project / "q.db") as st:
        assert [p["id"] for p in st.passes()] == [1]  # nothing changed: the file does not grow
        n = st.db.execute("SELECT count(*) FROM codings WHERE coder_kind='machine'").fetchone()[0]
        assert n == n_first
        eff = st.effective()
        assert eff[("p02#3", "JOBS")].reviewed and not eff[("p02#3", "JOBS")].applied
        assert len(st.human_codings()) == 1


def test_changed_file_is_segmented_again(project):
    run(project)
    f = project / "transcripts" / "p02.txt"
    f.write_text(f.read_text() + "\nInterviewer: Last words?\n\nUser: Nothing about jobs.\n")
    res = run(project)
    assert res.changed_sources == 1 and res.segments == 6 and res.reused == 5
    with Store(project / "q.db") as st:  # the new pass covers the edited interview only
        (p1, p2) = st.passes()
        assert p2["n_segments"] == 3 and p1["n_segments"] == 5  # p02: 2 answers + 1


def test_workbook_reads_back(project):
    res = run(project)
    wb = load_workbook(res.workbook)
    assert wb.sheetnames == ["Segments", "Interview x code", "Code x role", "Theme frequencies",
                             "Codebook", "Disagreements", "About"]
    ws = wb["Segments"]
    header = [c.value for c in ws[1]]
    # the first screen: who said it, the text, the codes; context and ids after
    assert header[:7] == ["Segment", "Interview", "Role", "Text", "Threat to jobs", "Data security", "Data leaks"]
    assert header[7:11] == ["Status", "Question before", "Machine evidence", "Memos"]
    assert header[-2:] == ["Sector", "Speaker"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["p02#3"][4] == 1 and rows["p02#3"][5] is None
    assert rows["p01#5"][3].startswith("=SOMME")  # stays text, never a formula
    cell = next(c for c in ws["D"] if c.value and str(c.value).startswith("=SOMME"))
    assert cell.data_type == "s"
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref == "A1:M6"
    m = {r[0]: r for r in wb["Interview x code"].iter_rows(min_row=3, values_only=True)}
    assert m["p01"][2:6] == (1, 1, None, 2)  # JOBS, DATA, DATA_LEAK, total (role column second)
    assert m["Total"][2:6] == (2, 2, 0, 4)
    f = {r[0]: r for r in wb["Theme frequencies"].iter_rows(min_row=2, values_only=True)}
    assert f["DATA"][2] == 2 and f["DATA"][4] == 2 and f["DATA"][5] == 1.0


def test_unreadable_file_is_reported_and_others_coded(project):
    (project / "transcripts" / "broken.docx").write_bytes(b"not a zip")
    res = run(project)
    assert res.sources == 2 and len(res.errors) == 1 and res.errors[0][0].endswith("broken.docx")


def test_no_transcripts_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(QualcodeError, match="no transcripts found in"):
        code_project([tmp_path / "empty"], codebook=MINI, db=tmp_path / "q.db", out=None)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_workbook_opens_in_libreoffice(project, tmp_path):
    import subprocess

    res = run(project)
    outdir = tmp_path / "pdf"
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir),
                           str(res.workbook)], capture_output=True, text=True, timeout=180)
    pdf = outdir / "coded.pdf"
    assert proc.returncode == 0 and pdf.exists() and pdf.stat().st_size > 5000, proc.stderr
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages >= 6  # every sheet printed


def test_coding_pass_does_not_import_torch(project):
    import subprocess
    import sys

    code = ("import sys\nfrom qualcode import code_project\n"
            f"code_project([{str(project / 'transcripts')!r}], codebook={str(MINI)!r}, "
            f"db={str(project / 'q.db')!r}, out={str(project / 'out')!r})\n"
            "print('HEAVY', [m for m in ('torch', 'bertopic', 'sentence_transformers') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_only_unreadable_formats_says_how_to_convert(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "entretien.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    with pytest.raises(QualcodeError, match=r"none of the 1 file\(s\) could be read \(.*entretien\.doc: .*save it as \.docx"):
        code_project([tmp_path / "in"], codebook=MINI, db=tmp_path / "q.db", out=None)
