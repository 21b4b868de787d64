"""Every kind of model check fails on a table broken in that way, and passes on the real one."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.models import load_models, run_checks
from pipelines.models.catalog import SQL_DIR
from pipelines.models.checks import run_check
from pipelines.raw_tables import RAW_CHECKS
from tests.conftest import article
from tests.helpers import build_tables

MODELS = {model.table: model for model in load_models(SQL_DIR)}

FILES = {
    "a.txt": article(
        "A", "https://p.com/a", publishedDateTime="2021-03-05", quality="40", topics="[X, Y]"
    ),
    "b.txt": article("B", "https://q.com/b", publishedDateTime="2021-04-05", topics="[X]"),
    "c.txt": article("C", "https://q.com/c", quality="120"),
    "broken.txt": "no front matter here\n",
}

BREAKAGES = [
    ("marts.fct_articles", "insert into marts.fct_articles select * from marts.fct_articles limit 1", "grain_unique"),
    ("marts.fct_articles", "update marts.fct_articles set provider_domain = null where quality = 40", "not_null"),
    ("marts.fct_articles", "update marts.fct_articles set quality_band = 'great' where quality = 40", "accepted_values_quality_band"),
    ("marts.fct_articles", "update marts.fct_articles set quality_band = 'low' where quality = 120", "reconcile_band_matches_quality"),
    ("marts.fct_articles", "delete from marts.fct_articles where quality = 40", "reconcile_every_staging_article"),
    ("marts.provider_monthly", "update marts.provider_monthly set articles = articles + 1 where provider_domain = 'q.com'", "reconcile_articles_add_up"),
    ("marts.quality_monthly", "delete from marts.quality_monthly where month = date '2021-04-01'", "reconcile_articles_add_up"),
    ("marts.quality_monthly", "update marts.quality_monthly set p10_quality = 99 where rated_articles > 0", "reconcile_quantiles_ordered"),
    ("marts.dim_providers", "update marts.dim_providers set articles = 5 where provider_domain = 'p.com'", "reconcile_articles_add_up"),
    ("marts.topic_pairs", "update marts.topic_pairs set topic_key_a = 'z'", "reconcile_keys_ordered"),
    ("staging.stg_articles", "update staging.stg_articles set canonical_url = 'https://p.com/a'", "unique_canonical_url"),
    ("staging.stg_article_topics", "delete from staging.stg_articles where title = 'B'", "reconcile_topics_point_at_articles"),
    ("staging.stg_related_articles", "insert into staging.stg_related_articles (article_id, position) values ('nope', 1)", "reconcile_related_point_at_articles"),
]  # fmt: skip

RAW_BREAKAGES = [
    ("raw.articles", "insert into raw.articles select * from raw.articles limit 1", "grain_unique"),
    ("raw.articles", "update raw.articles set canonical_url = null where title = 'A'", "not_null"),
    ("raw.articles", "delete from raw.articles where title = 'A'", "reconcile_every_file_accounted"),
    ("raw.articles", "insert into raw.quarantine (source_path, error_kind) select source_path, 'encoding' from raw.articles limit 1", "reconcile_every_file_accounted"),
    ("raw.quarantine", "insert into raw.quarantine (source_path, error_kind) values ('x', 'weird')", "accepted_values_error_kind"),
    ("raw.quarantine", "insert into raw.quarantine (source_path, error_kind) values ('x', 'encoding'), ('x', 'encoding')", "grain_unique"),
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """Every table built once from FILES, shared by the module's cases."""
    return build_tables(tmp_path_factory.mktemp("checks"), FILES)


@pytest.fixture
def con(built):
    """The built tables inside a transaction that is rolled back after the case."""
    before = fingerprint(built)
    built.begin()
    yield built
    built.rollback()
    assert fingerprint(built) == before, "a case's breakage outlived its rollback"


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Each table's row count and a hash of its rows, to see that a rollback undid a case."""
    tables = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables() where not temporary"
    ).fetchall()
    return {
        t: con.execute(f"select count(*), bit_xor(hash(r)) from {t} as r").fetchone()
        for (t,) in tables
    }


def test_every_check_passes_on_the_built_tables(con):
    for table, checks in RAW_CHECKS.items():
        failed = [check.name for check in checks if not run_check(con, check).passed]
        assert failed == [], table
    for model in MODELS.values():
        failed = [o.check.name for o in run_checks(con, model) if not o.passed]
        assert failed == [], model.table


@pytest.mark.parametrize(("table", "breakage", "check"), BREAKAGES)
def test_a_broken_table_fails_its_check(con, table, breakage, check):
    con.execute(breakage)
    outcomes = {outcome.check.name: outcome for outcome in run_checks(con, MODELS[table])}
    assert not outcomes[check].passed
    assert outcomes[check].failing_rows >= 1
    assert outcomes[check].sample


@pytest.mark.parametrize(("table", "breakage", "check"), RAW_BREAKAGES)
def test_a_broken_raw_table_fails_its_check(con, table, breakage, check):
    con.execute(breakage)
    outcome = next(run_check(con, c) for c in RAW_CHECKS[table] if c.name == check)
    assert not outcome.passed and outcome.sample


def test_quantile_rounding_is_not_a_failure(tmp_path):
    # quantile_cont(0.1) over 63, 63, 71 is 63.00000000000001, a hair above the median 63.
    files = {
        f"{name}.txt": article(
            name, f"https://p.com/{name}", publishedDateTime="2021-07-05", quality=quality
        )
        for name, quality in [("a", "63"), ("b", "63"), ("c", "71")]
    }
    con = build_tables(tmp_path, files)
    assert con.execute(
        "select p10_quality > median_quality from marts.quality_monthly"
    ).fetchall() == [(True,)]
    outcomes = {o.check.name: o.passed for o in run_checks(con, MODELS["marts.quality_monthly"])}
    assert outcomes["reconcile_quantiles_ordered"]
