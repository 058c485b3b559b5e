"""Re-coding: stored articles coded by another coder version analysed again.

Every article row records the ``coder_version`` that coded it. When the
rules change (``model.CODER_VERSION`` is bumped), ``recode_store`` runs the
pipeline again on the stored raw text of every article coded otherwise and
replaces its extraction; the record each older version produced is kept in
the ``article_versions`` table, keyed by (doc_id, coder_version), so what
each version said can still be compared.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import CODER_VERSION, Article, RawDocument
from .store import Store, StoreError

# Publication dates that came with the article, not from its text: kept as
# given. Dates the pipeline found in the text are found again by the new rules.
_GIVEN_DATE_BASES = frozenset({"given", "metadata"})


@dataclass(frozen=True, slots=True)
class RecodeReport:
    recoded: int
    # How many re-coded articles each older coder version had coded.
    from_versions: dict[str, int]
    current: str


def raw_document(article: Article) -> RawDocument:
    """The document the stored ``article`` was analysed from: its raw text
    (so the doc_id, the raw text's hash, stays the same), title and source,
    and its publication date where that was given rather than found."""
    given = article.published_basis in _GIVEN_DATE_BASES
    return RawDocument(
        raw_text=article.raw_text,
        title=article.title,
        published=article.published if given else None,
        published_basis=article.published_basis if given else "none",
        source=article.source,
    )


def stale_articles(store: Store, current: str = CODER_VERSION) -> list[tuple[str, str]]:
    """(doc_id, coder_version) of every stored article coded by another version."""
    rows = store.rows(
        "SELECT doc_id, coder_version FROM articles WHERE coder_version <> ? ORDER BY ingested_at, doc_id",
        [current],
    )
    return [(r["doc_id"], r["coder_version"]) for r in rows]


def recode_store(store: Store) -> RecodeReport:
    """Re-extract every article whose coder version is not ``CODER_VERSION``
    and replace it in the store, keeping the old records (see module doc)."""
    from ..extract.runner import extract_documents

    stale = stale_articles(store)
    if not stale:
        return RecodeReport(0, {}, CODER_VERSION)
    documents = [raw_document(store.article(doc_id)) for doc_id, _ in stale]
    from ..extract.tables import default_tables
    from .memory import learned_tables

    # Persons the dictionaries lack are coded with the roles the store learned.
    tables = replace(default_tables(), learned=learned_tables(store.learned_roles()))
    recoded = list(extract_documents(documents, tables=tables))
    for (doc_id, _), article in zip(stale, recoded, strict=True):
        if article.doc_id != doc_id:  # the raw text is the same, so is its hash
            raise StoreError(f"re-coding {doc_id} gave doc_id {article.doc_id}")
    store.replace_articles(recoded)
    return RecodeReport(len(recoded), dict(Counter(version for _, version in stale)), CODER_VERSION)


@dataclass(frozen=True, slots=True)
class RecodeOptions:
    """What ``eventwire recode`` re-codes: the store ``db``."""

    db: str


def run_recode(options: RecodeOptions) -> int:
    """``eventwire recode [--db]``: the summary goes to stderr."""
    if not Path(options.db).exists():
        raise StoreError(f"no store at {options.db}")
    with Store(options.db) as store:
        report = recode_store(store)
    if report.recoded:
        versions = ", ".join(f"{n} from {v}" for v, n in sorted(report.from_versions.items()))
        noun = "article" if report.recoded == 1 else "articles"
        print(f"re-coded {report.recoded} {noun} with coder {report.current} ({versions})", file=sys.stderr)
    else:
        print(f"every article is coded with coder {report.current}; nothing to re-code", file=sys.stderr)
    return 0
