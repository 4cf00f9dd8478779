from __future__ import annotations

import pytest

from qualcode import CodebookError, load_codebook, parse_codebook

GOOD = """
name: t
version: "1"
languages: [en]
codes:
  - id: A
    label: {en: "A"}
    lexicon: {en: ["word"]}
"""


def test_mini_codebook_loads(mini_codebook_path):
    cb = load_codebook(mini_codebook_path)
    assert cb.ids == ["JOBS", "DATA", "DATA_LEAK"]
    assert cb.version.startswith("0.1+") and len(cb.version) == len("0.1+") + 8
    assert cb.code("DATA").threshold == 0.6
    assert cb.children("DATA")[0].id == "DATA_LEAK"
    assert cb.label("JOBS", "fr") == "Menace sur l'emploi"
    e = cb.code("JOBS").lexicon["en"][0]
    assert e.all == (("replace", "take over"), ("job", "role", "analyst*")) and e.window == 6


def test_version_changes_with_content():
    a = parse_codebook(GOOD)
    b = parse_codebook(GOOD.replace('"word"', '"words"'))
    assert a.version != b.version and a.version.split("+")[0] == b.version.split("+")[0] == "1"


def test_default_codebook_is_valid():
    cb = load_codebook()
    assert len(cb.codes) == 7
    assert {"DECISION_VALUE", "COMPLIANCE", "DATA_SECURITY", "DEHUMANIZATION", "JOB_THREAT",
            "CULTURE_GAP", "SELF_TRAINING"} == set(cb.ids)
    for c in cb.codes:
        for lang in ("fr", "en"):
            assert c.label.get(lang) and c.definition.get(lang), (c.id, lang)
            assert len(c.lexicon.get(lang, [])) >= 20, (c.id, lang)
            assert c.examples.get(lang), (c.id, lang)


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("codes: [", "<codebook>: line 1, column 9: invalid YAML"),
    ("- a\n- b", "<codebook>: expected a mapping with 'name', 'version' and 'codes', found list"),
    ("name: x\ncodes: []", "<codebook>: field 'codes' must be a non-empty list of codes, found []"),
    ("codes:\n  - id: 'bad id'\n    label: x",
     "<codebook>: codes[0], field 'id': 'bad id' is not a valid code id"),
    ("codes:\n  - id: A\n    label: x\n  - id: A\n    label: y", "<codebook>: code A: duplicate id"),
    ("codes:\n  - id: A", "<codebook>: code A, field 'label' is missing"),
    ("codes:\n  - id: A\n    label: x\n    colour: red", "<codebook>: code A: unknown field(s) colour"),
    ("codes:\n  - id: A\n    label: x\n    color: red",
     "<codebook>: code A, field 'color': 'red' is not a colour like \"#1F77B4\""),
    ("codes:\n  - id: A\n    label: x\n    threshold: 2",
     "<codebook>: code A, field 'threshold': 2 must be a number in (0, 1]"),
    ("codes:\n  - id: A\n    label: x\n    parent: B",
     "<codebook>: code A, field 'parent': unknown code 'B'; use one of A or remove it"),
    ("codes:\n  - id: A\n    label: x\n    parent: B\n  - id: B\n    label: y\n    parent: A",
     "<codebook>: code A, field 'parent': the hierarchy loops back to A"),
    ("codes:\n  - id: A\n    label: x\n    lexicon: {en: [{term: w, weight: 1.5}]}",
     "<codebook>: code A, field 'lexicon.en[0]': weight 1.5 must be a number in (0, 1]"),
    ("codes:\n  - id: A\n    label: x\n    lexicon: {en: [{term: w, all: [v]}]}",
     "<codebook>: code A, field 'lexicon.en[0]': give exactly one of 'term'"),
    ("codes:\n  - id: A\n    label: x\n    lexicon: {en: [{term: w, near: 3}]}",
     "<codebook>: code A, field 'lexicon.en[0]': unknown key(s) near"),
    ("codes:\n  - id: A\n    label: x\n    examples: {en: [1, 2]}",
     "<codebook>: code A, field 'examples.en': expected a list of texts, found [1, 2]"),
])
def test_codebook_errors_name_file_code_and_field(yaml_text, message):
    with pytest.raises(CodebookError) as exc:
        parse_codebook(yaml_text)
    assert str(exc.value).startswith(message)


def test_missing_file_error(tmp_path):
    with pytest.raises(CodebookError, match=r"nope\.yaml: codebook file not found; give the path of a codebook YAML file"):
        load_codebook(tmp_path / "nope.yaml")
