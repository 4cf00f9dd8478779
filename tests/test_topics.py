"""Emergent topics: clustering, keywords, examples, draft codes, files, laziness."""

from __future__ import annotations

import random
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from _summary_fixtures import build_project
from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.store import Store
from qualcode.topics import TopicResult, choose_embedding, draft_codebook, find_topics

THEMES = {
    "kitchen": ["recipe", "oven", "flour", "butter", "baking", "dough", "sugar", "kitchen"],
    "football": ["match", "goal", "referee", "stadium", "players", "penalty", "league", "coach"],
    "software": ["bug", "server", "deploy", "database", "crash", "logs", "release", "backend"],
}
FILLER = ["honestly", "we", "usually", "talk", "about", "the", "and", "then", "every", "week", "with", "team"]


def corpus(n_per_theme: int = 30, seed: int = 0) -> pd.DataFrame:
    """Segments whose topic is known: each mixes one theme's words with common filler."""
    rnd = random.Random(seed)
    rows = []
    for theme, words in THEMES.items():
        for k in range(n_per_theme):
            text = " ".join(rnd.sample(words, 5) + rnd.sample(FILLER, 6))
            person = f"{theme[:2]}{k % 10}"
            rows.append({"segment_id": f"{person}#{k}", "source_id": person, "text": text.capitalize() + ".",
                         "role": "manager" if k % 2 else "expert", "truth": theme})
    return pd.DataFrame(rows).sample(frac=1, random_state=seed).reset_index(drop=True)


def test_small_corpus_finds_the_planted_topics():
    df = corpus()
    res = find_topics(df, attribute="role", embedding="hashing", seed=1)
    assert res.method == "kmeans" and res.n_docs == 90 and len(res.topics) == 3
    truth = dict(zip(df["segment_id"], df["truth"]))
    for t in res.topics:
        themes = {truth[s] for s in t.segment_ids}
        assert len(themes) == 1  # each topic is one planted theme
        planted = THEMES[themes.pop()]
        assert all(k in planted for k, _ in t.keywords[:3])
        assert t.label == " / ".join(k for k, _ in t.keywords[:3])
        assert t.size == 30 and t.interviews == 10 and t.groups == {"expert": 15, "manager": 15}
        assert len(t.examples) == 3 and len({q.source_id for q in t.examples}) == 3
        assert {q.segment_id for q in t.examples} <= set(t.segment_ids)
    assert [t.code_id for t in res.topics] == ["EMERGENT_01", "EMERGENT_02", "EMERGENT_03"]


def test_same_seed_same_topics():
    df = corpus()
    a = find_topics(df, embedding="hashing", seed=3)
    b = find_topics(df, embedding="hashing", seed=3)
    assert [t.segment_ids for t in a.topics] == [t.segment_ids for t in b.topics]
    assert [t.keywords for t in a.topics] == [t.keywords for t in b.topics]
    assert [t.examples for t in a.topics] == [t.examples for t in b.topics]
    shuffled = find_topics(df.sample(frac=1, random_state=9), embedding="hashing", seed=3)
    assert {frozenset(t.segment_ids) for t in shuffled.topics} == {frozenset(t.segment_ids) for t in a.topics}


def test_first_run_and_cached_run_see_the_same_vectors(tmp_path):
    import numpy as np

    from qualcode.coders.embed import EmbeddingCache
    from qualcode.topics._find import embed

    texts = corpus()["text"].tolist()
    first, model = embed(texts, "hashing", EmbeddingCache(tmp_path / "c.sqlite"))
    again, _ = embed(texts, "hashing", EmbeddingCache(tmp_path / "c.sqlite"))
    uncached, _ = embed(texts, "hashing", None)
    assert model == "hashing-1024" and first.shape == (90, 1024)
    assert np.array_equal(first, again) and np.array_equal(first, uncached)  # same numbers, same topics


def test_too_little_text_says_so():
    df = corpus(n_per_theme=4)
    res = find_topics(df, embedding="hashing")
    assert res.topics == [] and res.method == "none"
    assert res.message == ("too little text: 12 segment(s) of at least 8 words out of 12; at least 20 are "
                           "needed (try --all-segments)")
    short = pd.DataFrame({"segment_id": ["a#1"], "source_id": ["a"], "text": ["Oui."]})
    fr = find_topics(short, embedding="hashing", lang="fr")
    assert fr.n_excluded == 1 and fr.message.startswith("trop peu de texte : 0 segment(s)")


def test_draft_codes_load_as_a_codebook():
    res = find_topics(corpus(), attribute="role", embedding="hashing", seed=1)
    text = draft_codebook(res)
    assert text.startswith("# Draft codes written by `qualcode topics`")
    cb = parse_codebook(text, "draft_codes.yaml")
    assert cb.ids == ["EMERGENT_01", "EMERGENT_02", "EMERGENT_03"] and cb.language == "en"
    first = cb.code("EMERGENT_01")
    assert first.text("definition", "en").startswith("draft: segments about ")
    assert first.text("label", "en") == res.topics[0].label
    assert [e.source for e in first.lexicon["en"]] == [k for k, _ in res.topics[0].keywords[:6]]
    assert first.text("examples", "en") == [q.text for q in res.topics[0].examples]
    res.only = {"role": "manager"}
    assert res.intro("en").startswith("k-means (too few segments for BERTopic) over 90 segments (those no code "
                                      "caught, role = manager); 3 topics found, 0 segments in no topic.")
    assert yaml.safe_load(text)["codes"][0]["lexicon"]["en"][0]["weight"] == 0.5


def test_auto_embedding_by_language_and_size(monkeypatch):
    from qualcode.topics import _find

    assert choose_embedding("auto", "en", 500) == "minilm"
    assert choose_embedding("auto", "en", 50_000) == "static"
    assert choose_embedding("auto", "fr", 500) == "use"
    assert choose_embedding("/models/mine", "fr", 5) == "/models/mine"
    monkeypatch.setattr(_find, "_installed", lambda m: False)  # no model package at all
    assert choose_embedding("auto", "en", 500) == "hashing"


def test_result_round_trips_through_json(tmp_path):
    res = find_topics(corpus(), attribute="role", embedding="hashing", seed=1)
    back = TopicResult.load(res.save(tmp_path / "topics.json"))
    assert back == res
    from qualcode.errors import OutputError

    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(OutputError, match=r"bad\.json: not valid JSON .*run `qualcode topics` again"):
        TopicResult.load(tmp_path / "bad.json")
    (tmp_path / "old.json").write_text('{"topics": [], "n_docs": 1}', encoding="utf-8")
    with pytest.raises(OutputError, match=r"old\.json: not a topics result of this qualcode"):
        TopicResult.load(tmp_path / "old.json")


def test_bad_options_are_clear_errors():
    from qualcode.errors import ConfigError

    with pytest.raises(ConfigError, match=r"min_topic_size=1: a topic needs at least 2 segments"):
        find_topics(corpus(), embedding="hashing", min_topic_size=1)
    with pytest.raises(ConfigError, match=r"topic method 'lda' is not known; use auto, bertopic or kmeans"):
        find_topics(corpus(), embedding="hashing", method="lda")


def test_cli_topics_writes_sheet_drafts_and_report(tmp_path, capsys):
    extra = [(f"x{k % 8}", row.text, ()) for k, row in enumerate(corpus().itertuples())]
    db = build_project(tmp_path, segments=extra)  # no machine code: every segment is uncoded
    out = tmp_path / "out"
    assert main(["topics", "--db", str(db), "--out", str(out), "--embedding", "hashing", "--no-cache",
                 "--no-progress"]) == 0
    printed = capsys.readouterr().out
    # a French project: the terminal speaks French
    assert "90 segments qu'aucun code n'a retenus regroupés (0 trop courts écartés) avec kmeans" in printed
    assert "3 thèmes, 0 segments dans aucun :" in printed and "codes provisoires : " in printed
    assert "clustered" not in printed and "interviewees" not in printed and "draft codes" not in printed
    for name in ("topics.xlsx", "draft_codes.yaml", "report.html"):
        assert str(out / name) in printed
    # topics.json is what the report and the coded workbook read: this project's, these topics
    saved = TopicResult.load(out / "topics.json")
    with Store(db) as st:
        assert saved.project_id == st.project_id
    assert saved.method == "kmeans" and saved.scope == "uncoded" and saved.n_docs == 90
    assert [t.code_id for t in saved.topics] == ["EMERGENT_01", "EMERGENT_02", "EMERGENT_03"]
    assert sum(t.size for t in saved.topics) == 90 and saved.drafts_path == "draft_codes.yaml"
    assert all(t.examples and t.keywords for t in saved.topics)
    wb = load_workbook(out / "topics.xlsx")
    ws = wb["Thèmes émergents"]  # the codebook is French
    assert [ws.cell(row=r, column=1).value for r in range(4, 7)] == ["EMERGENT_01", "EMERGENT_02", "EMERGENT_03"]
    assert sum(ws.cell(row=r, column=3).value for r in range(4, 7)) == 90
    assert wb["Segments"].max_row == 91
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="emergent"' in html and "EMERGENT_03" in html
    parse_codebook((out / "draft_codes.yaml").read_text(encoding="utf-8"))


def test_cli_topics_only_some_interviews(tmp_path, capsys):
    db = build_project(tmp_path)
    args = ["topics", "--db", str(db), "--out", str(tmp_path / "out"), "--embedding", "hashing", "--no-cache",
            "--all-segments"]
    assert main([*args, "--only", "role=expert", "--lang", "en"]) == 0  # English asked for: as it always read
    assert "4 segments (0 too short left out): nothing to cluster" in capsys.readouterr().out
    assert main([*args, "--only", "sector=conseil", "--method", "kmeans"]) == 0  # e4 and e6: 4 segments
    capsys.readouterr()
    res = TopicResult.load(tmp_path / "out" / "topics.json")
    assert res.only == {"sector": "conseil"} and res.n_docs == 4
    assert main([*args, "--only", "role=chef"]) == 2
    assert ("--only role=chef : aucun entretien n'a role = 'chef' ; valeurs trouvées : expert, manager, recruteur"
            in capsys.readouterr().err)  # a French project: the error in French
    assert main([*args, "--only", "role=chef", "--lang", "en"]) == 2
    assert "--only role=chef: no interview has role = 'chef'; values found: expert, manager, recruteur" in capsys.readouterr().err
    assert main([*args, "--only", "age=40", "--lang", "en"]) == 2
    assert "--only age=40: the interviews have no attribute 'age'; available: role, sector" in capsys.readouterr().err
    assert main([*args, "--only", "role", "--lang", "en"]) == 2
    assert "--only role: expected ATTR=VALUE" in capsys.readouterr().err


def test_cli_topics_on_too_little_text(tmp_path, capsys):
    db = build_project(tmp_path)  # 2 uncoded segments
    out = tmp_path / "out"
    assert main(["topics", "--db", str(db), "--out", str(out), "--embedding", "hashing", "--no-cache"]) == 0
    printed = capsys.readouterr().out
    assert "2 segments qu'aucun code n'a retenus (0 trop courts écartés) : rien à regrouper" in printed
    assert "aucun thème : trop peu de texte : 2 segment(s) d'au moins 8 mots sur 2" in printed  # French corpus
    assert not (out / "draft_codes.yaml").exists()
    assert "Pas de thème émergent" in (out / "report.html").read_text(encoding="utf-8")


def test_importing_qualcode_stays_light():
    code = ("import sys, qualcode, qualcode.topics, qualcode.summaries, qualcode.report, qualcode.cli\n"
            "heavy = ['torch', 'bertopic', 'umap', 'hdbscan', 'sentence_transformers', 'matplotlib']\n"
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_bertopic_on_real_respondent_segments(shared_data):
    from qualcode.ingest import ingest
    from qualcode.segment import segment_source

    report = ingest([shared_data / "anthropic-interviewer" / "transcripts.jsonl"])
    rows = [{"segment_id": s.id, "source_id": s.source_id, "text": s.text, "split": src.attributes.get("split")}
            for src in report.sources if src.attributes.get("split") == "scientists"
            for s in segment_source(src)]
    df = pd.DataFrame(rows)
    # timing is benchmarks/bench_topics.py's job (a fresh venv compiles UMAP's numba code first)
    res = find_topics(df, attribute="split", embedding="hashing", method="bertopic", seed=42)
    assert res.method == "bertopic" and 2 <= len(res.topics) <= 30
    assert sum(t.size for t in res.topics) + res.n_outliers == res.n_docs > 500
    assert all(t.size >= res.min_topic_size and t.keywords for t in res.topics)
