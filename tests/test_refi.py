"""REFI-QDA exchange (.qdpx / .qdc): export, import, round trips, other tools' files and quirks.

Expected values come from outside qualcode.refi: the files are read back with zipfile and
ElementTree (``_refi_fixtures``), decisions are compared with what the original store holds,
and the hand-written project's decisions were worked out by hand from its text.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from _refi_fixtures import (
    NS,
    SAMPLES,
    TEXT_A,
    TEXT_B,
    hand_written_qdpx,
    make_qdpx,
    read_qdpx,
    selections,
)
from qualcode import Coding, Source, Store, code_project, load_codebook, segment_source
from qualcode.cli import main
from qualcode.errors import ExchangeError
from qualcode.ingest import ingest
from qualcode.refi import (
    export_codebook,
    export_project,
    import_codebook,
    import_project,
    map_selection,
)

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "data" / "mini_codebook.yaml"
CODEBOOK = REPO / "codebook" / "ai_at_work.yaml"


def state(db: Path) -> dict:
    """Everything a round trip must keep, read with the store's public methods."""
    with Store(db) as st:
        return {
            "texts": {s.id: s.text for s in st.sources()},
            "attributes": {s.id: s.attributes for s in st.sources()},
            "segments": [(s.id, s.source_id, s.start, s.end, s.text) for s in st.segments()],
            "codebook": (st.codebook().version, st.codebook().ids),
            "decisions": sorted((c.segment_id, c.code_id, c.coder, c.applied, c.memo, c.created_at)
                                for c in st.human_codings()),
        }


# -- the sample project: `qualcode code` on transcripts/, then reviewers' decisions ----------

@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("sample")
    db = work / "q.db"
    code_project([REPO / "transcripts"], codebook=CODEBOOK, db=db, out=None, coder="lexicon")
    rng = random.Random(13)
    with Store(db) as st:
        segs, cb = st.segments(), st.codebook()
        decisions = []
        for who, when in (("Marie", "2026-01-05T10:00:00+00:00"), ("Paul Éluard", "2026-02-10T16:30:00+00:00")):
            for s in rng.sample(segs, 20):
                for c in rng.sample(cb.ids, 3):
                    decisions.append(Coding(s.id, c, rng.random() < 0.6, None, [], who, "human", cb.version, when,
                                            memo=rng.choice(["", "à revoir & <vérifier> 🙂", "ligne 1\nligne 2"])))
        st.add_human_codings(decisions, origin="test")
    return db


def test_sample_export_is_standard_and_complete(sample_db, tmp_path):
    with Store(sample_db) as st:
        res = export_project(st, tmp_path / "p.qdpx")
        every = export_project(st, tmp_path / "all.qdpx", machine="all")
        bare = export_project(st, tmp_path / "none.qdpx", machine="none")
    root, files = read_qdpx(tmp_path / "p.qdpx")
    assert root.get("origin", "").startswith("qualcode ")
    with Store(sample_db) as st:
        sources = {s.id: s for s in st.sources()}
        segs = {s.id: s for s in st.segments()}
        human = st.human_codings()
        machine = st.machine_codings()
    # every source as a UTF-8 file without BOM, exactly the stored text
    for ts in root.iterfind(".//q:TextSource", NS):
        data = files["sources/" + ts.get("plainTextPath").removeprefix("internal://")]
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8") == sources[ts.get("name")].text
    sels = selections(root, files)
    # each selection's name is its text at [start, end) in code points
    assert all(s["name"] == s["text"] for s in sels)
    got_human = sorted((s["user"], s["source"], s["start"], s["end"], s["memo"] or "") for s in sels
                       if not s["user"].startswith("qualcode"))
    want_human = sorted((c.coder, segs[c.segment_id].source_id, segs[c.segment_id].start, segs[c.segment_id].end,
                         c.memo) for c in human if c.applied)
    assert got_human == want_human and res.human_codings == len(want_human)
    decided = {(c.segment_id, c.code_id) for c in human}
    unreviewed = [k for k, e in machine.items() if e.applied and k not in decided]
    assert res.machine_codings == len(unreviewed) == sum(s["user"].startswith("qualcode") for s in sels)
    assert every.machine_codings == sum(e.applied for e in machine.values()) > res.machine_codings
    # exporting again gives the same GUIDs: another tool can recognise what it already has
    with Store(sample_db) as st:
        export_project(st, tmp_path / "again.qdpx")
    guids = [{el.get("guid") for el in read_qdpx(p)[0].iter() if el.get("guid")}
             for p in (tmp_path / "p.qdpx", tmp_path / "again.qdpx")]
    assert guids[0] == guids[1] and len(guids[0]) > 100
    assert bare.machine_codings == 0 and bare.human_codings == res.human_codings
    # the codebook: nested like the YAML, with colours and definitions
    cb = load_codebook(CODEBOOK)
    codes = {c.get("name"): c for c in root.iterfind(".//q:Code", NS)}
    for code in cb.codes:
        el = codes[code.label["fr"]]
        assert el.get("color") == code.color
        assert el.find("q:Description", NS).text.startswith(code.definition["fr"])
    # participants as cases with variables
    assert len(root.findall(".//q:Case", NS)) == sum(1 for s in sources.values() if s.attributes)
    assert root.find("q:Description", NS).text.startswith("Projet qualcode")


@pytest.mark.parametrize("crlf", [False, True])
def test_sample_round_trip_keeps_texts_codes_and_decisions(sample_db, tmp_path, crlf):
    with Store(sample_db) as st:
        export_project(st, tmp_path / "p.qdpx", crlf=crlf)
    with Store(tmp_path / "new.db") as st:
        res = import_project(st, tmp_path / "p.qdpx", sources_dir=tmp_path / "texts")
    assert res.unmapped == [] and res.implicit_no == 0 and res.machine_skipped > 0
    assert state(tmp_path / "new.db") == state(sample_db)
    # the texts are written where `qualcode code` will find them, with the same ids
    assert sorted(p.stem for p in (tmp_path / "texts").glob("*.txt")) == sorted(state(sample_db)["texts"])
    # importing the same file again changes nothing
    with Store(tmp_path / "new.db") as st:
        again = import_project(st, tmp_path / "p.qdpx", sources_dir=tmp_path / "texts")
    assert again.stored == 0 and again.sources_new == [] and len(again.sources_matched) == 6


def test_colleague_coding_in_another_tool_comes_back_onto_the_same_segments(sample_db, tmp_path):
    """qualcode -> .qdpx -> a colleague codes in NVivo -> NVivo's export (no qualcode side file)
    -> back into the same project: texts are matched, codes matched by name, decisions land on
    the project's own segments, and the colleague's uncoded segments count as "no"."""
    db = tmp_path / "q.db"
    shutil.copy(sample_db, db)
    with Store(db) as st:
        export_project(st, tmp_path / "p.qdpx")  # with the machine's unreviewed proposals
        before = {s.id: s for s in st.segments()}
        marie_yes = {(c.segment_id, c.code_id) for c in st.human_codings() if c.coder == "Marie" and c.applied}
        n_codes = len(st.codebook().ids)
    root, files = read_qdpx(tmp_path / "p.qdpx")
    qde = zipfile.ZipFile(tmp_path / "p.qdpx").read("project.qde").decode("utf-8")
    qde = qde.replace('name="Marie"', 'name="Marie (NVivo)"')
    make_qdpx(tmp_path / "nvivo.qdpx", qde, {k.removeprefix("sources/"): v for k, v in files.items()
                                             if not k.endswith(".json")})
    with Store(db) as st:
        res = import_project(st, tmp_path / "nvivo.qdpx", sources_dir=tmp_path / "unused")
        after = {s.id: s for s in st.segments()}
        got = [c for c in st.human_codings() if c.coder == "Marie (NVivo)"]
    assert res.sources_new == [] and len(res.sources_matched) == 6 and res.codes_new == []
    assert res.machine_skipped > 0 and "qualcode (machine : lexicon)" not in res.users  # not a reviewer
    assert after.keys() == before.keys() and not (tmp_path / "unused").exists()
    assert {(c.segment_id, c.code_id) for c in got if c.applied} == marie_yes
    touched = {before[s].source_id for s, _ in marie_yes}
    n_segs = sum(1 for s in before.values() if s.source_id in touched)
    assert sum(not c.applied for c in got) == n_segs * n_codes - len(marie_yes) == res.implicit_no


# -- random decision sets: accents, emoji, CRLF files, very long answers ----------------------

WORDS = ["données", "équipe", "sécurité", "😀", "🎉", "emploi", "IA", "œuvre", "façon", "naïve", "—", "« oui »",
         "clients", "jobs", "leak", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]


def random_project(tmp: Path, seed: int) -> Path:
    rng = random.Random(seed)
    folder = tmp / "in"
    folder.mkdir()
    for i in range(4):
        lines = []
        for k in range(rng.randint(2, 5)):
            lines.append(f"Enquêteur : Question {k} {rng.choice(WORDS)} ?")
            n = 3000 if (i == 0 and k == 0) else rng.randint(3, 40)  # one very long answer
            words = " ".join(rng.choice(WORDS) for _ in range(n))
            lines.append(f"Marie : {words}\n\n{rng.choice(WORDS)} encore.")
        raw = "\n".join(lines) + "\n"
        eol = "\r\n" if i % 2 else "\n"  # CRLF files on disk
        (folder / f"entretien_{i}.txt").write_bytes(raw.replace("\n", eol).encode("utf-8"))
    rep = ingest([folder])
    cb = load_codebook(MINI)
    db = tmp / "q.db"
    with Store(db) as st:
        st.save_codebook(cb)
        st.save_sources(rep.sources)
        for s in rep.sources:
            st.replace_segments(s.id, segment_source(s, "paragraph"), "paragraph")
        segs = st.segments()
        out = []
        for who in ("Léa", "Zoë 🌸", "O'Brien"):
            for s in rng.sample(segs, min(len(segs), 12)):
                for c in cb.ids:
                    if rng.random() < 0.6:
                        t = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:07:00+00:00"
                        memo = rng.choice(["", "", " ".join(rng.choice(WORDS) for _ in range(5)), "a & b < c\r\nd"])
                        out.append(Coding(s.id, c, rng.random() < 0.5, None, [], who, "human", cb.version, t, memo=memo))
        st.add_human_codings(out, origin="test")
    return db


@pytest.mark.parametrize("seed", range(4))
def test_random_decisions_round_trip(tmp_path, seed):
    db = random_project(tmp_path, seed)
    crlf = seed % 2 == 1
    with Store(db) as st:
        export_project(st, tmp_path / "r.qdpx", crlf=crlf, machine="none")
    root, files = read_qdpx(tmp_path / "r.qdpx")
    texts = [v for k, v in files.items() if k.endswith(".txt")]
    assert any(b"\r\n" in t for t in texts) == crlf
    assert all(s["name"] == s["text"] for s in selections(root, files))  # code points, CRLF included
    with Store(tmp_path / "new.db") as st:
        import_project(st, tmp_path / "r.qdpx", sources_dir=tmp_path / "texts")
    assert state(tmp_path / "new.db") == state(db)


def test_emoji_offsets_are_code_points(tmp_path):
    """'😀' is one position for REFI-QDA (and Python), two for UTF-16 tools: a selection after it
    must start at its code point index."""
    text = "Enquêteur : 😀😀 alors ?\nRépondant : la sécurité des données."
    src = Source("e", "e.txt", text, "txt", "x", language="fr", turns=[])
    from qualcode.ingest import parse_turns

    src.turns = parse_turns(text)
    cb = load_codebook(MINI)
    with Store(tmp_path / "q.db") as st:
        st.save_codebook(cb)
        st.save_sources([src])
        (seg,) = segment_source(src)
        st.replace_segments("e", [seg], "turn")
        st.add_human_codings([Coding(seg.id, "DATA", True, None, [], "Léa", "human", cb.version,
                                     "2025-01-01T00:00:00+00:00")], "t")
    with Store(tmp_path / "q.db") as st:
        export_project(st, tmp_path / "e.qdpx")
    root, files = read_qdpx(tmp_path / "e.qdpx")
    (sel,) = selections(root, files)
    # hand-counted: "Enquêteur : " 12, two emoji 2, " alors ?" 8, "\n" 1, "Répondant : " 12 -> 35 (37 in UTF-16)
    assert (sel["start"], sel["end"]) == (35, len(text))


# -- another tool's project, written by hand ---------------------------------------------------

def test_hand_written_project_import(tmp_path):
    qdpx = hand_written_qdpx(tmp_path / "equipe.qdpx")
    with Store(tmp_path / "q.db") as st:
        res = import_project(st, qdpx, sources_dir=tmp_path / "textes")
        cb = st.codebook()
        got = sorted((c.segment_id, c.code_id, c.coder, c.applied, c.memo, c.created_at)
                     for c in st.human_codings())
        srcs = {s.id: s for s in st.sources()}
        segs = {s.id: s.text for s in st.segments()}
    # texts: exactly the file's, "\n" line breaks, BOM gone
    assert srcs["entretien_A"].text == TEXT_A.replace("\r\n", "\n")
    assert srcs["entretien B"].text == TEXT_B
    assert segs["entretien_A#1"] == "Pour rédiger mes courriers. Ça me fait gagner du temps 😀."
    assert segs["entretien_A#3"] == "Je n'y mets jamais de données clients. Jamais !"
    # codes: ids from names, the hierarchy, colours, definitions, memos
    assert cb.ids == ["USAGES", "REDACTION", "GAIN_DE_TEMPS", "SECURITE_DES_DONNEES", "EMPLOI", "FORMATION"]
    assert cb.code("GAIN_DE_TEMPS").parent == "REDACTION" and cb.code("REDACTION").parent == "USAGES"
    assert cb.code("USAGES").color == "#AABBCC" and cb.code("REDACTION").color == "#FF0000"
    assert cb.code("REDACTION").definition == {"fr": "Écrire avec l'IA."}
    assert "memo: Code à surveiller." in res.codebook_path.read_text(encoding="utf-8")
    # cases and variables: a named case, an unnamed one (MAXQDA style), a source variable
    assert srcs["entretien_A"].attributes == {"site": "Lyon", "âge": 41, "case": "Marie",
                                              "case memo": "Cheffe de projet."}
    assert srcs["entretien B"].attributes == {"cadre": True}
    # decisions, worked out by hand (see _refi_fixtures): Léa 4 codings, Tom one spanning two answers
    lea, tom = "2024-05-02T09:30:00+00:00", "2024-05-02T09:30:00+00:00"
    yes = [("entretien_A#1", "REDACTION", "Léa", True, "mémo & « remarque »", lea),
           ("entretien_A#3", "SECURITE_DES_DONNEES", "Léa", True, "clients = mot-clé", lea),
           ("entretien B#0", "EMPLOI", "Léa", True, "", lea),
           ("entretien B#1", "FORMATION", "Léa", True, "", lea),
           ("entretien_A#1", "GAIN_DE_TEMPS", "Tom", True, "", tom),
           ("entretien_A#3", "GAIN_DE_TEMPS", "Tom", True, "", tom)]
    codable = ["REDACTION", "GAIN_DE_TEMPS", "SECURITE_DES_DONNEES", "EMPLOI", "FORMATION"]
    no = [(seg, code, who, False, "", lea) for who, segs_ in (("Léa", ["entretien_A#1", "entretien_A#3",
                                                                      "entretien B#0", "entretien B#1"]),
                                                             ("Tom", ["entretien_A#1", "entretien_A#3"]))
          for seg in segs_ for code in codable if (seg, code, who) not in {(y[0], y[1], y[2]) for y in yes}]
    assert got == sorted(yes + no)
    assert (res.mapped_exact, res.mapped_part, res.mapped_span) == (2, 2, 1)
    # the interviewer's question cannot be mapped: reported with its text and why
    (un,) = res.unmapped
    assert (un.code, un.user, un.text) == ("REDACTION", "Tom", "Comment utilisez-vous l'IA ?")
    assert "interviewer" in un.reason
    assert res.annotations == [("entretien_A.docx", "Pour rédiger mes courriers.", "une annotation")]
    assert any("CRLF counted as one" in w for w in res.warnings)
    assert any("byte-order mark" in w for w in res.warnings)
    assert any("unnamed case" in w for w in res.warnings)
    assert ("Journal", "Notes de terrain.") in res.notes


def test_crlf_counted_as_one_without_names_follows_the_tools_habit(tmp_path):
    """No selection names its text: MAXQDA's origin says how it counts CRLF."""
    qdpx = hand_written_qdpx(tmp_path / "h.qdpx")
    qde = zipfile.ZipFile(qdpx).read("project.qde").decode("utf-8")
    files = {n.removeprefix("sources/"): zipfile.ZipFile(qdpx).read(n) for n in zipfile.ZipFile(qdpx).namelist()
             if n.startswith("sources/")}
    import re

    make_qdpx(tmp_path / "n.qdpx", re.sub(r' name="[^"]*" startPosition', " startPosition", qde), files)
    with Store(tmp_path / "q.db") as st:
        res = import_project(st, tmp_path / "n.qdpx", sources_dir=tmp_path / "t")
        got = {(c.segment_id, c.code_id, c.coder) for c in st.human_codings() if c.applied}
    assert ("entretien_A#3", "SECURITE_DES_DONNEES", "Léa") in got and len(res.unmapped) == 1
    assert any("CRLF counted as one" in w for w in res.warnings)


def test_mapping_rule_by_hand():
    text = "aaaa bbbb cccc dddd"
    segs = [Segment_(f"s#{k}", 5 * k, 5 * k + 4) for k in range(4)]
    assert ids(map_selection(text, 0, 4, segs)) == (["s#0"], "exact")
    assert ids(map_selection(text, 1, 3, segs)) == (["s#0"], "part")  # inside one segment
    # half of s#0, all of s#1, half of s#2: "at least half" takes all three
    assert ids(map_selection(text, 2, 12, segs)) == (["s#0", "s#1", "s#2"], "span")
    assert ids(map_selection(text, 3, 12, segs)) == (["s#1", "s#2"], "span")  # a quarter of s#0 is not enough
    got, why = map_selection(text, 3, 6, segs)  # 1/4 of s#0 and 1/4 of s#1: neither
    assert got == [] and "without covering half" in why
    assert map_selection(text, 4, 5, segs)[0] == []  # only a space


def Segment_(sid: str, a: int, b: int):
    from qualcode import Segment

    return Segment(sid, "s", 0, a, b, "")


def ids(r):
    return [s.id for s in r[0]], r[1]


# -- QualCoder's own export (from the checker's samples) ----------------------------------------

@pytest.fixture
def qualcoder_sample() -> Path:
    p = SAMPLES / "qualcoder_export.qdpx"
    if not p.exists():
        pytest.skip("../shared/tools/refi-check/samples is not present")
    return p


def test_qualcoder_export_import(qualcoder_sample, tmp_path):
    with Store(tmp_path / "q.db") as st:
        res = import_project(st, qualcoder_sample, sources_dir=tmp_path / "qc")
        got = {(c.segment_id, c.code_id, c.coder, c.applied, c.memo) for c in st.human_codings()}
        srcs = {s.id: s for s in st.sources()}
        cb = st.codebook()
    # the file's texts have a BOM (QualCoder's exporter): removed, positions still right
    assert srcs["interview_anna"].text.startswith("Anna: I moved")
    assert any("byte-order mark" in w for w in res.warnings)
    assert cb.code("EMPLOYMENT").parent == "EXPERIENCES"
    # each interview has no blank line: one paragraph, one segment; alex's six codings on them
    assert got == {("interview_anna#0", "EMPLOYMENT", "alex", True, ""),
                   ("interview_anna#0", "SUPPORT", "alex", True, ""),
                   ("interview_anna#0", "WELLBEING", "alex", True, "Positive turn, after the em dash."),
                   ("interview_ben#0", "EMPLOYMENT", "alex", True, ""),
                   ("interview_ben#0", "WELLBEING", "alex", True, ""),
                   ("interview_ben#0", "SUPPORT", "alex", True, "")}
    # its case points to a source that does not exist (a QualCoder bug): linked by name, reported
    assert srcs["interview_anna"].attributes["age"] == 34
    assert srcs["interview_anna"].attributes["interviewer"] == "Sam"
    assert any("does not have" in w for w in res.warnings)
    assert res.annotations == [("interview_ben.txt", "first winter", "Season matters here.")]


@pytest.mark.parametrize(("name", "convention"), [("broken_offsets_utf16.qdpx", "UTF-16"),
                                                  ("broken_offsets_bytes.qdpx", "UTF-8 bytes")])
def test_other_tools_offset_bugs_are_detected_and_fixed(tmp_path, name, convention):
    p = SAMPLES / name
    if not p.exists():
        pytest.skip("../shared/tools/refi-check/samples is not present")
    with Store(tmp_path / "q.db") as st:
        res = import_project(st, p, sources_dir=tmp_path / "t")
    assert any(convention in w for w in res.warnings)
    # same decisions as the correct file says
    with Store(tmp_path / "ok.db") as st:
        import_project(st, SAMPLES / "minimal_fr.qdpx", sources_dir=tmp_path / "ok")
    strip = lambda rows: sorted(r[:4] for r in rows)  # noqa: E731
    assert strip(state(tmp_path / "q.db")["decisions"]) == strip(state(tmp_path / "ok.db")["decisions"])


def test_broken_files_give_clear_errors(tmp_path):
    bad = tmp_path / "x.qdpx"
    bad.write_bytes(b"not a zip at all")
    with Store(tmp_path / "q.db") as st:
        with pytest.raises(ExchangeError, match=r"x\.qdpx: not a REFI-QDA project file .*ZIP"):
            import_project(st, bad, sources_dir=tmp_path / "t")
        nox = make_qdpx(tmp_path / "y.qdpx", "<Project xmlns='urn:QDA-XML:project:1.0' name='p'><Sources>", {})
        with pytest.raises(ExchangeError, match=r"y\.qdpx \(project\.qde\): not well-formed XML at line 1"):
            import_project(st, nox, sources_dir=tmp_path / "t")
        missing = make_qdpx(tmp_path / "z.qdpx", "<Project xmlns='urn:QDA-XML:project:1.0' name='p'><Sources>"
                            "<TextSource guid='ffffffff-0000-4000-8000-000000000001' name='doc' "
                            "plainTextPath='internal://gone.txt'/></Sources></Project>", {})
        with pytest.raises(ExchangeError, match=r"(?s)z\.qdpx.*source 'doc': its text file internal://gone\.txt is not"):
            import_project(st, missing, sources_dir=tmp_path / "t")
        empty = tmp_path / "w.qdpx"
        with zipfile.ZipFile(empty, "w") as zf:
            zf.writestr("readme.txt", "hello")
        with pytest.raises(ExchangeError, match="no project.qde"):
            import_project(st, empty, sources_dir=tmp_path / "t")
        assert st.sources() == []  # nothing half-imported


@pytest.mark.parametrize(("name", "message"), [
    ("not_a_zip.qdpx", r"not_a_zip\.qdpx: not a REFI-QDA project file \(a \.qdpx is a ZIP archive"),
    ("broken_missing_file.qdpx", r"(?s)broken_missing_file\.qdpx: cannot import.*source 'entretien_marie': its "
                                 r"text file internal://\S+\.txt is not in the archive"),
])
def test_checker_broken_samples_are_refused_clearly(tmp_path, name, message):
    p = SAMPLES / name
    if not p.exists():
        pytest.skip("../shared/tools/refi-check/samples is not present")
    with Store(tmp_path / "q.db") as st:
        with pytest.raises(ExchangeError, match=message):
            import_project(st, p, sources_dir=tmp_path / "t")
        assert st.sources() == []


def test_checker_samples_with_quirks_import_with_warnings(tmp_path):
    """A BOM on every text and a coding whose code reference is broken: imported, reported."""
    if not (SAMPLES / "broken_bom.qdpx").exists():
        pytest.skip("../shared/tools/refi-check/samples is not present")
    with Store(tmp_path / "a.db") as st:
        bom = import_project(st, SAMPLES / "broken_bom.qdpx", sources_dir=tmp_path / "a")
    with Store(tmp_path / "b.db") as st:
        schema = import_project(st, SAMPLES / "broken_schema.qdpx", sources_dir=tmp_path / "b")
    with Store(tmp_path / "ok.db") as st:
        import_project(st, SAMPLES / "minimal_fr.qdpx", sources_dir=tmp_path / "ok")
    assert any("byte-order mark" in w for w in bom.warnings) and bom.unmapped == []
    assert state(tmp_path / "a.db")["decisions"] == state(tmp_path / "ok.db")["decisions"]
    (un,) = schema.unmapped
    assert un.text == "je suis épanouie 😀, même si l'hiver est rude" and "no code" in un.reason


# -- codebooks (.qdc) ----------------------------------------------------------------------------

def test_codebook_qdc_round_trip(tmp_path):
    cb = load_codebook(CODEBOOK)
    export_codebook(cb, tmp_path / "c.qdc", language="en")
    import xml.etree.ElementTree as ET

    root = ET.parse(tmp_path / "c.qdc").getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    out, back = import_codebook(tmp_path / "c.qdc", tmp_path / "c.yaml", language="en")
    assert [c.label["en"] for c in back.codes] == [c.label["en"] for c in cb.codes]
    for a, b in zip(cb.codes, back.codes):
        assert b.color == a.color
        assert b.definition["en"] == a.definition["en"]
        assert b.include["en"] == a.include["en"] and b.exclude["en"] == a.exclude["en"]
    nested = load_codebook(MINI)
    export_codebook(nested, tmp_path / "m.qdc")
    _, m = import_codebook(tmp_path / "m.qdc", tmp_path / "m.yaml")
    assert m.code("DATA_LEAKS").parent == "DATA_SECURITY"


# -- after an import: agreement with qualcode's coder, and training ----------------------------

def test_imported_coders_feed_agreement_and_training(tmp_path, monkeypatch):
    qdpx = hand_written_qdpx(tmp_path / "equipe.qdpx")
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(qdpx), "--db", "q.db", "--sources", "textes"]) == 0
    # qualcode's coder on the imported texts keeps the segments the decisions are on
    before = state(tmp_path / "q.db")
    code_project([tmp_path / "textes"], codebook=tmp_path / "codebook_equipe.yaml", db=tmp_path / "q.db",
                 out=None, coder="lexicon")
    after = state(tmp_path / "q.db")
    assert after["segments"] == before["segments"] and after["decisions"] == before["decisions"]
    from qualcode.agreement import compute_agreement
    from qualcode.coders.learning import train

    with Store(tmp_path / "q.db") as st:
        report = compute_agreement(st)
        assert report.reviewers == ["Léa", "Tom"]
        pooled = report.row("Léa vs machine", "ALL (pooled)")
        assert pooled.units == 4 * 5 and pooled.applied[0] == 4  # 4 segments x 5 codable codes, 4 applied
        assert report.row("Léa vs Tom", "ALL (pooled)").units == 2 * 5
        coder, _ = train(st.codebook(), store=st, semantic_model="hashing")
    assert coder.provenance is not None and coder.provenance.n_segments == 4


def test_cli_export_import_and_help(sample_db, tmp_path, capsys, monkeypatch):
    db = tmp_path / "q.db"
    shutil.copy(sample_db, db)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "p.qdpx", "--db", str(db), "--machine", "none", "--crlf"]) == 0
    out = capsys.readouterr().out
    assert "projet : p.qdpx (6 sources" in out and "fins de ligne CRLF" in out  # a French project
    assert main(["export", "p.qdpx", "--db", str(db), "--machine", "none", "--crlf", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "project: p.qdpx (6 sources" in out and "line endings CRLF" in out
    assert main(["export", "c.qdc", "--db", str(db)]) == 0
    assert main(["import", "p.qdpx", "--db", "new.db", "--dry-run"]) == 0
    assert "would import 6 new source(s)" in capsys.readouterr().out  # no project yet: English
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "p").exists()
    assert main(["import", "p.qdpx", "--db", "new.db", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "6 new source(s) into p" in out and "0 not mapped" in out and "next: qualcode code p" in out
    assert (tmp_path / "outputs" / "import-p.txt").exists()
    assert main(["import", "p.qdpx", "--db", "new.db", "--dry-run"]) == 0  # into a French project: French
    out = capsys.readouterr().out
    assert "p.qdpx : importerait 0 nouvelle(s) source(s) dans p, 6 déjà dans le projet (même texte)" in out
    assert "would" not in out and "decisions:" not in out and "décisions : " in out
    assert main(["import", "c.qdc", "--codebook-out", "cb.yaml"]) == 0
    assert main(["export", "p.txt", "--db", str(db)]) == 2
    assert "donnez un nom de fichier finissant par .qdpx" in capsys.readouterr().err  # a French project
    assert main(["export", "p.txt", "--db", str(db), "--language", "en"]) == 2
    assert "give a file name ending in .qdpx" in capsys.readouterr().err


def test_help_names_the_tools_and_the_rules():
    from test_cli import subcommands

    cmds = subcommands()
    ex, im = cmds["export"].format_help(), cmds["import"].format_help()
    for tool in ("QualCoder", "MAXQDA", "ATLAS.ti", "NVivo"):
        assert tool in ex, tool
    assert "--crlf" in ex and "CRLF" in ex and "LF" in ex
    assert "at least half" in im and "interviewer" in im and "--no-implicit-no" in im


def test_import_warnings_and_reasons_speak_french(tmp_path):
    """The library keeps English (its str); the project's language renders it, report included."""
    from qualcode._i18n import localised
    from qualcode.cli._import import format_report

    qdpx = hand_written_qdpx(tmp_path / "equipe.qdpx")
    with Store(tmp_path / "q.db") as st:
        res = import_project(st, qdpx, sources_dir=tmp_path / "textes")
    unnamed = next(w for w in res.warnings if "unnamed case" in w)
    assert localised(unnamed, "fr") == ("1 cas sans nom portent des variables (à la manière de MAXQDA / Quirkos) : "
                                        "lues comme les variables de leur source")
    assert localised(unnamed, "en") == unnamed == ("1 unnamed case(s) carry variables (MAXQDA / Quirkos style): "
                                                   "read as the variables of their source")
    crlf = next(w for w in res.warnings if "CRLF counted as one" in w)
    assert "positions comptées en CRLF compté comme un seul caractère" in localised(crlf, "fr")
    (un,) = res.unmapped
    assert localised(un.reason, "fr") == ("elle est dans un tour de l'enquêteur ; qualcode code ce que disent "
                                          "les répondants")
    fr = format_report(res, "fr")
    assert "non rattachées (1) :" in fr and "pourquoi : elle est dans un tour de l'enquêteur" in fr
    assert "avertissements :" in fr and "cas sans nom" in fr and "why:" not in fr and "warnings:" not in fr
    en = format_report(res)
    assert "not mapped (1):" in en and "    why: it is in an interviewer's turn" in en and "\nwarnings:\n" in en
