"""The label catalogues (src/qualcode/locales/fr.py, en.py) are complete, parallel and used.

A French project must never show an English word and an English one never a French word: so
both catalogues have the same keys and placeholders, a French label is not a copy of the
English one (bar a short list of words both languages share), and every key the code asks
:func:`qualcode._i18n.tr` for exists.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from qualcode._i18n import tr
from qualcode.locales import CATALOGUES, EN, FR

SRC = Path(__file__).resolve().parents[1] / "src" / "qualcode"

# Words both languages write the same way (and placeholders-only labels).
SAME_IN_BOTH = {"Code", "Segment", "Segments", "Total", "Notes", "machine", "site", "participant", "Jaccard",
                "BERTopic", "F1", "vs", "code", "kappa", "macro", "% {v}", "Segments · {v}"}
NAMESPACES = {key.split(".", 1)[0] for key in EN}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None and f != ""}


def test_both_catalogues_have_the_same_keys():
    assert sorted(set(FR) - set(EN)) == [] and sorted(set(EN) - set(FR)) == []
    assert set(CATALOGUES) == {"fr", "en"}


def test_both_catalogues_have_the_same_placeholders():
    bad = {k: (_fields(FR[k]), _fields(EN[k])) for k in EN if _fields(FR[k]) != _fields(EN[k])}
    assert bad == {}


def test_no_french_label_is_a_copy_of_the_english_one():
    copies = {k: v for k, v in FR.items() if v == EN[k] and v not in SAME_IN_BOTH and v.strip()}
    assert copies == {}, "translate these (or add a shared word to SAME_IN_BOTH):\n" + "\n".join(copies)
    assert all(v.strip() for v in FR.values()) and all(v.strip() for v in EN.values())


def _key_uses() -> tuple[set[str], set[str], list[str]]:
    """Keys named in the source: literal keys, prefixes of computed keys (f"review.{kind}"), and
    the ``tr``/``Message`` calls whose key the test cannot read."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    unreadable: list[str] = []
    key_like = re.compile(rf"^(?:{'|'.join(map(re.escape, sorted(NAMESPACES)))})\.[\w.-]*[A-Za-z0-9]$")
    file_name = re.compile(r"\.(?:xlsx|md|html|json|yaml|csv|db|png|txt|qdpx|qdc)$")

    def first_arg(node: ast.expr, where: str) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literal.add(node.value)
        elif isinstance(node, ast.IfExp):
            first_arg(node.body, where)
            first_arg(node.orelse, where)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            prefixes.add(node.values[0].value)
        elif isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant):
            prefixes.add(node.left.value)
        elif not isinstance(node, ast.Name):  # a variable: its values are literals found below
            unreadable.append(where)

    for path in SRC.rglob("*.py"):
        if path.parent.name == "locales":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstring
                    and key_like.match(node.value) and not file_name.search(node.value)):
                literal.add(node.value)
            if (isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant)
                    and str(node.values[0].value).split(".", 1)[0] in NAMESPACES
                    and "." in str(node.values[0].value)):
                prefixes.add(node.values[0].value)  # a computed key, e.g. f"attribute.{name}"
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in ("tr", "Message") and path.name != "_i18n.py":  # not the lookup's own calls
                    first_arg(node.args[0], f"{path.relative_to(SRC)}:{node.lineno}")
    return literal, prefixes, unreadable


def test_every_key_the_code_uses_exists():
    literal, prefixes, unreadable = _key_uses()
    assert unreadable == [], "give these tr() calls a literal key or a literal prefix"
    assert sorted(k for k in literal if k not in EN) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in EN)) == []
    assert all("." in p for p in prefixes), prefixes  # a prefix names its area


def test_every_key_is_used():
    """A label no code asks for is dead weight that drifts; computed keys count by their prefix."""
    literal, prefixes, _ = _key_uses()
    unused = sorted(k for k in EN if k not in literal and not any(k.startswith(p) for p in prefixes))
    assert unused == []


def test_lookup_falls_back_to_english_and_names_attributes():
    assert tr("workbook.codebook", "fr") == "Livre de codes"
    assert tr("workbook.codebook", "de") == tr("workbook.codebook", None) == "Codebook"
    assert tr("workbook.segments_by", "fr", attr="company_size") == "Segments codés, par taille de l'entreprise"
    with pytest.raises(KeyError):
        tr("workbook.no_such_label", "fr")


# -- the library's messages, rendered in the project's language ---------------------------------

def test_a_message_is_english_as_a_string_and_french_when_rendered():
    import pickle

    from qualcode._i18n import Message, localised

    m = Message("msg.review.not_found")
    assert m == "file not found; check the path" and isinstance(m, str)
    assert localised(m, "fr") == "fichier introuvable ; vérifiez le chemin"
    assert localised("a plain string", "fr") == "a plain string"
    nested = Message("msg.in_file", file="a.xlsx", msg=m)
    assert nested == "a.xlsx: file not found; check the path"
    assert nested.render("fr") == "a.xlsx : fichier introuvable ; vérifiez le chemin"
    assert pickle.loads(pickle.dumps(nested)).render("fr") == nested.render("fr")


def test_status_of_the_french_sample_project_is_french(tmp_path, capsys):
    from conftest import REPO
    from qualcode.cli import main

    db = tmp_path / "q.db"
    assert main(["code", str(REPO / "transcripts"), "--codebook", str(REPO / "codebook" / "ai_at_work.yaml"),
                 "--db", str(db), "--out", str(tmp_path / "out"), "--coder", "lexicon", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("projet ") and "entretiens (" in out and "segments actifs" in out
    assert "livre de codes : " in out and "passage n° 1" in out and "décisions humaines : 0 en vigueur" in out
    for english in ("project ", "interviews", "human decisions", "pass #", "unfinished", "codebook:"):
        assert english not in out, english
    assert re.search(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
                     r"décembre) \d{4} à \d\d:\d\d", out)  # the pass's date, the French way


def test_a_review_import_error_is_french_in_a_french_project(tmp_path, capsys):
    from openpyxl import load_workbook

    from conftest import REPO
    from qualcode import Store, code_project
    from qualcode.cli import main
    from qualcode.review import export_review_workbook

    db, out = tmp_path / "q.db", tmp_path / "out"
    code_project([REPO / "transcripts"], codebook=REPO / "codebook" / "ai_at_work.yaml", db=db, out=out,
                 coder="lexicon")
    with Store(db) as st:
        path = export_review_workbook(st, tmp_path / "revue.xlsx", reviewer="Léa").path
    wb = load_workbook(path)
    ws = wb["Révision"]
    col = next(c.column for c in ws[3] if c.value and str(c.value).endswith("DÉCISION"))
    ws.cell(4, col).value = "peut-être"
    wb.save(path)
    assert main(["review", "import", str(path), "--db", str(db), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qualcode : erreur : ") and "problème(s) trouvé(s), aucune décision n'a été importée" in err
    assert "'peut-être' n'est pas une décision pour" in err and "choisissez oui ou non dans la liste" in err
    assert "is not a decision" not in err and "problem(s) found" not in err


def test_an_ingest_warning_is_french_when_rendered_for_a_french_project():
    from collections import Counter

    from qualcode._i18n import localised
    from qualcode.ingest._checks import turn_warnings
    from qualcode.model import INTERVIEWER, Source, Turn

    text = "Bonjour, pouvez-vous vous présenter ?"
    src = Source(id="e1", path="e1.txt", text=text, format="txt", sha256="x", language="fr",
                 turns=[Turn(0, "Enquêteur", INTERVIEWER, 0, len(text))])
    (warning,) = turn_warnings(src, Counter())
    assert warning.startswith("no respondent speech found")  # str(): English, as logs and tests read it
    fr = localised(warning, "fr")
    assert fr.startswith("aucune parole de personne interrogée trouvée, rien ne sera codé : 1 tour(s)")
    assert "Enquêteur ×1" in fr and "respondent" not in fr


def test_a_codebook_error_is_french_on_the_command_line(tmp_path, capsys):
    from conftest import REPO
    from qualcode.cli import main

    cb = tmp_path / "livre.yaml"
    cb.write_text("name: essai\nversion: '1'\nlanguage: fr\ncodes:\n  - id: A\n    label: Un\n    couleur: rouge\n",
                  encoding="utf-8")
    assert main(["code", str(REPO / "transcripts"), "--codebook", str(cb), "--db", str(tmp_path / "q.db"),
                 "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qualcode : erreur : ") and "code A : champ(s) inconnu(s) couleur ; champs permis" in err
    cb.write_text(cb.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    assert main(["code", str(REPO / "transcripts"), "--codebook", str(cb), "--db", str(tmp_path / "q.db"),
                 "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "code A: unknown field(s) couleur; allowed:" in capsys.readouterr().err


# -- rarer errors, French on a French project and English unchanged on an English one -----------

def _french_project(tmp_path, codebook_text: str | None = None):
    """The sample transcripts and codebook, copied so that a test can add a file or edit the codebook."""
    import shutil

    from conftest import REPO

    shutil.copytree(REPO / "transcripts", tmp_path / "t")
    cb = tmp_path / "livre.yaml"
    cb.write_text(codebook_text or (REPO / "codebook" / "ai_at_work.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "t", cb


def _code(transcripts, cb, tmp_path) -> int:
    from qualcode.cli import main

    return main(["code", str(transcripts), "--codebook", str(cb), "--db", str(tmp_path / "q.db"),
                 "--out", str(tmp_path / "out"), "--coder", "lexicon", "--no-progress"])


def test_an_unreadable_transcript_is_named_in_french(tmp_path, capsys):
    transcripts, cb = _french_project(tmp_path)
    (transcripts / "vide.txt").write_bytes(b"  \n")
    assert _code(transcripts, cb, tmp_path) == 0
    out = capsys.readouterr().out
    assert "vide.txt : le fichier est vide (0 caractère de texte) ; retirez-le du dossier" in out, out
    assert "the file is empty" not in out
    cb.write_text(cb.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    assert _code(transcripts, cb, tmp_path / "en") == 0
    assert "vide.txt: the file is empty (0 characters of text); remove it from the folder" in capsys.readouterr().out


def test_a_codebook_with_an_unknown_parent_is_refused_in_french(tmp_path, capsys):
    text = ("name: essai\nversion: '1'\nlanguage: fr\ncodes:\n  - id: A\n    label: Un\n    parent: NOPE\n"
            "  - id: B\n    label: Deux\n    lexicon: [{term: emploi, poids: 2}]\n")
    transcripts, cb = _french_project(tmp_path, text)
    assert _code(transcripts, cb, tmp_path) == 2
    err = capsys.readouterr().err
    assert err.startswith("qualcode : erreur : ") and "code B, champ 'lexicon.fr[0]' : clé(s) inconnue(s) poids" in err
    cb.write_text(text.replace(", poids: 2", ""), encoding="utf-8")
    assert _code(transcripts, cb, tmp_path) == 2
    err = capsys.readouterr().err
    assert "code A, champ 'parent' : code inconnu 'NOPE' ; utilisez l'un de A, B ou retirez-le" in err
    cb.write_text(text.replace(", poids: 2", "").replace("language: fr", "language: en"), encoding="utf-8")
    assert _code(transcripts, cb, tmp_path) == 2
    assert "code A, field 'parent': unknown code 'NOPE'; use one of A, B or remove it" in capsys.readouterr().err


def test_a_review_workbook_without_its_header_row_is_refused_in_french(tmp_path, capsys):
    from openpyxl import load_workbook

    from qualcode import Store
    from qualcode.cli import main
    from qualcode.review import export_review_workbook

    transcripts, cb = _french_project(tmp_path)
    assert _code(transcripts, cb, tmp_path) == 0
    with Store(tmp_path / "q.db") as st:
        path = export_review_workbook(st, tmp_path / "revue.xlsx", reviewer="Léa").path
    wb = load_workbook(path)
    wb["Révision"].delete_rows(1, 10)
    wb.save(path)
    capsys.readouterr()
    assert main(["review", "import", str(path), "--db", str(tmp_path / "q.db"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Révision : aucune ligne d'en-tête avec une colonne" in err and "rétablissez la ligne d'en-tête" in err
    assert "no header row" not in err


def test_an_older_export_names_the_force_option_on_the_command_line(monkeypatch):
    from qualcode._i18n import Joined, Message
    from qualcode.cli._review import _naming_the_flag

    hit = Message("msg.review.revert_hit", cell="Revue!D4", code="JOBS", segment="p01#3",
                  now=Message("msg.review.yn.yes"), says=Message("msg.review.yn.no"))
    older = Message("msg.review.older_export", file="old.xlsx", exported="t1", newer="new.xlsx", newer_exported="t2",
                    reviewer="Marie", n=1, shown=Joined([hit]))
    assert older.endswith("now yes, this file says no. Import it again with force if these older decisions are "
                          "the ones you want") and "--force" not in older  # the library names no flag
    on_cli = _naming_the_flag(older)
    assert on_cli.endswith("the ones you want (--force)")
    assert "maintenant oui, ce fichier dit non. Importez-le à nouveau en forçant" in on_cli.render("fr")
    assert on_cli.render("fr").endswith("(option --force)")
    assert _naming_the_flag(Message("msg.in_file", file="a.xlsx", msg=older)).endswith("(--force)")
