"""Hostile and odd inputs (issue 11): each comes in right, or is named with the reason and the fix,
and the other files are still coded.

The inputs live in tests/data/hostile/ (small ones) or are generated into a temporary folder by
tests/data/hostile/make_hostile.py (large ones). Each test codes a folder holding the odd file
beside ``ok.txt``, a normal interview, with the lexicon coder (fast lookup lemmas: quick, and
the same reading of the files as any coder).
"""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import openpyxl
import pytest

from qualcode import CodebookError, OutputError, code_project, parse_codebook
from qualcode.errors import ConfigError, IngestError
from qualcode.ingest import SpeakerConfig, ingest, parse_turns, read_source
from qualcode.model import INTERVIEWER, RESPONDENT

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
_spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
make = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["make_hostile"] = make
_spec.loader.exec_module(make)  # type: ignore[union-attr]

FAST = {"nlp_mode": "fast"}


def folder_with(tmp_path: Path, *names: str) -> Path:
    """A folder with ``ok.txt`` and the named files of tests/data/hostile."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    shutil.copy(HOSTILE / "ok.txt", folder / "ok.txt")
    for name in names:
        shutil.copy(HOSTILE / name, folder / name)
    return folder


def code(tmp_path: Path, folder: Path, **kw):
    kw.setdefault("out", tmp_path / "out")
    return code_project([folder], codebook=None, db=tmp_path / "q.db", coder="lexicon",
                        coder_options=FAST, **kw)


def ok_was_coded(tmp_path: Path, db: str = "q.db") -> None:
    """``ok.txt`` has its two respondent segments stored and coded in the latest pass."""
    con = sqlite3.connect(tmp_path / db)
    n = con.execute("SELECT COUNT(*) FROM segments WHERE source_id LIKE '%ok%'").fetchone()[0]
    assert n == 2
    codes = {r[0] for r in con.execute(
        "SELECT DISTINCT c.code_id FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE s.source_id LIKE '%ok%' AND c.applied = 1")}
    assert {"DATA_SECURITY", "JOB_THREAT"} <= codes


def respondent_texts(source) -> list[str]:
    return [source.text[t.start:t.end] for t in source.turns if t.role == RESPONDENT]


# --------------------------------------------------------------------------- speakers and turns


def test_a_respondent_who_answers_once_is_a_turn_and_E_is_the_interviewer(tmp_path: Path) -> None:
    source = read_source(HOSTILE / "once.txt")[0]
    assert [(t.speaker, t.role) for t in source.turns] == [
        ("E", INTERVIEWER), ("Julie", RESPONDENT), ("E", INTERVIEWER)]
    res = code(tmp_path, folder_with(tmp_path, "once.txt"))
    assert res.segments == 3 and res.warnings == []  # ok.txt 2 + Julie's answer
    ok_was_coded(tmp_path)


def test_a_focus_group_speaker_said_once_is_not_credited_to_the_previous_one() -> None:
    source = read_source(HOSTILE / "focus.txt")[0]
    assert [t.speaker for t in source.turns] == [
        "Animatrice", "Marie", "Paul", "Animatrice", "Marie", "Nadia", "Paul"]
    nadia = source.turns[5]
    assert source.text[nadia.start:nadia.end] == "Moi je crains surtout pour nos emplois."


def test_notes_and_pasted_dialogues_stay_inside_the_answer() -> None:
    text = ("E : Et alors ?\n\nJulie : Voilà ce que j'ai noté.\nNote : à revoir.\n\n"
            "E : Merci.\n\nJulie : De rien.\n")
    turns = parse_turns(text)
    assert [t.speaker for t in turns] == ["E", "Julie", "E", "Julie"]
    assert text[turns[1].start:turns[1].end].endswith("Note : à revoir.")


def test_a_name_listed_in_participants_is_a_speaker_even_said_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "t.txt").write_text("Moderator: So?\nAlex: Well, we asked.\nKim: I think so.\n",
                                  encoding="utf-8")
    # Alex answers the moderator: a turn; Kim, said once after Alex, could be a quotation
    assert [t.speaker for t in ingest(folder).sources[0].turns] == ["Moderator", "Alex"]
    (folder / "participants.csv").write_text("fichier,locuteur,rôle\nt.txt,Kim,manager\n",
                                             encoding="utf-8")
    src = ingest(folder, participants=folder / "participants.csv").sources[0]
    assert [(t.speaker, t.role) for t in src.turns] == [
        ("Moderator", INTERVIEWER), ("Alex", RESPONDENT), ("Kim", RESPONDENT)]
    assert src.attributes["role"] == "manager"


def test_a_file_without_respondent_speech_is_named_in_a_warning(tmp_path: Path) -> None:
    res = code(tmp_path, folder_with(tmp_path, "questions_only.txt"))
    assert res.warnings == [(
        str(tmp_path / "in" / "questions_only.txt"),
        "no respondent speech found, so nothing will be coded: 2 turn(s), all the interviewer's "
        "(labels: Enquêteur ×2); if one of these labels is a respondent, give it as a respondent "
        "label, or list the speaker in the participants file")]
    ok_was_coded(tmp_path)


def test_unread_label_lines_are_counted_in_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "t.txt").write_text(
        "Enquêteur : Bonjour ?\n\nR : Voici mon essai :\nMe : un essai\nBot : une réponse\n"
        "Me : encore\n\nEnquêteur : Merci.\n\nR : De rien.\n", encoding="utf-8")
    report = ingest(folder)
    assert report.warnings == [(str(folder / "t.txt"),
        "3 line(s) look like speaker labels but were read as speech (Me ×2, Bot ×1); if they "
        "name speakers, list them in the participants file or give them as respondent or "
        "interviewer labels")]  # fmt: skip


def test_interviewer_option_adds_to_the_defaults_and_respondent_exists() -> None:
    config = SpeakerConfig.with_labels(interviewer=["Sophie"], respondent=["Q"])
    text = "Sophie : Alors ?\nMarc : Oui.\nE : Et vous ?\nQ : Non.\n"
    assert [(t.speaker, t.role) for t in parse_turns(text, config)] == [
        ("Sophie", INTERVIEWER), ("Marc", RESPONDENT), ("E", INTERVIEWER), ("Q", RESPONDENT)]


def test_cli_interviewer_and_respondent_options(tmp_path: Path, monkeypatch, capsys) -> None:
    from qualcode.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Sophie : Votre avis sur l'IA ?\n\nE : La sécurité des "
                                  "données me préoccupe.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["code", "in", "--coder", "lexicon", "--nlp", "fast", "--no-progress",
                 "--interviewer", "Sophie", "--respondent", "E"]) == 0
    out = capsys.readouterr().out
    assert "1 fichiers, 1 entretiens, 1 segments (1 codés" in out  # the default codebook is French


def test_header_lines_become_attributes_not_turns() -> None:
    source = read_source(HOSTILE / "header.txt")[0]
    assert source.attributes == {"participant": "Julie Martin, 45 ans", "durée": "45 min",
                                 "date": "12/03/2024"}
    assert respondent_texts(source) == ["Elle nous fait gagner du temps."]


def test_a_speaker_label_after_a_form_feed_is_recognised() -> None:
    source = read_source(HOSTILE / "pdf_text.txt")[0]
    assert respondent_texts(source) == ["Une réponse sur la première page.",
                                        "Une réponse sur la deuxième page."]
    assert [t.role for t in source.turns] == [INTERVIEWER, RESPONDENT] * 2


def test_mixed_utf8_and_cp1252_keeps_both_parts() -> None:
    source = read_source(HOSTILE / "mixed.txt")[0]
    assert source.encoding == "utf-8+cp1252"
    assert source.text.startswith("Enquêteur : Que pensez-vous")
    assert respondent_texts(source) == ["Très utile, mais je crains pour la sécurité."]


# --------------------------------------------------------------------------- participants, tables


def test_french_participant_columns_reach_the_role_breakdown(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "participants.csv").write_bytes(make.participants_fr())
    res = code(tmp_path, folder)
    assert res.errors == []
    wb = openpyxl.load_workbook(res.workbook, read_only=True)
    names = wb.sheetnames
    con = sqlite3.connect(tmp_path / "q.db")
    attrs = con.execute("SELECT attributes FROM sources").fetchone()[0]
    assert '"role": "juriste"' in attrs and '"âge": "45"' in attrs
    assert any("role" in n.lower() or "rôle" in n.lower() for n in names), names


def test_formula_cells_in_the_text_column_are_named(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    make.formula_workbook(folder / "answers.xlsx")
    res = code(tmp_path, folder)
    path = str(folder / "answers.xlsx")
    assert res.errors == [(path,
        f"{path}: 2 cell(s) of the text column 'réponse' hold formulas, not text: B3 (=A2&\" "
        "pense que c'est utile\"), B4 (=- je ne sais pas); their text would be a computed value, "
        "or nothing. In Excel or LibreOffice, copy the column and paste it back as values only "
        "(Paste special > Values), or type an apostrophe before a text that starts with '=', "
        "then save")]  # fmt: skip
    ok_was_coded(tmp_path)


def test_an_unterminated_csv_quote_is_named_with_its_line(tmp_path: Path) -> None:
    res = code(tmp_path, folder_with(tmp_path, "quote.csv"))
    path = str(tmp_path / "in" / "quote.csv")
    assert res.errors == [(path,
        f"{path}: line 3: a quote (\") opens a cell that is never closed, so every line after "
        "it (up to line 5) would be read as part of that cell; close the quote, or remove it")]
    ok_was_coded(tmp_path)


# --------------------------------------------------------------------------- sizes and limits


def test_an_answer_over_a_million_characters_is_named_not_a_crash(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    make.huge_answer(folder / "huge.txt")
    res = code(tmp_path, folder)
    path = str(folder / "huge.txt")
    assert res.errors == [(path,
        f"{path}: Répondant's turn starting line 3 is 1,100,000 characters long, above the limit "
        "of 200,000 for one turn; the file probably lacks speaker labels or blank lines between "
        "paragraphs: add them, or split the file")]  # fmt: skip
    ok_was_coded(tmp_path)


def test_front_matter_alias_bomb_is_refused(tmp_path: Path) -> None:
    res = code(tmp_path, folder_with(tmp_path, "bomb.md"))
    path = str(tmp_path / "in" / "bomb.md")
    assert res.errors == [(path,
        f"{path}: the front matter between the '---' lines is refused: its aliases (*name) "
        "expand to more than 100,000 values; write the values out instead of repeating aliases")]
    ok_was_coded(tmp_path)


def test_deeply_nested_front_matter_is_refused(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "deep.md").write_text(f"---\nx: {make.deep_yaml(100)}\n---\nQ : a ?\nR : b.\n",
                                    encoding="utf-8")
    res = code(tmp_path, folder)
    path = str(folder / "deep.md")
    assert res.errors == [(path, f"{path}: the front matter between the '---' lines is "
                                 "refused: it is nested more than 64 levels deep (line 2); flatten it")]
    ok_was_coded(tmp_path)


def test_codebook_alias_bomb_and_nesting_are_refused(tmp_path: Path) -> None:
    make.codebook_bomb(tmp_path / "cb.yaml")
    assert (tmp_path / "cb.yaml").stat().st_size < 600
    with pytest.raises(CodebookError) as exc:
        parse_codebook((tmp_path / "cb.yaml").read_text(encoding="utf-8"), "cb.yaml")
    assert str(exc.value) == ("cb.yaml: its aliases (*name) expand to more than 100,000 values; "
                              "write the values out instead of repeating aliases")
    with pytest.raises(CodebookError) as exc:
        parse_codebook(f"codes: {make.deep_yaml()}\n", "deep.yaml")
    assert str(exc.value) == ("deep.yaml: it is nested more than 64 levels deep (line 1); "
                              "flatten it")


# --------------------------------------------------------------------------- outputs


def test_out_naming_a_file_is_refused_before_coding(tmp_path: Path, monkeypatch, capsys) -> None:
    from qualcode.cli import main

    folder_with(tmp_path)
    (tmp_path / "results.txt").write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["code", "in", "--out", "results.txt", "--coder", "lexicon", "--nlp", "fast",
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err == ("qualcode: error: --out results.txt: this is a file, not a folder; give a "
                   "folder for the outputs (it is created if missing), e.g. --out outputs\n")
    assert not (tmp_path / "qualcode.db").exists()  # nothing started


def test_out_below_a_file_keeps_the_stored_pass(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        code(tmp_path, folder_with(tmp_path), out=tmp_path / "file" / "outputs")
    assert str(exc.value) == (
        f"{tmp_path / 'file' / 'outputs' / 'coded.xlsx'}: cannot write the file (Not a "
        f"directory); {tmp_path / 'file'} is a file, where a folder is needed: choose an output "
        "folder, not a file")
    ok_was_coded(tmp_path)  # the pass was stored before the workbook


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write to: chmod for a user, /sys for root."""
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        return ro
    if not os.access("/sys", os.W_OK) or os.path.ismount("/sys"):
        return Path("/sys")
    pytest.skip("no read-only folder available")


def test_read_only_output_folder_after_the_pass_was_stored(tmp_path: Path) -> None:
    ro = _read_only_folder(tmp_path)
    with pytest.raises(OutputError) as exc:
        code(tmp_path, folder_with(tmp_path), out=ro)
    msg = str(exc.value)
    assert msg.startswith(f"{ro / 'coded.xlsx'}: cannot write the file (")
    assert msg.endswith(f"the folder {ro} is read-only or not yours: make it writable, or "
                        "choose another output folder")
    ok_was_coded(tmp_path)
    assert not [p for p in ro.iterdir() if p.name.startswith(".~qc-")]


def test_disk_full_while_writing_leaves_no_half_file(tmp_path: Path) -> None:
    from qualcode._files import atomic_write

    target = tmp_path / "coded.xlsx"
    target.write_bytes(b"previous workbook")

    def fill_the_disk(tmp: str) -> None:  # /dev/full answers every write with ENOSPC
        with open("/dev/full", "wb") as full:
            full.write(b"x" * 65536)
            full.flush()

    if not Path("/dev/full").exists():
        pytest.skip("/dev/full is not available")
    with pytest.raises(OutputError) as exc:
        atomic_write(target, fill_the_disk)
    assert str(exc.value) == (f"{target}: cannot write the file (No space left on device); the "
                              "disk is full: free some space, then run the command again")
    assert target.read_bytes() == b"previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["coded.xlsx"]


def test_unreadable_input_folder_is_named_and_the_others_are_coded(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0)
    else:  # root reads everything; the kernel still refuses this one without CAP_SYS_ADMIN
        locked = Path("/proc/1/map_files")
        try:
            os.listdir(locked)
            pytest.skip("no unreadable folder available to this user")
        except PermissionError:
            pass
    folder = folder_with(tmp_path)
    res = code_project([folder, locked], db=tmp_path / "q.db", out=tmp_path / "out",
                       coder="lexicon", coder_options=FAST)
    assert res.errors == [(str(locked),
        f"{locked}: the folder cannot be read (Permission denied); give yourself read access "
        "to it (chmod u+rx), or move the transcripts to a folder you can read")]  # fmt: skip
    ok_was_coded(tmp_path)


def test_libreoffice_lock_stale_temps_and_file_mode(tmp_path: Path) -> None:
    res = code(tmp_path, folder_with(tmp_path))
    out = tmp_path / "out"
    coded = out / "coded.xlsx"
    mode = stat.S_IMODE(coded.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # a normal file, not the 0600 of a temporary one
    stale = out / ".~codedab12cd34.xlsx"  # left by a run killed in an earlier version
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    before = coded.read_bytes()
    (out / ".~lock.coded.xlsx#").write_text("LibreOffice lock", encoding="utf-8")
    shutil.copy(HOSTILE / "once.txt", tmp_path / "in")  # new content for the workbook
    res = code(tmp_path, tmp_path / "in")
    assert res.workbook != coded and res.workbook.parent == out  # a dated sibling
    assert coded.read_bytes() == before  # the open file was not touched
    assert not stale.exists()


def test_report_markdown_code_spans_survive_backticks() -> None:
    from qualcode.report._markdown import md_code

    assert md_code("P01#3") == "`P01#3`"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x``") == "``` `x`` ```"


def test_review_import_of_ods_xls_and_corrupt_files(tmp_path: Path) -> None:
    from qualcode import Store
    from qualcode.errors import ReviewImportError
    from qualcode.review import import_reviews

    code(tmp_path, folder_with(tmp_path))
    (tmp_path / "r.ods").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "r.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    (tmp_path / "r.xlsx").write_bytes(b"PK\x03\x04 truncated")
    with Store(tmp_path / "q.db") as store:
        for name in ("r.ods", "r.xls"):
            with pytest.raises(ReviewImportError) as exc:
                import_reviews(store, [tmp_path / name])
            ext = name[1:]
            assert f"a {ext} file cannot be imported: review workbooks are .xlsx; open it in " \
                   "Excel or LibreOffice and save it as 'Excel 2007-365 (.xlsx)', then import " \
                   "the .xlsx" in str(exc.value)
        with pytest.raises(ReviewImportError) as exc:
            import_reviews(store, [tmp_path / "r.xlsx"])
        assert "cannot open as an .xlsx workbook (BadZipFile" in str(exc.value)


def test_a_codebook_wider_than_a_sheet_is_refused_for_review(tmp_path: Path) -> None:
    from qualcode import Store, load_codebook
    from qualcode.review import export_review_workbook

    make.wide_codebook(tmp_path / "wide.yaml")
    cb = load_codebook(tmp_path / "wide.yaml")
    code(tmp_path, folder_with(tmp_path))
    with Store(tmp_path / "q.db") as store, pytest.raises(ConfigError) as exc:
        export_review_workbook(store, tmp_path / "review.xlsx", codebook=cb)
    assert str(exc.value).startswith("the review workbook would need 16,509 columns (5,500 "
                                     "codes x 3, 0 attributes), more than the 16,384")
    assert str(exc.value).endswith("review at most 5,458 codes at a time: split the codebook "
                                   "into several files, or keep the child codes in another one")
    assert not (tmp_path / "review.xlsx").exists()


def test_nlp_fast_on_french(tmp_path: Path) -> None:
    res = code(tmp_path, folder_with(tmp_path))  # FAST: lookup lemmas, French lists
    assert res.segments == 2
    ok_was_coded(tmp_path)


def test_enospc_is_the_disk_full_message() -> None:
    from qualcode._files import _explain

    e = _explain(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), Path("out/coded.xlsx"))
    assert "the disk is full" in str(e)


def test_ingest_error_for_a_turn_in_a_table_cell(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,text\nP1," + "mot " * 60_000 + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="above the limit of 200,000 for one turn"):
        read_source(tmp_path / "a.csv")


def test_one_participants_row_per_speaker_reaches_each_speakers_segments(tmp_path: Path) -> None:
    from qualcode import Store

    folder = folder_with(tmp_path, "focus.txt")
    (folder / "participants.csv").write_text(
        "fichier;locuteur;rôle;site\nfocus.txt;Marie;infirmière;Lyon\n"
        "focus.txt;PAUL;cadre;Lyon\nfocus.txt;Nadia;technicienne;Lyon\nok.txt;Sophie;juriste;Nice\n",
        encoding="utf-8")
    res = code(tmp_path, folder)
    assert res.errors == [] and res.segments == 7  # focus: 5 respondent turns, ok: 2
    with Store(tmp_path / "q.db") as store:
        got = {(s.speaker, s.attributes.get("role"), s.attributes.get("site"))
               for s in store.segments()}
    assert got == {("Marie", "infirmière", "Lyon"), ("Paul", "cadre", "Lyon"),
                   ("Nadia", "technicienne", "Lyon"), ("Sophie", "juriste", "Nice")}
    ok_was_coded(tmp_path)


def test_the_same_speaker_twice_in_participants_is_named(tmp_path: Path) -> None:
    from qualcode.ingest import load_participants

    (tmp_path / "p.csv").write_text("fichier,locuteur,rôle\nf.txt,Marie,a\nf.txt,marie,b\n",
                                    encoding="utf-8")
    with pytest.raises(IngestError) as exc:
        load_participants(tmp_path / "p.csv")
    assert str(exc.value) == (
        "p.csv: row 3, column 'fichier': 'f.txt' and speaker 'marie' already appears in row 2; "
        "keep one row per transcript, or one row per speaker with a column naming the speaker "
        "('locuteur' or 'speaker')")


def test_a_header_word_used_as_a_speaker_label_stays_a_speaker() -> None:
    text = ("Participant : Oui bonjour\n\nEnquêteur : Vous utilisez l'IA ?\n\n"
            "Participant : Tous les jours\n")
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start:t.end]) for t in turns] == [
        ("Participant", "Oui bonjour"), ("Enquêteur", "Vous utilisez l'IA ?"),
        ("Participant", "Tous les jours")]
