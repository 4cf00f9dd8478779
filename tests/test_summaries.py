"""Theme summaries: counts, quotes, distinctive terms, paragraphs and the workbook sheets."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook

from _summary_fixtures import EXPECTED, ROLE_SEGMENTS, build_project, effective_from_sql
from qualcode.analysis import Candidate, excerpt, select_diverse
from qualcode.errors import ConfigError
from qualcode.export import coded_frame
from qualcode.report import summarize_project
from qualcode.store import Store
from qualcode.summaries import summarize


@pytest.fixture
def project(tmp_path):
    db = build_project(tmp_path)
    with Store(db) as st:
        cb = st.codebook()
        frame = coded_frame(st, cb)
    return db, cb, frame


def test_counts_follow_the_latest_state_human_over_machine(project):
    db, cb, frame = project
    s = summarize(frame, cb)
    assert s.attribute == "role" and s.n_segments == 13 and s.n_interviews == 6
    assert (s.n_coded, s.n_uncoded, s.n_reviewed) == (11, 2, 3)
    state = effective_from_sql(db)
    for code, exp in EXPECTED.items():
        th = s.theme(code)
        applied = {sid for (sid, c), a in state.items() if c == code and a}
        assert th.segments == len(applied) == exp["segments"]
        assert th.interviews == len({sid.split("#")[0] for sid in applied}) == exp["interviews"]
        assert th.interviews_pct == pytest.approx(exp["interviews"] / 6)
        for g in th.groups_for("role"):
            assert (g.segments, g.interviewees) == exp["by_role"][g.value]
            assert g.total == 2 and g.share == pytest.approx(g.interviewees / 2)
    assert s.theme("COMPLIANCE").reviewed == 0  # the rejected coding is gone, not "reviewed"
    assert s.theme("JOB_THREAT").reviewed == 1 and s.theme("DATA_SECURITY").reviewed == 1
    sectors = {g.value: g.interviewees for g in s.theme("DATA_SECURITY").groups_for("sector")}
    assert sectors == {"banque": 1, "conseil": 2, "industrie": 1}


def test_code_by_role_matrix_with_row_and_column_percentages(project):
    _, cb, frame = project
    s = summarize(frame, cb)
    assert s.group_segments == ROLE_SEGMENTS and s.group_totals == {"expert": 2, "manager": 2, "recruteur": 2}
    for code, exp in EXPECTED.items():
        for role, (n, _) in exp["by_role"].items():
            assert s.matrix.loc[code, role] == n
            assert s.matrix_row_pct.loc[code, role] == pytest.approx(n / exp["segments"])
            assert s.matrix_col_pct.loc[code, role] == pytest.approx(n / ROLE_SEGMENTS[role])


def test_cooccurrence_counts_and_jaccard(project):
    _, cb, frame = project
    s = summarize(frame, cb)
    assert s.cooc_counts.loc["DATA_SECURITY", "COMPLIANCE"] == 1  # e6#1 only: e1#1 was rejected
    assert s.cooc_jaccard.loc["DATA_SECURITY", "COMPLIANCE"] == pytest.approx(1 / (5 + 3 - 1))
    assert s.cooc_counts.loc["JOB_THREAT", "JOB_THREAT"] == 4
    assert s.top_pairs()[0][:3] == ("DATA_SECURITY", "COMPLIANCE", 1)
    assoc = s.theme("COMPLIANCE").associations
    assert [a.code_id for a in assoc] == ["DATA_SECURITY"] and assoc[0].together == 1


def test_quotes_are_diverse_reviewed_first_and_keep_their_ids(project):
    _, cb, frame = project
    s = summarize(frame, cb, n_quotes=4)
    q = s.theme("DATA_SECURITY").quotes
    assert q[0].segment_id == "e1#0" and q[0].reviewed  # the human-confirmed segment leads
    assert len({x.source_id for x in q}) == len(q) == 4  # one quote per interviewee
    assert [x.attributes["role"] for x in q[:3]] == ["manager", "expert", "recruteur"]  # round-robin
    texts = dict(zip(frame["segment_id"], frame["text"]))
    assert all(x.text == texts[x.segment_id] for x in q)  # short segments are quoted whole


def test_select_diverse_round_robin_and_duplicates():
    cands = [Candidate(0, "a", "g1", 0.9), Candidate(1, "a", "g1", 0.8), Candidate(2, "b", "g1", 0.7),
             Candidate(3, "c", "g2", 0.5), Candidate(4, "d", "g2", 0.4, reviewed=True)]
    picked = select_diverse(cands, 3)
    assert [c.row for c in picked] == [4, 0, 3]  # reviewed first, then groups take turns
    no_dupes = select_diverse(cands, 3, too_similar=lambda i, j: {i, j} == {3, 4})
    assert [c.row for c in no_dupes] == [4, 0, 2]  # 3 repeats 4; 1 is "a" again


def test_excerpt_cuts_at_sentences_around_the_evidence():
    text = ("Au début on a testé plein de choses. " * 6 + "Mais les données clients ne sortent jamais. "
            + "Ensuite on a parlé d'autre chose pendant longtemps. " * 6)
    short, cut = excerpt("Une phrase courte.", 200)
    assert (short, cut) == ("Une phrase courte.", False)
    out, cut = excerpt(text, 150, ["données clients"])
    assert cut and out.startswith("… ") and out.endswith(" …") and len(out) <= 154
    assert "Mais les données clients ne sortent jamais." in out
    body = out[2:-2]
    assert body in " ".join(text.split()) and body[0].isupper() and body.endswith(".")
    long_sentence, cut = excerpt("mot " * 200, 100)
    assert cut and long_sentence.endswith(" …") and len(long_sentence) <= 102


def test_distinctive_terms_are_the_themes_words_without_stop_words(project):
    _, cb, frame = project
    s = summarize(frame, cb)
    ds = [t.term for t in s.theme("DATA_SECURITY").terms]
    assert "chiffrement" in ds and "données clients" in ds
    assert not {"les", "et", "le", "de", "nous"} & set(" ".join(ds).split())
    jobs = [t.term for t in s.theme("JOB_THREAT").terms]
    assert "menacés" in jobs or "emplois" in jobs
    # "assistants" is said by one interviewee only: not a theme's vocabulary
    assert "assistants" not in jobs


def test_paragraph_states_only_computed_facts_in_french_and_english(project):
    _, cb, frame = project
    fr = summarize(frame, cb).theme("DATA_SECURITY").paragraph
    assert fr.startswith("« Sécurité des données » est évoqué par 4 des 6 personnes interrogées (67\u00a0%), "
                         "dans 5 segments")
    assert "Par rôle : expert 1 sur 2 ; manager 2 sur 2 ; recruteur 1 sur 2." in fr
    assert "davantage dans le groupe « manager » (2 sur 2) que dans le groupe « expert » (1 sur 2)" in fr
    assert "Termes distinctifs : chiffrement, données clients, RGPD." in fr  # acronyms keep capitals
    assert "1 de ses 5 segments a été confirmé par un relecteur." in fr
    compliance = summarize(frame, cb).theme("COMPLIANCE").paragraph
    assert "Il est souvent associé à « Sécurité des données » (1 segment en commun)." in compliance
    en = summarize(frame, cb, lang="en").theme("COMPLIANCE").paragraph
    assert en.startswith("\u201cRegulatory compliance\u201d is raised by 2 of the 6 interviewees (33%), in 3 segments")
    assert "None of its segments has been reviewed yet" in en
    numbers = set(re.findall(r"\d+", fr))
    assert numbers == {"4", "6", "67", "5", "38", "2", "1"}  # 38 = 5 of 13 segments, rounded


def test_unknown_breakdown_attribute_is_a_clear_error(project):
    _, cb, frame = project
    with pytest.raises(ConfigError, match=r"by=age: the interviews have no attribute 'age'; "
                                          r"available: role, sector"):
        summarize(frame, cb, attribute="age")


def test_workbook_has_summary_sheets_and_native_charts_on_the_right_cells(project, tmp_path):
    db, _, _ = project
    res = summarize_project(db, tmp_path / "out", report=False)
    wb = load_workbook(res.workbook)
    assert {"Synthèse", "Cooccurrences", "Citations"} <= set(wb.sheetnames)
    ws = wb["Synthèse"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, max_row=7, values_only=True)}
    assert rows["DATA_SECURITY"][2:5] == (5, pytest.approx(5 / 13), 4)
    with zipfile.ZipFile(res.workbook) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = z.read(charts[0]).decode()
    refs = re.findall(r"<f>'?([^<!']+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)</f>", xml)
    assert refs and all(r[0] == "Synthèse" for r in refs)
    # the first chart's series are the code x role counts: read the cells it points at and
    # compare them with the latest state recomputed in SQL
    state = effective_from_sql(db)
    roles = {"e1": "manager", "e2": "manager", "e3": "expert", "e4": "expert", "e5": "recruteur", "e6": "recruteur"}
    series = [r for r in refs if r[1] != "B"]
    assert len(series) == 3
    for _, col, r1, _, r2 in series:
        role = ws[f"{col}{int(r1) - 1}"].value  # the series' name: the header above
        values = [ws[f"{col}{r}"].value for r in range(int(r1), int(r2) + 1)]
        codes = [ws[f"A{r}"].value for r in range(int(r1), int(r2) + 1)]
        expected = [sum(1 for (sid, c), a in state.items() if c == code and a and roles[sid[:2]] == role)
                    for code in codes]
        assert values == expected and sum(values) > 0
    by_sector = [r for r in ws.iter_rows(values_only=True) if r[0] and "par secteur" in str(r[0])]
    assert len(by_sector) == 1  # other attributes get their own block (share of interviewees)
    block = list(ws.iter_rows(values_only=True))
    at = block.index(by_sector[0])
    assert block[at + 1][2:5] == ("banque (n=2)", "conseil (n=2)", "industrie (n=2)")
    assert block[at + 2][:5] == ("DATA_SECURITY", "Sécurité des données", 0.5, 1, 0.5)
    quotes = wb["Citations"]
    header = [c.value for c in quotes[1]]
    assert header[:4] == ["Thème", "Rang", "Question posée", "Citation"] and "Segment" in header
    assert quotes.max_row - 1 == sum(len(t.quotes) for t in res.summaries.themes)


def test_summary_sheets_survive_a_later_rewrite_with_the_latest_counts(project, tmp_path):
    """`code` and `review import` rewrite coded.xlsx; the summary sheets must come back, recounted."""
    from qualcode.export import write_coded_workbook
    from qualcode.model import Coding
    from qualcode.store import now

    db, cb, _ = project
    out = tmp_path / "out"
    summarize_project(db, out, by="sector", report=False)
    with Store(db) as st:  # a review import: e4#1 (no machine code) is data security after all
        st.add_human_codings([Coding("e4#1", "DATA_SECURITY", True, None, [], "bob", "human", cb.version,
                                     now())], "review-bob.xlsx")
        path = write_coded_workbook(st, out / "coded.xlsx")  # what pipeline and review import call
    wb = load_workbook(path)
    assert {"Synthèse", "Cooccurrences", "Citations"} <= set(wb.sheetnames)
    row = next(r for r in wb["Synthèse"].iter_rows(min_row=5, values_only=True) if r[0] == "DATA_SECURITY")
    assert row[2] == 6 and row[4] == 4  # 5 + 1 segments (hand count), still 4 interviewees (e4 had one)
    assert any("par secteur" in str(r[0]) for r in wb["Synthèse"].iter_rows(values_only=True) if r[0])


def test_coded_workbook_has_no_summary_sheets_before_summarize(project, tmp_path):
    from qualcode.export import write_coded_workbook

    db, _, _ = project
    with Store(db) as st:
        wb = load_workbook(write_coded_workbook(st, tmp_path / "coded.xlsx"))
    assert "Synthèse" not in wb.sheetnames


def test_distinctive_terms_drop_corpus_wide_words_and_keep_acronyms():
    """Words said under every theme ("use", "work", "human") characterise none; fillers such as
    "faut" and "rien" are not vocabulary; acronyms keep their capitals ("IA", "RGPD")."""
    import numpy as np

    from qualcode.analysis import distinctive_terms

    themes = {"DATA": ["chiffrement", "serveurs"], "LAW": ["RGPD", "juristes"],
              "JOBS": ["licenciements", "postes"], "TOOLS": ["IA", "tableurs"]}
    texts, sources, classes = [], [], {k: [] for k in themes}
    for k, (theme, (a, b)) in enumerate(list(themes.items()) * 6):
        classes[theme].append(len(texts))
        texts.append(f"Il faut dire que rien ne change : use work human, {a} et {b} pour {theme.lower()}.")
        sources.append(f"p{k % 5}")
    terms = distinctive_terms(texts, sources, {k: np.array(v) for k, v in classes.items()}, n=6)
    words = {name: {w for t in ts for w in t.term.split()} for name, ts in terms.items()}
    assert not {"use", "work", "human", "faut", "rien"} & set().union(*words.values())
    assert "RGPD" in words["LAW"] and "IA" in words["TOOLS"]
    assert "chiffrement" in words["DATA"] and "licenciements" in words["JOBS"]
