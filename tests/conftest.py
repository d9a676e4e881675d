import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = Path(os.environ.get("GOVANALYSIS_CORPORA", ROOT.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"development corpora not found at {CORPORA}")
    return CORPORA


@pytest.fixture(scope="session")
def seeds_corpus():
    from govanalysis import parse_corpus

    return parse_corpus(SEEDS, progress=False)
