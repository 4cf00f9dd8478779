"""The terminal speaks the codebook's language: `codebook`, `train` and `eval` on a French
codebook print French sentences and no English one; on the English codebook, the same words
as before."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qualcode.cli import main

MINI = Path(__file__).parent / "data" / "mini_codebook.yaml"

# English sentences (or their telling words) the commands used to print whatever the language
ENGLISH = ["— OK", "file:", "lexicon:", "languages:", "round ", "learned from", "model:", "units of",
           "interviews,", "zero-shot", "trained on", "95 % intervals", "bootstrap over", "neither side",
           "time:", "units/s", "missed", "extra", "learned:", "codebook rule", "learned model", "coded;",
           "per fold", "too few", " units)", "reviewed segments"]

JOBS_FR = ["Ils veulent remplacer des postes par l'outil.", "On parle de suppression de postes chez nous.",
           "L'IA pourrait remplacer mon emploi.", "Les suppressions de postes arrivent, on le sent.",
           "Remplacer un métier entier, c'est possible.", "Ils vont remplacer les postes d'analystes.",
           "La suppression de postes touche les juniors.", "On va remplacer ce poste par un robot."]
OTHER_FR = ["Je l'utilise pour mes courriels.", "C'est pratique pour résumer une réunion.",
            "Je relis toujours ce qu'il écrit.", "Il traduit des documents pour moi.",
            "Nos données sensibles restent chez nous, RGPD oblige.", "Une fuite de données serait grave.",
            "Je prépare mes présentations avec.", "Il m'aide à écrire du code."]


@pytest.fixture
def books(tmp_path):
    en = tmp_path / "mini_en.yaml"
    en.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    fr = tmp_path / "mini_fr.yaml"
    fr.write_text(MINI.read_text(encoding="utf-8").replace("language: en", "language: fr", 1), encoding="utf-8")
    return en, fr


@pytest.fixture
def gold_fr(tmp_path):
    rows = []
    for i, text in enumerate(JOBS_FR + OTHER_FR):
        codes = ["JOBS"] if text in JOBS_FR else ["DATA"] if "RGPD" in text else ["DATA_LEAK"] if "fuite" in text else []
        rows.append({"unit_id": f"e{i % 4}#{i}", "text": text, "codes": codes})
    p = tmp_path / "or.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return p


def _no_english(out: str) -> None:
    found = [w for w in ENGLISH if w in out]
    assert found == [], f"English left in the French output: {found}\n{out}"


def test_codebook_check_in_french_and_english(books, capsys):
    en, fr = books
    assert main(["codebook", str(fr)]) == 0
    out = capsys.readouterr().out
    assert "(3 codes, langues : en, fr) — valide" in out and f"  fichier : {fr}" in out
    assert "Menace sur l'emploi  [lexique : en 3, fr 2]" in out
    _no_english(out)
    assert main(["codebook", str(en)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"mini 0\.1\+\w+ \(3 codes, languages: en, fr\) — OK", lines[0])
    assert lines[1] == f"  file: {en}"
    assert lines[2] == f"  {'JOBS':<18} Threat to jobs  [lexicon: en 3, fr 2]"
    assert lines[4] == f"    {'DATA_LEAK':<18} Data leaks  [lexicon: en 1, fr 1]"


def test_codebook_rename_speaks_the_codebooks_language(books, capsys):
    _, fr = books
    assert main(["codebook", "rename", "DATA_LEAK", "LEAKS", "--codebook", str(fr)]) == 0
    out = capsys.readouterr().out
    assert out == f"{fr} : code DATA_LEAK renommé LEAKS (formerly: [DATA_LEAK]) ; ses décisions le suivront " \
                  "au prochain `qualcode code`\n"


def test_train_in_french(books, gold_fr, tmp_path, capsys, monkeypatch):
    _, fr = books
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--gold", str(gold_fr), "--codebook", str(fr), "--semantic-model", "hashing",
                 "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tour n° 1 : appris de 16 segments (fichier de référence ") and "modèle : " in out
    _no_english(out)


def test_eval_in_french_and_english(books, gold_fr, capsys):
    en, fr = books
    assert main(["eval", str(gold_fr), "--codebook", str(fr), "--coder", "lexicon", "--errors", "20"]) == 0
    out = capsys.readouterr().out
    assert "sur 16 unités de or.jsonl issues de 4 entretiens, sans apprentissage" in out
    assert "intervalles à 95 % : bootstrap sur les entretiens" in out
    assert re.search(r"durée : \d+,\d\d s \(\d+,\d unités/s\)", out)
    _no_english(out.split("\n", 1)[0] + out[out.index("intervalles"):])  # the table's headers may stay
    assert main(["eval", str(gold_fr), "--codebook", str(fr), "--coder", "ensemble", "--train-half",
                 "--set", "semantic_model=hashing", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert ", entraîné sur " in out and "appris :" in out and " codés ; " in out
    _no_english(out.split("\n", 1)[0] + out[out.index("intervalles"):])
    # the English codebook: the sentences as they always were
    assert main(["eval", str(gold_fr), "--codebook", str(en), "--coder", "lexicon"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("lexicon (")
    assert "on 16 units of or.jsonl from 4 interviews, zero-shot\n" in out
    assert "\n95 % intervals: bootstrap over interviews; n/a: neither side applies the code\n" in out
    assert re.search(r"\ntime: \d+\.\d\d s \(\d+\.\d units/s\)\n", out)
    # --language wins over the codebook's
    assert main(["eval", str(gold_fr), "--codebook", str(fr), "--coder", "lexicon", "--language", "en"]) == 0
    assert "95 % intervals" in capsys.readouterr().out


def test_code_says_in_french_that_the_pass_is_kept(books, tmp_path, capsys, monkeypatch):
    import qualcode.export
    from qualcode.errors import OutputError

    _, fr = books
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "e1.txt").write_text("Enquêteur : Et l'emploi ?\nRépondant : Ils veulent remplacer des "
                                           "postes par l'outil, on parle de suppression de postes.\n",
                                           encoding="utf-8")

    def blocked(*args, **kwargs):
        raise OutputError("coded.xlsx: ouvert ailleurs", "coded.xlsx")

    monkeypatch.setattr(qualcode.export, "write_project_workbook", blocked)
    db = tmp_path / "q.db"
    assert main(["code", str(tmp_path / "t"), "--codebook", str(fr), "--db", str(db), "--coder", "lexicon",
                 "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"Le passage de codage est enregistré dans {db} ; une fois le problème réglé" in err
    _no_english(err)


def test_command_line_errors_speak_the_codebooks_language(books, tmp_path, capsys):
    en, fr = books
    gold = tmp_path / "or.jsonl"
    assert main(["eval", str(gold), "--codebook", str(fr), "--plot", str(tmp_path / "c.png")]) == 2
    assert capsys.readouterr().err.strip() == "qualcode : erreur : --plot trace la courbe d'apprentissage : ajoutez --curve"
    assert main(["eval", str(gold), "--codebook", str(fr), "--cv", "--curve"]) == 2
    assert "--cv et --curve s'excluent" in capsys.readouterr().err
    assert main(["eval", str(gold), "--codebook", str(en), "--plot", str(tmp_path / "c.png")]) == 2
    assert capsys.readouterr().err.strip() == "qualcode: error: --plot draws the learning curve: add --curve"
