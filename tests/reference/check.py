"""Compare a built warehouse, table by table, with the independent Polars computation.

    uv run python -m tests.reference.check WAREHOUSE_DIR

Prints one line per table and exits non-zero at the first table that differs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

from pipelines.store.lake import connect_read_only

from .compare import assert_same_rows
from .marts import expected_tables

# The grain of each table, from the contract.
KEYS = {
    "staging.stg_articles": ["article_id"],
    "staging.stg_article_topics": ["article_id", "topic_key"],
    "staging.stg_related_articles": ["article_id", "position"],
    "intermediate.int_story_edges": ["canonical_url", "linked_url", "kind"],
    "marts.fct_articles": ["article_id"],
    "marts.dim_providers": ["provider_domain"],
    "marts.dim_topics": ["topic_key"],
    "marts.dim_months": ["month"],
    "marts.agg_provider_months": ["month", "provider_domain"],
    "marts.agg_provider_topic_months": ["month", "provider_domain", "topic_key"],
    "marts.provider_monthly": ["month", "provider_domain"],
    "marts.topic_monthly": ["month", "topic_key"],
    "marts.quality_monthly": ["month"],
    "marts.provider_topic": ["provider_domain", "topic_key"],
    "marts.topic_pairs": ["topic_key_a", "topic_key_b"],
    "marts.stories": ["story_id"],
    "marts.story_items": ["story_id", "canonical_url"],
    "marts.provider_firsts": ["provider_domain"],
}


def compare_warehouse(warehouse: Path, report=print) -> dict[str, int]:
    """Assert every staging and mart table equals the reference; return their row counts."""
    con = connect_read_only(warehouse)
    with tempfile.TemporaryDirectory() as folder:

        def table(name: str) -> pl.DataFrame:
            # Through Parquet: DuckDB's .pl() would need pyarrow, which newsdw does not use.
            path = Path(folder, f"{name}.parquet")
            con.execute(f"copy (select * from {name}) to '{path}' (format parquet)")
            return pl.read_parquet(path)

        known = table("seeds.provider_kinds")
        expected = expected_tables(
            table("raw.articles"),
            dict(zip(known["provider_domain"], known["provider_kind"], strict=True)),
        )
        counts = {}
        for name, key in KEYS.items():
            actual = table(name)
            assert_same_rows(actual, expected[name], key, name)
            counts[name] = actual.height
            report(f"{name:<30} {actual.height:>9,} rows  same as the reference")
    con.close()
    return counts


if __name__ == "__main__":
    try:
        compare_warehouse(Path(sys.argv[1]))
    except AssertionError as exc:
        sys.exit(str(exc))
