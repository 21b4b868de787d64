"""The Dagster code location loads, and its asset graph is the one written out below.

The expectations are literal: a new model, check or dependency is one more line here. The
code location is also built from a copy of `sql/` with one more mart, which must add that
asset, its lineage and its checks, and change nothing else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import raw_files
from pipelines.defs.models import SQL_DIR, warehouse_tables
from pipelines.defs.shards import raw_shards_asset
from pipelines.resources import NewsdwPaths

LAYERS = ("raw", "seeds", "staging", "intermediate", "marts")

# Every asset: its upstream assets and its checks. Checks on marts block; the others warn.
GRAPH: dict[str, tuple[set[str], set[str]]] = {
    "raw/files": (set(), set()),
    # The raw ingest in hash shards, one partition each: a cluster build's, beside the graph.
    "raw/shards": (set(), set()),
    "raw/articles": (
        {"raw/files"},
        {"grain_unique", "not_null", "reconcile_every_file_accounted"},
    ),
    "raw/quarantine": ({"raw/files"}, {"grain_unique", "accepted_values_error_kind"}),
    "seeds/provider_kinds": (
        {"raw/articles"},
        {"grain_unique", "not_null", "accepted_values_provider_kind"},
    ),
    "staging/stg_articles": (
        {"raw/articles"},
        {"grain_unique", "not_null", "unique_canonical_url"},
    ),
    "staging/stg_article_topics": (
        {"raw/articles", "staging/stg_articles"},
        {"grain_unique", "not_null", "reconcile_topics_point_at_articles"},
    ),
    "staging/stg_related_articles": (
        {"raw/articles", "staging/stg_articles"},
        {"grain_unique", "not_null", "reconcile_related_point_at_articles"},
    ),
    "intermediate/int_story_edges": (
        {"staging/stg_articles", "staging/stg_related_articles"},
        {"grain_unique", "not_null", "accepted_values_kind", "reconcile_title_links_both_ways"},
    ),
    "marts/story_items": (
        {
            "intermediate/int_story_edges",
            "staging/stg_articles",
            "staging/stg_related_articles",
        },
        {
            "grain_unique",
            "not_null",
            "reconcile_every_article_in_one_story",
            "reconcile_one_core_item",
            "reconcile_one_first_item",
            "reconcile_stories_within_96_hours",
            "reconcile_story_id_of_smallest_url",
            "reconcile_url_in_one_story",
        },
    ),
    "marts/stories": (
        {"marts/story_items"},
        {"grain_unique", "not_null", "reconcile_articles_in_stories", "reconcile_items_add_up"},
    ),
    "marts/fct_articles": (
        {
            "marts/story_items",
            "staging/stg_article_topics",
            "staging/stg_articles",
            "staging/stg_related_articles",
        },
        {
            "grain_unique",
            "not_null",
            "accepted_values_quality_band",
            "reconcile_band_matches_quality",
            "reconcile_every_staging_article",
            "reconcile_files_and_topics",
            "reconcile_in_its_story",
        },
    ),
    "marts/dim_months": (
        {"marts/fct_articles"},
        {
            "grain_unique",
            "not_null",
            "reconcile_articles_add_up",
            "reconcile_no_gap",
            "reconcile_only_the_last_incomplete",
        },
    ),
    "marts/dim_providers": (
        {"marts/fct_articles", "seeds/provider_kinds", "staging/stg_articles"},
        {"grain_unique", "not_null", "accepted_values_provider_kind", "reconcile_articles_add_up"},
    ),
    "marts/dim_topics": (
        {"marts/fct_articles", "staging/stg_article_topics"},
        {"grain_unique", "not_null"},
    ),
    "marts/provider_firsts": (
        {"marts/dim_providers", "marts/stories", "marts/story_items", "seeds/provider_kinds"},
        {"grain_unique", "not_null", "reconcile_firsts_add_up", "reconcile_share_in_range"},
    ),
    "marts/agg_provider_months": (
        {"marts/fct_articles"},
        {"grain_unique", "not_null", "reconcile_adds_up_to_the_facts", "reconcile_bands_add_up"},
    ),
    "marts/agg_provider_topic_months": (
        {"marts/fct_articles"},
        {"grain_unique", "not_null", "reconcile_adds_up_to_the_facts", "reconcile_bands_add_up"},
    ),
    "marts/provider_monthly": (
        {"marts/agg_provider_months", "marts/dim_months", "marts/fct_articles"},
        {
            "grain_unique",
            "not_null",
            "reconcile_articles_add_up",
            "reconcile_dense_from_first_month",
        },
    ),
    "marts/provider_topic": (
        {"marts/dim_topics", "marts/fct_articles", "staging/stg_article_topics"},
        {"grain_unique", "not_null"},
    ),
    "marts/quality_monthly": (
        {"marts/agg_provider_months", "marts/dim_months", "marts/fct_articles"},
        {
            "grain_unique",
            "not_null",
            "reconcile_articles_add_up",
            "reconcile_bands_add_up",
            "reconcile_every_calendar_month",
            "reconcile_quantiles_ordered",
        },
    ),
    "marts/topic_monthly": (
        {"marts/agg_provider_topic_months", "marts/dim_months", "marts/dim_topics"},
        {"grain_unique", "not_null", "reconcile_dense_from_first_month"},
    ),
    "marts/topic_pairs": (
        {"marts/dim_topics", "marts/fct_articles", "staging/stg_article_topics"},
        {"grain_unique", "not_null", "reconcile_keys_ordered"},
    ),
    # The pages read the marts, and raw and staging for Data health.
    "dashboards": (
        {
            "marts/agg_provider_months",
            "marts/agg_provider_topic_months",
            "marts/dim_months",
            "marts/dim_providers",
            "marts/dim_topics",
            "marts/fct_articles",
            "marts/provider_firsts",
            "marts/stories",
            "marts/story_items",
            "raw/articles",
            "raw/quarantine",
            "staging/stg_article_topics",
            "staging/stg_articles",
            "staging/stg_related_articles",
        },
        set(),
    ),
}

EXTRA_MART = """/*
description: Articles of the top quality band per provider.
grain: [provider_domain]
not_null: [top_articles]
unique: [provider_domain]
reconcile:
  not_negative:
    description: No provider has fewer than no articles.
    sql: select * from marts.provider_top where top_articles < 0
columns:
  provider_domain: The provider.
  top_articles: Its articles of 100 and over.
*/
select provider_domain, count(*) filter (where quality_band = 'top') as top_articles
from marts.fct_articles join staging.stg_articles using (article_id)
group by all
"""
# What the file above adds to the graph.
EXTRA_GRAPH = {
    "marts/provider_top": (
        {"marts/fct_articles", "staging/stg_articles"},
        {"grain_unique", "not_null", "unique_provider_domain", "reconcile_not_negative"},
    )
}


@pytest.fixture(scope="module", params=["sql", "sql plus a mart"])
def location(request, tmp_path_factory) -> tuple[dg.Definitions, dict]:
    """The code location's definitions and the graph they must have."""
    if request.param == "sql":
        return defs, GRAPH
    sql_dir = tmp_path_factory.mktemp("defs") / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "marts" / "provider_top.sql").write_text(EXTRA_MART)
    extended = dg.Definitions(
        assets=[raw_files, warehouse_tables(sql_dir), dashboards, raw_shards_asset()],
        resources=defs.resources,
    )
    return extended, GRAPH | EXTRA_GRAPH


def specs_of(location) -> dict[str, dg.AssetSpec]:
    return {spec.key.to_user_string(): spec for spec in location[0].resolve_all_asset_specs()}


def deps_of(spec: dg.AssetSpec) -> set[str]:
    return {dep.asset_key.to_user_string() for dep in spec.deps}


def test_the_code_location_loads(location) -> None:
    dg.Definitions.validate_loadable(location[0])


def test_the_assets_their_groups_and_their_upstream_assets(location) -> None:
    specs, graph = specs_of(location), location[1]
    assert {key: deps_of(spec) for key, spec in specs.items()} == {
        key: deps for key, (deps, _) in graph.items()
    }
    for key, spec in specs.items():
        # The group is the key's first part: raw, seeds, staging, intermediate, marts,
        # dashboards.
        assert spec.group_name == key.split("/")[0], key
        assert spec.description, key
        assert spec.kinds, key
    sql_assets = {key for key, spec in specs.items() if "sql" in spec.kinds}
    layers = ("seeds/", "staging/", "intermediate/", "marts/")
    assert sql_assets == {key for key in graph if key.startswith(layers)}


def test_no_table_reads_a_later_layer(location) -> None:
    for key, (deps, _) in location[1].items():
        if key.split("/")[0] in LAYERS:
            layer = LAYERS.index(key.split("/")[0])
            assert all(LAYERS.index(dep.split("/")[0]) <= layer for dep in deps), key


def test_the_checks_and_only_the_marts_block(location) -> None:
    graph = location[0].resolve_asset_graph()
    checks: dict[str, dict[str, bool]] = {}
    for spec in (graph.get_check_spec(key) for key in graph.asset_check_keys):
        checks.setdefault(spec.asset_key.to_user_string(), {})[spec.name] = spec.blocking
        assert spec.description, spec.key
    expected = {key: named for key, (_, named) in location[1].items() if named}
    assert {key: set(named) for key, named in checks.items()} == expected
    for key, named in checks.items():
        assert all(blocking == key.startswith("marts/") for blocking in named.values()), key


def test_operators_see_owners_automation_freshness_and_one_writer_pool(location) -> None:
    for spec in location[0].resolve_all_asset_specs():
        key = spec.key.to_user_string()
        assert spec.owners == ["team:newsdw"]
        # raw/files is started by the sensor and the schedule, raw/shards by a cluster build;
        # the rest follow them.
        assert (spec.automation_condition is None) == (key in ("raw/files", "raw/shards"))
        assert (spec.freshness_policy is not None) == key.startswith("marts/")
        # Every writer of the warehouse folder is in the one-slot pool; shards, which write
        # only the lake and commit side by side, are not.
        pool = location[0].resolve_assets_def(spec.key).op.pool
        assert pool == (None if key == "raw/shards" else "newsdw_warehouse"), key


def test_sensors_schedule_and_resources() -> None:
    assert sorted(sensor.name for sensor in defs.sensors) == ["content_changes", "follow_raw_data"]
    assert [schedule.name for schedule in defs.schedules] == [
        "daily_rebuild",
        "lake_maintenance_daily",
    ]
    assert [job.name for job in defs.jobs] == [
        "lake_maintenance",
        "raw_shards",
        "raw_shards_celery",
    ]
    for name in ("raw_shards", "raw_shards_celery"):
        keys = defs.get_job_def(name).partitions_def.get_partition_keys()
        assert keys[:2] == ["0-of-8", "1-of-8"] and len(keys) == 8
    assert list(defs.resources) == ["paths"]
    assert isinstance(defs.resources["paths"], NewsdwPaths)


def test_settings_default_without_the_environment(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    for name in (
        "NEWSDW_CONTENT_DIR",
        "NEWSDW_WAREHOUSE_DIR",
        "NEWSDW_DUCKDB_MEMORY",
        "NEWSDW_LAKE_KEEP_DAYS",
        "NEWSDW_LAKE_KEEP_BUILDS",
        "NEWSDW_CATALOG",
        "NEWSDW_DATA",
    ):
        monkeypatch.delenv(name, raising=False)
    with dg.build_resources({"paths": paths_from_env()}) as resources:
        paths = resources.paths
    assert paths.content == Path("content").resolve()
    assert paths.warehouse == Path("warehouse").resolve()
    assert paths.duckdb_memory == "1GB"
    assert (paths.catalog_url, paths.data_url) == ("", "")
    assert (paths.lake_keep_days, paths.lake_keep_builds) == (7, 50)


def test_settings_read_the_environment_when_a_run_starts(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.setenv("NEWSDW_DUCKDB_MEMORY", "4GB")
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", "")  # empty: the default
    monkeypatch.setenv("NEWSDW_LAKE_KEEP_BUILDS", "5")
    resource = paths_from_env()
    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/later")  # read at the run, not at load
    with dg.build_resources({"paths": resource}) as resources:
        paths = resources.paths
    assert (str(paths.content), paths.warehouse.name) == ("/data/later", "warehouse")
    assert paths.duckdb_memory == "4GB"
    assert paths.lake_keep_builds == 5


def test_the_command_line_settings_are_flags_then_environment_then_defaults(monkeypatch) -> None:
    from pipelines.resources import paths_from_env, settings_now

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", "/data/warehouse")
    for name in ("NEWSDW_DUCKDB_MEMORY", "NEWSDW_LAKE_KEEP_DAYS", "NEWSDW_LAKE_KEEP_BUILDS"):
        monkeypatch.delenv(name, raising=False)
    settings = settings_now(content_dir="/flag/content", warehouse_dir=None)
    assert settings.model_dump() == {
        "content_dir": "/flag/content",
        "warehouse_dir": "/data/warehouse",
        "duckdb_memory": "1GB",
        "catalog_url": "",
        "data_url": "",
        "lake_keep_days": 7,
        "lake_keep_builds": 50,
    }
    # `newsdw build` gives them all as the run's config of the resource: they win over the
    # environment (a field left out of run config would take its default, not its variable).
    given = {"paths": {"config": settings.model_dump()}}
    with dg.build_resources({"paths": paths_from_env()}, resource_config=given) as resources:
        paths = resources.paths
    assert (str(paths.content), str(paths.warehouse)) == ("/flag/content", "/data/warehouse")


def test_the_dashboards_page_list_counts_in_words_and_sums_up_the_drill_downs() -> None:
    from dashboards.site import PageFile
    from pipelines.defs.dashboards import _page_list

    pages = [
        PageFile("Overview", Path("index.html"), 2048, 1),
        PageFile("Topics", Path("topics.html"), 4096, 3),
        *(PageFile(f"p{i}", Path(f"provider-p{i}.html"), 1024, 2, in_menu=False) for i in range(2)),
    ]
    lines = _page_list(pages).splitlines()
    # "1 charts" was a glitch of the old list; the drill-down pages are one line, not 100.
    assert lines == [
        "- Overview: `index.html`, 1 chart, 2 KiB",
        "- Topics: `topics.html`, 3 charts, 4 KiB",
        "- and 2 drill-down pages (`provider-*.html`, `topic-*.html`)",
    ]
