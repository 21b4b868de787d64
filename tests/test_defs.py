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


def test_every_model_has_grain_and_not_null_checks_and_marts_block() -> None:
    checks = {}
    graph = defs.resolve_asset_graph()
    for spec in (graph.get_check_spec(key) for key in graph.asset_check_keys):
        checks.setdefault(spec.asset_key.to_user_string(), {})[spec.name] = spec.blocking
    tables = [key for key in GRAPH if key not in {"raw/files", "dashboards"}]
    assert set(checks) == set(tables)
    for key, named in checks.items():
        assert "grain_unique" in named
        assert all(blocking == key.startswith("marts/") for blocking in named.values())
        if not key.startswith("raw/"):
            assert "not_null" in named
    assert "reconcile_every_file_accounted" in checks["raw/articles"]
    assert "accepted_values_quality_band" in checks["marts/fct_articles"]
    assert "reconcile_every_staging_article" in checks["marts/fct_articles"]
    assert "reconcile_articles_add_up" in checks["marts/provider_monthly"]
    assert "reconcile_topics_point_at_articles" in checks["staging/stg_article_topics"]


def test_paths_resource_reads_the_environment(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.delenv("NEWSDW_WAREHOUSE_DIR", raising=False)
    paths = paths_from_env()
    assert str(paths.content) == "/data/articles"
    assert paths.warehouse.name == "warehouse"
