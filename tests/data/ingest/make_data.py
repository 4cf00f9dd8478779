"""Regenerate the ingest test files with exact bytes: `python tests/data/ingest/make_data.py`.

Written from Python so that encodings (cp1252, UTF-16, BOMs, CRLF, no-break spaces) are exactly
what the tests claim; editors tend to "fix" such files silently.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
NBSP, NNBSP = "\u00a0", "\u202f"

FR_NBSP = (
    "Entretien n°3 — Hôpital Nord, 12 mars\n"
    "\n"
    f"Enquêtrice{NBSP}: Bonjour, pouvez-vous vous présenter ?\n"
    "\n"
    f"Marie{NNBSP}: Je suis infirmière depuis douze ans.\n"
    "Note: la réunion de service avait lieu le mardi.\n"
    "C’était long, à vrai dire.\n"
    "\n"
    f"[00:12:34] Enquêtrice{NBSP}: Et la charge de travail ?\n"
    "\n"
    "[00:13:02] MARIE : Le cœur y est, mais on est épuisés.\n"
)

# A short French answer with every accent the encoding tests check.
ACCENTS = "Q : Qu’avez-vous ressenti ?\nR : J’ai été ému, à cœur ouvert, œuvre collective.\n"

MD = (
    "---\n"
    "site: Lyon\n"
    "date: 2024-03-12\n"
    "role: manager\n"
    "---\n"
    "# Interview 7\n"
    "\n"
    "**Interviewer:** How do you use AI at work?\n"
    "\n"
    "**Tom :** Mostly for *drafting* emails.\n"
    "Sometimes for code.\n"
    "\n"
    "**Interviewer** : Anything else?\n"
    "\n"
    "**Tom** : No, that's it.\n"
)

QR_CRLF = "Q: Vous travaillez où ?\r\nR: À la mairie.\r\n\r\nQ: Depuis quand ?\r\nR: 2019.\r\n"

ESSAY = (
    "Ma vision du travail\n"
    "\n"
    "Le travail, pour moi, c'est d'abord une équipe.\n"
    "\n"
    "\n"
    "Ensuite viennent les outils : l'ordinateur, le téléphone.\n"
)

NAMES_ONLY = (
    "Sophie: So what do you do?\n"
    "Marc: I teach.\n"
    "Sophie: Since when?\n"
    "Marc: Since 2010.\n"
    "Remark: this line is part of Marc's answer.\n"
)

VTT = (
    "WEBVTT\n"
    "\n"
    "NOTE recorded on Teams\n"
    "\n"
    "1\n"
    "00:00:05.000 --> 00:00:07.500\n"
    "<v Interviewer>Welcome, thanks for joining.</v>\n"
    "\n"
    "2\n"
    "00:00:08.000 --> 00:00:10.000\n"
    "<v Sophie Martin>Thank you.</v>\n"
    "\n"
    "3\n"
    "00:00:10.000 --> 00:00:12.000\n"
    "<v Sophie Martin>I work in <i>logistics</i>.</v>\n"
    "\n"
    "00:00:12.500 --> 00:00:14.000\n"
    "and I like it &amp; my team.\n"
    "\n"
    "00:01:02.250 --> 00:01:04.000\n"
    "Interviewer: What changed last year?\n"
    "\n"
    "00:01:05.000 --> 00:01:09.000\n"
    "Sophie Martin: Everything.\n"
)

SRT = (
    "1\n"
    "00:00:01,000 --> 00:00:03,000\n"
    "Enquêteur : Bonjour.\n"
    "\n"
    "2\n"
    "00:00:03,500 --> 00:00:05,000\n"
    "Paul : Bonjour,\n"
    "\n"
    "3\n"
    "00:00:05,000 --> 00:00:08,000\n"
    "ravi d’être là.\n"
    "\n"
    "4\n"
    "00:00:08,000 --> 00:00:09,000\n"
    "Paul : Vraiment.\n"
    "\n"
    "5\n"
    "01:02:03,000 --> 01:02:05,000\n"
    "Enquêteur : Merci.\n"
)

ANSWERS_CSV = (
    "id,question,answer,age,site\n"
    'P01,Que faites-vous ?,"Je suis aide-soignante.",41,Lyon\n'
    "P02,Que faites-vous ?,Je suis cadre.,35,Paris\n"
    'P01,Et le stress ?,"Beaucoup.\nSurtout la nuit.",41,Lyon\n'
    "P02,Et le stress ?,,35,Paris\n"
)

TRANSCRIPTS = [
    {
        "transcript_id": "work_demo_1",
        "split": "workforce",
        "text": "Assistant: Hi! Thanks for joining.\n\nUser: Happy to.\n\nAI: What do you do?\n\n"
        "User: I'm a nurse.\nNote: nights mostly.\n\nAI: Thanks!",
    },
    {
        "transcript_id": "work_demo_2",
        "split": "workforce",
        "text": "Assistant: Hello.\n\nUser: Hi.\n\nAI: Tell me more.\n\nUser: Sure.",
    },
]

PARTICIPANTS = (
    "file;participant;âge;rôle;site\n"
    "fr_nbsp.txt;Marie;44; Infirmière ;Hôpital Nord\n"
    "interview_en;Tom;38;manager;Paris\n"
    "nobody.txt;Zoé;50;cadre;Nice\n"
    "paul_notes.txt;Paul;29;agent;Lille\n"
)


def write() -> None:
    (HERE / "broken").mkdir(exist_ok=True)
    (HERE / "fr_nbsp.txt").write_bytes(FR_NBSP.encode("utf-8"))
    (HERE / "accents_utf8_bom.txt").write_bytes(codecs.BOM_UTF8 + ACCENTS.encode("utf-8"))
    (HERE / "accents_utf16le.txt").write_bytes(codecs.BOM_UTF16_LE + ACCENTS.encode("utf-16-le"))
    (HERE / "accents_utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + ACCENTS.encode("utf-16-be"))
    (HERE / "accents_cp1252.txt").write_bytes(ACCENTS.encode("cp1252"))
    (HERE / "interview_en.md").write_bytes(MD.encode("utf-8"))
    (HERE / "qr_crlf.txt").write_bytes(QR_CRLF.encode("utf-8"))
    (HERE / "essay.txt").write_bytes(ESSAY.encode("utf-8"))
    (HERE / "names_only.txt").write_bytes(NAMES_ONLY.encode("utf-8"))
    (HERE / "meeting.vtt").write_bytes(VTT.encode("utf-8"))
    (HERE / "entretien.srt").write_bytes(SRT.encode("utf-8"))
    (HERE / "answers.csv").write_bytes(ANSWERS_CSV.encode("utf-8"))
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in TRANSCRIPTS)
    (HERE / "transcripts.jsonl").write_bytes(lines.encode("utf-8"))
    # Participants: latin-1 with ";" like a French Excel export. "paul_notes.txt" is no file:
    # that row matches the .srt transcript by speaker name ("Paul") instead.
    (HERE / "participants.csv").write_bytes(PARTICIPANTS.encode("latin-1"))
    (HERE / "README.md").write_bytes(b"# Test data for tests/test_ingest.py\n")
    (HERE / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # Folder mixing readable and unreadable files: ingest must report and carry on.
    (HERE / "broken" / "good.txt").write_bytes("Q: Ça va ?\nR: Oui.\n".encode())
    (HERE / "broken" / "empty.txt").write_bytes(b"")
    (HERE / "broken" / "garbage.txt").write_bytes(bytes(range(256)) * 4)
    (HERE / "broken" / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not a real zip")
    (HERE / "broken" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (HERE / "broken" / "later.txt").write_bytes(b"Interviewer: Hi.\nAnna: Hello.\n")


if __name__ == "__main__":
    write()
