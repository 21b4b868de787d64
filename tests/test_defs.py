"""The Dagster code location loads, and its asset graph is the one the docs describe."""

import dagster as dg

from pipelines.definitions import defs

# raw -> staging -> marts, as the models' SQL reads it.
GRAPH = {
    "raw/files": set(),
    "raw/articles": {"raw/files"},
    "raw/quarantine": {"raw/files"},
    "staging/stg_articles": {"raw/articles"},
    "staging/stg_article_topics": {"raw/articles", "staging/stg_articles"},
    "staging/stg_related_articles": {"raw/articles", "staging/stg_articles"},
    "marts/fct_articles": {
        "staging/stg_articles",
        "staging/stg_article_topics",
        "staging/stg_related_articles",
    },
    "marts/dim_providers": {"marts/fct_articles"},
    "marts/dim_topics": {"marts/fct_articles", "staging/stg_article_topics"},
    "marts/provider_monthly": {"marts/fct_articles"},
    "marts/quality_monthly": {"marts/fct_articles"},
    "marts/topic_monthly": {
        "marts/fct_articles",
        "marts/dim_topics",
        "staging/stg_article_topics",
    },
    "marts/provider_topic": {
        "marts/fct_articles",
        "marts/dim_topics",
        "staging/stg_article_topics",
    },
    "marts/topic_pairs": {"marts/fct_articles", "marts/dim_topics", "staging/stg_article_topics"},
    # The pages read the marts, plus raw and staging tables for the Data health page.
    "dashboards": {
        "raw/articles",
        "raw/quarantine",
        "staging/stg_articles",
        "staging/stg_article_topics",
        "staging/stg_related_articles",
        "marts/fct_articles",
        "marts/dim_providers",
        "marts/dim_topics",
        "marts/provider_monthly",
        "marts/topic_monthly",
        "marts/quality_monthly",
        "marts/provider_topic",
        "marts/topic_pairs",
    },
}


def test_asset_graph_is_pinned() -> None:
    dg.Definitions.validate_loadable(defs)
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    deps = {
        key: {dep.asset_key.to_user_string() for dep in spec.deps} for key, spec in specs.items()
    }
    assert deps == GRAPH
    for key, spec in specs.items():
        assert spec.group_name == key.split("/")[0]
        assert spec.description
        assert spec.kinds


# The checks of every table: grain and not-null on each model, plus the reconciliations.
CHECKS = {
    "raw/articles": {"grain_unique", "not_null", "reconcile_every_file_accounted"},
    "raw/quarantine": {"accepted_values_error_kind", "grain_unique"},
    "staging/stg_articles": {"grain_unique", "not_null", "unique_canonical_url"},
    "staging/stg_article_topics": {
        "grain_unique",
        "not_null",
        "reconcile_topics_point_at_articles",
    },
    "staging/stg_related_articles": {
        "grain_unique",
        "not_null",
        "reconcile_related_point_at_articles",
    },
    "marts/fct_articles": {
        "accepted_values_quality_band",
        "grain_unique",
        "not_null",
        "reconcile_band_matches_quality",
        "reconcile_every_staging_article",
    },
    "marts/dim_providers": {"grain_unique", "not_null", "reconcile_articles_add_up"},
    "marts/dim_topics": {"grain_unique", "not_null"},
    "marts/provider_monthly": {"grain_unique", "not_null", "reconcile_articles_add_up"},
    "marts/quality_monthly": {
        "grain_unique",
        "not_null",
        "reconcile_articles_add_up",
        "reconcile_quantiles_ordered",
    },
    "marts/provider_topic": {"grain_unique", "not_null"},
    "marts/topic_monthly": {"grain_unique", "not_null"},
    "marts/topic_pairs": {"grain_unique", "not_null", "reconcile_keys_ordered"},
}


def test_checks_are_pinned_and_only_mart_checks_block() -> None:
    checks = {}
    graph = defs.resolve_asset_graph()
    for spec in (graph.get_check_spec(key) for key in graph.asset_check_keys):
        checks.setdefault(spec.asset_key.to_user_string(), {})[spec.name] = spec.blocking
    assert {key: set(named) for key, named in checks.items()} == CHECKS
    for key, named in checks.items():
        assert all(blocking == key.startswith("marts/") for blocking in named.values())


def test_operators_see_owners_automation_freshness_and_one_writer_pool() -> None:
    from pipelines.warehouse import WRITER_POOL

    for spec in defs.resolve_all_asset_specs():
        key = spec.key.to_user_string()
        assert spec.owners == ["team:newsdw"]
        # raw/files is started by the sensor and the schedule; the rest follow it.
        assert (spec.automation_condition is None) == (key == "raw/files")
        assert (spec.freshness_policy is not None) == key.startswith("marts/")
        assert defs.resolve_assets_def(spec.key).op.pool == WRITER_POOL
    assert {sensor.name for sensor in defs.sensors} == {"content_changes", "follow_raw_data"}
    assert [schedule.name for schedule in defs.schedules] == ["daily_rebuild"]


def test_paths_resource_reads_the_environment(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.delenv("NEWSDW_WAREHOUSE_DIR", raising=False)
    paths = paths_from_env()
    assert str(paths.content) == "/data/articles"
    assert paths.warehouse.name == "warehouse"
