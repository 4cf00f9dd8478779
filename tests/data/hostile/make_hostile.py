"""Hostile and odd inputs for tests/test_hostile.py, written from Python with exact bytes.

Small cases are also committed beside this script (regenerate them with
``python tests/data/hostile/make_hostile.py``); large ones (an answer over 1,000,000
characters, YAML alias bombs, 20,000 levels of nesting, a codebook wider than a sheet) are
only ever generated, by the tests, into a temporary folder: ``write_large(folder)``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# A normal interview: each test checks that it is still coded beside the hostile file.
OK = (
    "Enquêteur : Comment utilisez-vous l'IA au travail ?\n\n"
    "Sophie : J'utilise ChatGPT pour rédiger, mais je m'inquiète pour la sécurité des données "
    "de nos clients et la confidentialité.\n\n"
    "Enquêteur : Et votre emploi ?\n\n"
    "Sophie : J'ai peur que l'IA remplace des emplois dans mon service.\n"
)

SMALL: dict[str, bytes] = {
    # a respondent who answers once (and "E :" is the usual French interviewer shorthand)
    "once.txt": (
        "E : Pouvez-vous vous présenter ?\n\n"
        "Julie : Je suis juriste, je vérifie la conformité au RGPD de nos outils d'IA.\n\n"
        "E : Merci beaucoup.\n"
    ).encode(),
    # a focus group where Nadia speaks once, after Marie
    "focus.txt": (
        "Animatrice : Qui utilise l'IA ?\n"
        "Marie : Moi, pour les courriels.\n"
        "Paul : Moi aussi.\n"
        "Animatrice : Et les risques ?\n"
        "Marie : La sécurité des données.\n"
        "Nadia : Moi je crains surtout pour nos emplois.\n"
        "Paul : Pareil.\n"
    ).encode(),
    # only the interviewer speaks: nothing to code
    "questions_only.txt": (
        "Enquêteur : Première question ?\n\nEnquêteur : Deuxième question ?\n"
    ).encode(),
    # header lines, then the interview
    "header.txt": (
        "Participant : Julie Martin, 45 ans\n"
        "Durée : 45 min\n"
        "Date : 12/03/2024\n\n"
        "Enquêteur : Que pensez-vous de l'IA ?\n\n"
        "Julie : Elle nous fait gagner du temps.\n"
    ).encode(),
    # pdftotext: each page starts with a form feed, here right before a speaker label
    "pdf_text.txt": (
        "Enquêteur : Première question ?\n\n"
        "Répondant : Une réponse sur la première page.\n"
        "\fEnquêteur : Deuxième question, page 2 ?\n\n"
        "\fRépondant : Une réponse sur la deuxième page.\n"
    ).encode(),
    # pasted together: a UTF-8 part and a cp1252 part
    "mixed.txt": (
        "Enquêteur : Que pensez-vous de l'IA ?\n\n".encode()
        + "Répondant : Très utile, mais je crains pour la sécurité.\n".encode("cp1252")
    ),
    # a quote that is never closed swallows the rows after it
    "quote.csv": (
        'id,text\n'
        'P1,"Une réponse correcte."\n'
        'P2,"Une réponse dont le guillemet ne se ferme pas.\n'
        'P3,Une autre réponse.\n'
        'P4,Encore une.\n'
    ).encode(),
    # a YAML alias bomb in the front matter (482 bytes that expand to millions of values)
    "bomb.md": (
        "---\n"
        'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "---\n"
        "Enquêteur : Bonjour ?\n\nRépondant : Bonjour.\n"
    ).encode(),
}


def participants_fr() -> bytes:
    """A French participants sheet: ``fichier`` and ``rôle`` columns (cp1252, semicolons)."""
    return "fichier;rôle;âge\nok.txt;juriste;45\n".encode("cp1252")


def formula_workbook(path: Path) -> None:
    """Answers in .xlsx where two text cells are formulas (one never computed)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "réponse"])
    ws.append(["P1", "L'IA m'aide à rédiger."])
    ws.append(["P2", "=A2&\" pense que c'est utile\""])  # openpyxl stores no cached value
    ws.append(["P3", "=- je ne sais pas"])  # text typed after '=': Excel makes it a formula
    wb.save(path)


def huge_answer(path: Path, chars: int = 1_100_000) -> None:
    """An answer over 1,000,000 characters (spaCy refuses such texts: error E088)."""
    body = ("L'IA générative change notre travail. " * (chars // 38 + 1))[:chars]
    path.write_text(f"Enquêteur : Parlez-moi de l'IA ?\n\nRépondant : {body}\n", encoding="utf-8")


def codebook_bomb(path: Path) -> None:
    """A 362-byte codebook whose aliases expand beyond any memory."""
    lines = ["name: bomb", "version: '1'", 'a0: &a0 ["ia","ia","ia","ia","ia","ia","ia","ia","ia"]']
    for k in range(1, 9):
        lines.append(f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]")
    lines.append("codes: [{id: X, label: x, definition: d, lexicon: {fr: *a8}}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def deep_yaml(depth: int = 20_000) -> str:
    return "[" * depth + "]" * depth


def wide_codebook(path: Path, n_codes: int = 5_500) -> None:
    """A valid codebook with more codes than a review sheet has columns (3 per code)."""
    lines = ["name: wide", "version: '1'", "languages: [fr]", "codes:"]
    for k in range(n_codes):
        lines += [f"  - id: C{k}", f"    label: code {k}", f"    definition: le code numéro {k}",
                  f"    lexicon: {{fr: [motcle{k}]}}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_small(folder: Path) -> None:
    for name, data in SMALL.items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write_small(HERE)
    (HERE / "ok.txt").write_text(OK, encoding="utf-8")
    print(f"wrote {len(SMALL) + 1} files to {HERE}")
