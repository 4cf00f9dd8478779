"""Helpers for the REFI-QDA tests: hand-written .qdpx files, and reading an export back by hand.

The reader here is deliberately independent of qualcode.refi: plain zipfile + ElementTree, so
that the tests check the file against the standard, not against the code that wrote it.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

NS = {"q": "urn:QDA-XML:project:1.0"}
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "refi-check" / "samples"


def make_qdpx(path: Path, qde: str, files: dict[str, bytes]) -> Path:
    """A .qdpx from the project.qde text and sources/NAME -> bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("project.qde", qde.encode("utf-8"))
        for name, data in files.items():
            zf.writestr(f"sources/{name}", data)
    path.write_bytes(buf.getvalue())
    return path


def read_qdpx(path: Path) -> tuple[ET.Element, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
        files = {n: zf.read(n) for n in zf.namelist() if n != "project.qde"}
    return root, files


def selections(root: ET.Element, files: dict[str, bytes]) -> list[dict]:
    """Every coded selection: source name, text at [start, end) in code points, name, user, code."""
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    out = []
    for src in root.iterfind(".//q:TextSource", NS):
        text = files["sources/" + src.get("plainTextPath").removeprefix("internal://")].decode("utf-8")
        for sel in src.iterfind("q:PlainTextSelection", NS):
            a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
            desc = sel.find("q:Description", NS)
            for cd in sel.iterfind("q:Coding", NS):
                out.append({"source": src.get("name"), "start": a, "end": b, "text": text[a:b],
                            "name": sel.get("name"), "user": users[sel.get("creatingUser")],
                            "code": codes[cd.find("q:CodeRef", NS).get("targetGUID")],
                            "memo": desc.text if desc is not None else "", "time": sel.get("creationDateTime")})
    return out


# A project as another program would write it, by hand. Source 1 ("entretien_A", CRLF line
# breaks counted as ONE character, as MAXQDA does; its selections name their text so the
# import can prove it): an interviewer question, two respondent answers. Source 2 has a BOM,
# no speaker labels (paragraphs). Codes nested three deep (a category that is not codable).
TEXT_A = ("Enquêteur : Comment utilisez-vous l'IA ?\r\n"
          "Marie : Pour rédiger mes courriers. Ça me fait gagner du temps 😀.\r\n"
          "Enquêteur : Et la sécurité des données ?\r\n"
          "Marie : Je n'y mets jamais de données clients. Jamais !\r\n")
TEXT_B = ("Premier paragraphe : l'équipe a peur pour ses emplois.\n\n"
          "Deuxième paragraphe, sur la formation : je me forme seule, le soir.\n")


def _pos_crlf_as_one(raw: str, needle: str) -> tuple[int, int]:
    """Where ``needle`` is in ``raw`` when each CRLF counts as one character."""
    i = raw.index(needle)
    collapsed = raw[:i].replace("\r\n", "\n")
    return len(collapsed), len(collapsed) + len(needle.replace("\r\n", "\n"))


def hand_written_qdpx(path: Path) -> Path:
    a1 = _pos_crlf_as_one(TEXT_A, "Pour rédiger mes courriers.")  # inside answer 1
    a2 = _pos_crlf_as_one(TEXT_A, "Je n'y mets jamais de données clients. Jamais !")  # all of answer 2
    span = _pos_crlf_as_one(TEXT_A, "Ça me fait gagner du temps 😀.\r\nEnquêteur : Et la sécurité des données ?\r\n"
                                    "Marie : Je n'y mets jamais de données clients. Jamais !")
    q = _pos_crlf_as_one(TEXT_A, "Comment utilisez-vous l'IA ?")  # the interviewer's question
    b1 = (TEXT_B.index("l'équipe"), TEXT_B.index("l'équipe") + len("l'équipe a peur pour ses emplois."))
    b2s = TEXT_B.index("Deuxième")
    b2 = (b2s, TEXT_B.index("le soir.") + len("le soir."))

    def sel(guid, ab, name, user, code, desc="", extra=""):
        d = f"<Description>{desc}</Description>" if desc else ""
        c = (f'<Coding guid="{guid[:-4]}c0de" creatingUser="{user}" creationDateTime="2024-05-02T09:30:00Z">'
             f'<CodeRef targetGUID="{code}"/>{extra}</Coding>') if code else ""
        return (f'<PlainTextSelection guid="{guid}" name="{name}" startPosition="{ab[0]}" endPosition="{ab[1]}" '
                f'creatingUser="{user}" creationDateTime="2024-05-01T10:00:00+02:00">{d}{c}</PlainTextSelection>')

    LEA, TOM = "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"
    CAT, USAGE, GAIN, SECU, EMPLOI, FORM = (f"cccccccc-0000-4000-8000-00000000000{k}" for k in range(1, 7))
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Projet équipe" origin="MAXQDA 2022">
 <Users><User guid="{LEA}" name="Léa"/><User guid="{TOM}" name="Tom"/></Users>
 <CodeBook><Codes>
  <Code guid="{CAT}" name="Usages" isCodable="false" color="#abc">
   <Code guid="{USAGE}" name="Rédaction" isCodable="true" color="#FF0000">
    <Description>Écrire avec l'IA.</Description>
    <Code guid="{GAIN}" name="Gain de temps" isCodable="true"/>
   </Code>
  </Code>
  <Code guid="{SECU}" name="Sécurité des données" isCodable="true"><NoteRef targetGUID="eeeeeeee-0000-4000-8000-000000000003"/></Code>
  <Code guid="{EMPLOI}" name="Emploi" isCodable="true"/>
  <Code guid="{FORM}" name="Formation" isCodable="true"/>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="dddddddd-0000-4000-8000-000000000001" name="âge" typeOfVariable="Integer"/>
  <Variable guid="dddddddd-0000-4000-8000-000000000002" name="site" typeOfVariable="Text"/>
  <Variable guid="dddddddd-0000-4000-8000-000000000003" name="cadre" typeOfVariable="Boolean"/>
 </Variables>
 <Cases>
  <Case guid="bbbbbbbb-0000-4000-8000-000000000001" name="Marie">
   <Description>Cheffe de projet.</Description>
   <VariableValue><VariableRef targetGUID="dddddddd-0000-4000-8000-000000000001"/><IntegerValue>41</IntegerValue></VariableValue>
   <SourceRef targetGUID="ffffffff-0000-4000-8000-00000000000a"/>
  </Case>
  <Case guid="bbbbbbbb-0000-4000-8000-000000000002">
   <VariableValue><VariableRef targetGUID="dddddddd-0000-4000-8000-000000000003"/><BooleanValue>true</BooleanValue></VariableValue>
   <SourceRef targetGUID="ffffffff-0000-4000-8000-00000000000b"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="ffffffff-0000-4000-8000-00000000000a" name="entretien_A.docx" plainTextPath="internal://a.txt">
   {sel("11111111-0000-4000-8000-000000000001", a1, "Pour rédiger mes courriers.", LEA, USAGE, "mémo &amp; « remarque »")}
   {sel("11111111-0000-4000-8000-000000000002", a2, "Je n'y mets jamais de données clients. Jamais !", LEA, SECU,
        extra='<NoteRef targetGUID="eeeeeeee-0000-4000-8000-000000000001"/>')}
   {sel("11111111-0000-4000-8000-000000000003", span, "Ça me fait gagner du temps 😀. Enquêteur : Et la sécurité des données ? Marie : Je n'y mets jamais de données clients. Jamais !", TOM, GAIN)}
   {sel("11111111-0000-4000-8000-000000000004", q, "Comment utilisez-vous l'IA ?", TOM, USAGE)}
   {sel("11111111-0000-4000-8000-000000000005", a1, "Pour rédiger mes courriers.", TOM, "", "une annotation")}
   <VariableValue><VariableRef targetGUID="dddddddd-0000-4000-8000-000000000002"/><TextValue>Lyon</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="ffffffff-0000-4000-8000-00000000000b" name="entretien B" plainTextPath="internal://b.txt">
   {sel("11111111-0000-4000-8000-000000000006", b1, "l'équipe a peur pour ses emplois.", LEA, EMPLOI)}
   {sel("11111111-0000-4000-8000-000000000007", b2, "Deuxième paragraphe, sur la formation : je me forme seule, le soir.", LEA, FORM)}
  </TextSource>
 </Sources>
 <Notes>
  <Note guid="eeeeeeee-0000-4000-8000-000000000001" name="n1" creationDateTime="2024-05-01T10:00:00Z"><PlainTextContent>clients = mot-clé</PlainTextContent></Note>
  <Note guid="eeeeeeee-0000-4000-8000-000000000002" name="Journal" creationDateTime="2024-05-01T10:00:00Z" plainTextPath="internal://j.txt"/>
  <Note guid="eeeeeeee-0000-4000-8000-000000000003" name="Mémo sécurité" creationDateTime="2024-05-01T10:00:00Z"><PlainTextContent>Code à surveiller.</PlainTextContent></Note>
 </Notes>
 <Description>Projet codé à deux dans MAXQDA.</Description>
</Project>"""
    return make_qdpx(path, qde, {"a.txt": TEXT_A.encode("utf-8"),
                                 "b.txt": b"\xef\xbb\xbf" + TEXT_B.encode("utf-8"),
                                 "j.txt": b"Notes de terrain."})
