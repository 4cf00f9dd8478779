from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (real corpora, minutes); the README's "
                          "test command and .ci/run pass it")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests are opt-in: a plain ``pytest`` skips them, ``--run-slow`` runs them."""
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def mini_codebook_path() -> Path:
    return TESTS / "data" / "mini_codebook.yaml"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "anthropic-interviewer" / "transcripts.jsonl").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(autouse=True, scope="session")
def _isolated_caches(tmp_path_factory: pytest.TempPathFactory):
    """Every cache a test run writes (embeddings, LLM replies) goes to a temporary folder,
    never to the user's ~/.cache: a test must not read vectors another run left behind."""
    import os

    folder = tmp_path_factory.mktemp("qualcode-cache")
    old = os.environ.get("QUALCODE_CACHE_DIR")
    os.environ["QUALCODE_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("QUALCODE_CACHE_DIR", None)
    else:
        os.environ["QUALCODE_CACHE_DIR"] = old
