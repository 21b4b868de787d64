"""A failed check on a mart stops everything downstream and leaves the published warehouse alone.

The broken fixture is a copy of `sql/` with one model edited to break its grain.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.ingest import raw_files
from pipelines.defs.models import SQL_DIR, warehouse_tables
from pipelines.generate import generate_corpus
from pipelines.resources import NewsdwPaths
from pipelines.store.lake import connect_read_only


@pytest.fixture
def paths(tmp_path: Path) -> NewsdwPaths:
    generate_corpus(tmp_path / "content", 60, seed=5)
    return NewsdwPaths(
        content_dir=str(tmp_path / "content"), warehouse_dir=str(tmp_path / "warehouse")
    )


def broken_sql(tmp_path: Path, model: str, old: str, new: str) -> Path:
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    path = sql_dir / model
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return sql_dir


def materialize(paths: NewsdwPaths, sql_dir: Path = SQL_DIR) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_files, warehouse_tables(sql_dir)], resources={"paths": paths}, raise_on_error=False
    )


def count(paths: NewsdwPaths, table: str) -> int:
    con = connect_read_only(paths.warehouse)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_failed_mart_check_blocks_downstream_and_publishing(tmp_path, paths):
    assert materialize(paths).success
    articles = count(paths, "marts.fct_articles")
    assert articles > 0

    # Joining the related counts on `true` repeats every article: the grain breaks.
    sql_dir = broken_sql(
        tmp_path,
        "marts/fct_articles.sql",
        "left join related on related.article_id = articles.article_id",
        "left join related on true",
    )
    result = materialize(paths, sql_dir)
    assert not result.success

    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in result.get_asset_check_evaluations()
    }
    assert evaluations[("marts/fct_articles", "grain_unique")] is False
    assert evaluations[("staging/stg_articles", "grain_unique")] is True
    assert not any(key.startswith("marts/dim") for key, _ in evaluations)  # never built

    materialized = {
        event.asset_key.to_user_string() for event in result.get_asset_materialization_events()
    }
    assert materialized == {"raw/files"}  # nothing of the DuckDB file was published

    # Analysts still see the last good warehouse.
    assert count(paths, "marts.fct_articles") == articles
    assert not list(paths.warehouse.glob(".*.building"))


def test_failed_staging_check_warns_but_does_not_block(tmp_path, paths):
    sql_dir = broken_sql(
        tmp_path,
        "staging/stg_articles.sql",
        "    ranked.title,",
        "    null::varchar as title,",
    )
    result = materialize(paths, sql_dir)
    assert result.success
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in result.get_asset_check_evaluations()
    }
    assert evaluations[("staging/stg_articles", "not_null")] is False
    assert evaluations[("marts/fct_articles", "grain_unique")] is True
    assert count(paths, "marts.dim_providers") > 0
