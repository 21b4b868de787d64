"""A generated corpus, built through Dagster, equals the independent Polars computation."""

from __future__ import annotations

from tests.reference.check import compare_warehouse


def test_every_table_matches_the_reference_computation(generated_warehouse):
    counts = compare_warehouse(generated_warehouse.warehouse, report=lambda line: None)
    assert counts["marts.fct_articles"] > 1000
    assert counts["staging.stg_articles"] < 1502  # the generator republishes some articles
    assert counts["marts.topic_pairs"] > 0
