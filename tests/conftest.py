import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
RAW_DIR = ROOT / "tests" / "data"


def load_samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_records() -> list[dict]:
    return load_samples()


@pytest.fixture(scope="session")
def sample_articles(sample_records):
    """The two sample articles run through the whole pipeline once per session."""
    import eventwire

    return {
        r["id"]: a
        for r, a in zip(sample_records, eventwire.extract_many(sample_records), strict=True)
    }
