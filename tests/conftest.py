from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def mini_codebook_path() -> Path:
    return TESTS / "data" / "mini_codebook.yaml"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "anthropic-interviewer" / "transcripts.jsonl").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA
