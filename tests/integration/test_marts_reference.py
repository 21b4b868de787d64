"""A generated corpus, built through Dagster, equals the independent Polars computation."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.generate import generate_corpus
from pipelines.resources import NewsdwPaths
from tests.conftest import article
from tests.reference.check import compare_warehouse


def test_every_table_matches_the_reference_computation(tmp_path: Path):
    content = tmp_path / "content"
    generate_corpus(content, 1500, seed=97)
    # Cases the generator makes rarely: a same-time duplicate and offsets across a month.
    (content / "extra").mkdir()
    for name, when in [("a.txt", "2023-01-31T23:30:00-05:00"), ("b.txt", "2023-02-01T01:00+03:00")]:
        (content / "extra" / name).write_text(
            article(name, "https://Extra.example.com/same/", publishedDateTime=when, quality="50")
        )
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(tmp_path / "warehouse"))
    result = dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths})
    assert result.success
    counts = compare_warehouse(paths.warehouse, report=lambda line: None)
    assert counts["marts.fct_articles"] > 1000
    assert counts["marts.topic_pairs"] > 0
