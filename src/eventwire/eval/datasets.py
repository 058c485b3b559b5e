"""Where the gold sets live, how they are read, and how the systems under test
are run on them: the plumbing every evaluation task shares.

* File names of the gold sets. Shipped sets sit in ``PACKAGE_EVAL``; peer and
  restricted sets in ``../shared/eval`` (``restricted/`` for those never
  shipped) or ``$EVENTWIRE_EVAL_DIR`` (``find_shared_file``).
* ``restricted_absent`` — the row of a task whose restricted set is absent.
* ``run_eventwire`` — the production path (``extract_many``); ``bare_nlp`` —
  the bare spaCy model the baselines use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..extract.tables import CodingTables
from ..extract.trace import ExtractTrace
from ..model import Article
from ..settings import CHECKOUT_DIR, DATA_DIR, SETTINGS_BY_NAME, setting

PACKAGE_DATA = DATA_DIR
PACKAGE_EVAL = PACKAGE_DATA / "eval"
REPO_ROOT = CHECKOUT_DIR
EVAL_DIR_ENV = SETTINGS_BY_NAME["eval_dir"].env

# Shipped, in PACKAGE_EVAL.
PLOVER_FILE = "plover_gsr_cameo.jsonl"
GSR_FILE = "petrarch2_gsr_validation.jsonl"
UNIT_FILE = "petrarch2_validation.jsonl"
VALIDATION_DICTS_DIR = "petrarch_validation_dicts"
GUM_FILE = "gum_news.jsonl"
GUM_QUOTES_FILE = "gum_news_quotes.jsonl"
KEYWORDS_FILE = "baseline_keywords.tsv"
# Found by find_shared_file: restricted (never shipped) or peer data.
CONLL_FILE = "ner_conll2003_test.jsonl"
POLNEAR_FILE = "quotes_polnear_test.jsonl"
TE3_FILE = "timex_te3_platinum.jsonl"


# ---------------------------------------------------------------------------
# Locating and reading data


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
                if limit is not None and len(records) >= limit:
                    break
    return records


def shared_eval_dirs() -> list[Path]:
    """Where peer evaluation data may live: ``$EVENTWIRE_EVAL_DIR`` when set
    (and then only there), else ``../shared/eval`` beside the repository."""
    configured = setting("eval_dir")
    if configured:
        return [Path(configured)]
    return [REPO_ROOT.parent / "shared" / "eval", Path.cwd().parent / "shared" / "eval"]


def find_shared_file(name: str, restricted: bool) -> Path | None:
    for base in shared_eval_dirs():
        for candidate in ([base / "restricted" / name] if restricted else []) + [base / name]:
            if candidate.is_file():
                return candidate
    return None


def restricted_absent(task: str, dataset: str, file: str, restricted: bool = True) -> dict[str, Any]:
    """The row of a restricted data set that is not on this machine: the one
    case where a task runs without one of its sets and still succeeds."""
    where = "../shared/eval/restricted/" if restricted else "../shared/eval/"
    return {
        "task": task,
        "dataset": dataset,
        "skipped": f"restricted data set {file} not found in {where} or ${EVAL_DIR_ENV} (never shipped)",
        "restricted_absent": file,
    }


# ---------------------------------------------------------------------------
# Running the systems


def run_eventwire(
    items: Iterable[dict[str, str | None]], trace: ExtractTrace | None = None, tables: CodingTables | None = None
) -> Iterator[Article]:
    """The production path: ``eventwire.extract_many`` over dicts with ``text``
    and optional ``published`` (what ``eventwire extract`` runs). ``trace``
    collects what the records do not hold (a quote's speaker words, the
    entity a pronoun resolves to), from the very run that made them."""
    from ..extract.runner import extract_many

    return extract_many(items, trace=trace, tables=tables)


def bare_nlp() -> Any:
    from ..extract.nlp import load_bare

    return load_bare()
