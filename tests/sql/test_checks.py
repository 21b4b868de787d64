"""Every kind of model check fails on a table broken in that way, and passes on the real one."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.models import load_models, run_checks
from pipelines.models.catalog import SQL_DIR
from pipelines.models.checks import run_check
from pipelines.store.raw import RAW_CHECKS
from tests.conftest import article
from tests.helpers import build_tables

MODELS = {model.table: model for model in load_models(SQL_DIR)}

FILES = {
    "a.txt": article(
        "A", "https://p.com/a", publishedDateTime="2021-03-05", quality="40", topics="[X, Y]"
    ),
    "b.txt": article("B", "https://q.com/b", publishedDateTime="2021-04-05", topics="[X]"),
    "c.txt": article("C", "https://q.com/c", quality="120"),
    "d.txt": article("D", "https://q.com/d", publishedDateTime="2021-06-05", quality="10"),
    # One story of two outlets: the article and an entry of its related list, 2 hours apart.
    "s.txt": article(
        "AI beats experts at spotting breast cancer",
        "https://p.com/s",
        publishedDateTime="2021-03-06T10:00:00Z",
        related="[{title: AI system beats experts at spotting breast cancer,"
        " sourceUrl: 'https://r.com/s', publishedDateTime: '2021-03-06T12:00:00Z',"
        " provider: {name: R, domain: r.com}}]",
    ),
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
    ("marts.fct_articles", "update marts.fct_articles set story_id = 'nope' where title = 'A'", "reconcile_in_its_story"),
    ("marts.fct_articles", "update marts.fct_articles set n_files = 2 where title = 'A'", "reconcile_files_and_topics"),
    ("marts.fct_articles", "update marts.fct_articles set topic_keys = ['y', 'x'] where title = 'A'", "reconcile_files_and_topics"),
    ("marts.fct_articles", "update marts.fct_articles set story_id = null where title = 'A'", "not_null"),
    ("marts.dim_months", "delete from marts.dim_months where month = date '2021-05-01'", "reconcile_no_gap"),
    ("marts.dim_months", "delete from marts.dim_months where month = date '2021-06-01'", "reconcile_no_gap"),
    ("marts.dim_months", "update marts.dim_months set is_complete = true", "reconcile_only_the_last_incomplete"),
    ("marts.dim_months", "update marts.dim_months set is_complete = false where month = date '2021-03-01'", "reconcile_only_the_last_incomplete"),
    ("marts.dim_months", "update marts.dim_months set articles = 1 where month = date '2021-05-01'", "reconcile_articles_add_up"),
    ("marts.quality_monthly", "delete from marts.quality_monthly where month = date '2021-05-01'", "reconcile_every_calendar_month"),
    ("marts.quality_monthly", "update marts.quality_monthly set low_articles = low_articles + 1 where month = date '2021-03-01'", "reconcile_bands_add_up"),
    ("marts.provider_monthly", "delete from marts.provider_monthly where month = date '2021-05-01' and provider_domain = 'p.com'", "reconcile_dense_from_first_month"),
    ("marts.provider_monthly", "delete from marts.provider_monthly where month = date '2021-03-01' and provider_domain = 'p.com'", "reconcile_dense_from_first_month"),
    ("marts.topic_monthly", "delete from marts.topic_monthly where month = date '2021-05-01' and topic_key = 'x'", "reconcile_dense_from_first_month"),
    ("marts.story_items", "insert into marts.story_items select * from marts.story_items limit 1", "grain_unique"),
    ("marts.story_items", "update marts.story_items set is_first = null where article_id is not null", "not_null"),
    ("marts.story_items", "delete from marts.story_items where canonical_url = 'https://p.com/a'", "reconcile_every_article_in_one_story"),
    ("marts.story_items", "insert into marts.story_items select '0000000000000000', canonical_url, null, title, provider_domain, published_at, false, true, group_id, true, 0 from marts.story_items where canonical_url = 'https://r.com/s'", "reconcile_url_in_one_story"),
    ("marts.story_items", "update marts.story_items set is_core = true", "reconcile_one_core_item"),
    ("marts.story_items", "update marts.story_items set published_at = published_at + interval 97 hour where canonical_url = 'https://r.com/s'", "reconcile_stories_within_96_hours"),
    ("marts.story_items", "update marts.story_items set is_first = true", "reconcile_one_first_item"),
    ("marts.story_items", "update marts.story_items set hours_after_first = -1 where not is_first", "reconcile_one_first_item"),
    ("marts.story_items", "update marts.story_items set story_id = '0000000000000000' where canonical_url = 'https://p.com/a'", "reconcile_story_id_of_smallest_url"),
    ("marts.stories", "update marts.stories set items = items + 1 where providers = 2", "reconcile_items_add_up"),
    ("marts.stories", "update marts.stories set providers = 1 where providers = 2", "reconcile_items_add_up"),
    ("marts.stories", "delete from marts.stories where title = 'A'", "reconcile_articles_in_stories"),
    ("marts.stories", "update marts.stories set items = null where title = 'A'", "not_null"),
    ("marts.provider_firsts", "update marts.provider_firsts set stories_first = 0", "reconcile_firsts_add_up"),
    ("marts.provider_firsts", "update marts.provider_firsts set first_share = 0.5 where stories_first = 1", "reconcile_share_in_range"),
    ("marts.provider_firsts", "update marts.provider_firsts set stories_first = 2 where stories_first = 1", "reconcile_share_in_range"),
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
