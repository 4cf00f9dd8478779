"""The HTML and Markdown report: self-contained, right numbers, escaped, in the codebook's language."""

from __future__ import annotations

import base64
import re

import pytest
from openpyxl import load_workbook

from _summary_fixtures import SEGMENTS, build_project, effective_from_sql
from qualcode.cli import main
from qualcode.export import coded_frame
from qualcode.report import build_figures, summarize_project, write_report
from qualcode.store import Store
from qualcode.summaries import Quote, summarize
from qualcode.topics import Topic, TopicResult

ROLES = {"e1": "manager", "e2": "manager", "e3": "expert", "e4": "expert", "e5": "recruteur", "e6": "recruteur"}


def _summaries(db, **kw):
    with Store(db) as st:
        cb = st.codebook()
        return summarize(coded_frame(st, cb), cb, **kw)


def test_html_is_self_contained_and_shows_every_theme(tmp_path):
    db = build_project(tmp_path)
    s = _summaries(db)
    files = write_report(s, tmp_path / "out", source="qualcode.db")
    html = files.html.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "<h1>Synthèse des thèmes</h1>" in html
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)  # nothing fetched from outside
    imgs = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(imgs) == len(files.figures) == 4
    assert all(base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n" for b in imgs)
    for th in s.themes:
        assert f'id="t-{th.code_id}"' in html and th.paragraph.replace("'", "&#x27;") in html
        for q in th.quotes:
            assert f"<code>{q.segment_id}</code>" in html
    assert "Il revient davantage" in html and "Méthode" in html


def test_markdown_has_the_same_sections_and_its_pngs(tmp_path):
    db = build_project(tmp_path)
    s = _summaries(db)
    files = write_report(s, tmp_path / "out")
    md = files.markdown.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\((figures/[a-z_]+\.png)\)", md)
    assert sorted(links) == sorted(f"figures/{p.name}" for p in files.figures.values())
    for link in links:
        assert (tmp_path / "out" / link).read_bytes()[:4] == b"\x89PNG"
    assert md.startswith("# Synthèse des thèmes")
    assert "### Sécurité des données (`DATA_SECURITY`)" in md
    assert "> — e1 · manager · `e1#0` · revu" in md


def test_charts_plot_the_numbers_of_the_store(tmp_path):
    db = build_project(tmp_path)
    figs = build_figures(_summaries(db))
    state = effective_from_sql(db)
    applied = {(sid, c) for (sid, c), a in state.items() if a}
    people = {c: {sid.split("#")[0] for sid, cc in applied if cc == c} for c in ("DATA_SECURITY", "COMPLIANCE", "JOB_THREAT")}
    themes = figs["themes"][1]
    for code, who in people.items():
        assert themes.loc[code, "interviewees"] == len(who)
        assert themes.loc[code, "segments"] == sum(1 for _, c in applied if c == code)
        assert themes.loc[code, "share"] == pytest.approx(len(who) / 6)
    share = figs["by_group"][1]
    for code, who in people.items():
        for role in ("manager", "expert", "recruteur"):
            assert share.loc[code, role] == pytest.approx(sum(1 for w in who if ROLES[w] == role) / 2)
    heat = figs["heatmap"][1]
    assert heat.loc["COMPLIANCE", "recruteur"] == sum(1 for sid, c in applied if c == "COMPLIANCE" and ROLES[sid[:2]] == "recruteur")
    both = {sid for sid, c in applied if c == "DATA_SECURITY"} & {sid for sid, c in applied if c == "COMPLIANCE"}
    assert figs["cooc"][1].loc["DATA_SECURITY", "COMPLIANCE"] == len(both) == 1


def test_transcript_text_is_escaped_in_html_and_markdown(tmp_path):
    segments = [*SEGMENTS, ("e7", "Les données clients <script>alert(1)</script> | *jamais* dans l'outil, chiffrement.",
                            ("DATA_SECURITY",))]
    db = build_project(tmp_path, segments=segments)
    s = _summaries(db, n_quotes=6)
    files = write_report(s, tmp_path / "out")
    html = files.html.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = files.markdown.read_text(encoding="utf-8")
    assert "\\<script\\>" in md and "\\| \\*jamais\\*" in md


def test_english_report_when_asked(tmp_path):
    db = build_project(tmp_path)
    files = write_report(_summaries(db, lang="en"), tmp_path / "out")
    html = files.html.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<h1>Theme summaries</h1>" in html
    assert "is raised by 4 of the 6 interviewees" in html


def _topics(project_id: str) -> TopicResult:
    q = Quote("e5#0", "e5", "Les candidats veulent parler à une personne.", {"role": "recruteur"})
    t = Topic(0, "EMERGENT_01", "candidats / personne / robot", [("candidats", 0.4), ("personne", 0.3)], 2, 2,
              {"expert": 1, "recruteur": 1}, {"expert": 1, "recruteur": 1}, [q], ["e5#0", "e4#1"])
    return TopicResult([t], n_docs=2, n_outliers=0, n_excluded=0, method="kmeans", embedding="hashing-1024",
                       seed=42, min_topic_size=3, scope="uncoded", attribute="role", lang="fr",
                       created_at="2026-01-01T00:00:00", project_id=project_id, drafts_path="draft_codes.yaml")


def test_summarize_includes_this_projects_topics_only(tmp_path):
    db = build_project(tmp_path)
    out = tmp_path / "out"
    with Store(db) as st:
        pid = st.project_id
    _topics(pid).save(out / "topics.json")
    res = summarize_project(db, out)
    assert res.topics is not None and res.topics.topics[0].code_id == "EMERGENT_01"
    html = res.html.read_text(encoding="utf-8")
    assert 'id="emergent"' in html and "EMERGENT_01 · candidats / personne / robot" in html
    assert "Thèmes émergents" in load_workbook(res.workbook, read_only=True).sheetnames
    _topics("another-project").save(out / "topics.json")
    res = summarize_project(db, out)
    assert res.topics is None and 'id="emergent"' not in res.html.read_text(encoding="utf-8")


def test_cli_summarize_writes_everything_and_says_where(tmp_path, capsys):
    db = build_project(tmp_path)
    out = tmp_path / "results"
    assert main(["summarize", "--db", str(db), "--out", str(out), "--by", "sector", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    # a French project speaks French on the terminal too
    assert "3 thèmes sur 13 segments dans 6 entretiens" in printed and "par secteur" in printed
    for name in ("coded.xlsx", "report.html", "report.md"):
        assert f"{out / name}" in printed and (out / name).exists()
    assert sorted(p.name for p in (out / "figures").glob("*.png")) == ["by_group.png", "cooc.png", "heatmap.png", "themes.png"]
    assert main(["summarize", "--db", str(db), "--out", str(out), "--by", "age"]) == 2
    assert "--by age : les entretiens n'ont pas d'attribut 'age'" in capsys.readouterr().err  # a French project
    assert main(["summarize", "--db", str(tmp_path / "none.db")]) == 2
    assert "no project database here" in capsys.readouterr().err
