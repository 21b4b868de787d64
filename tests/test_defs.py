"""The Dagster code location loads, and its asset graph is the one the models' SQL describes.

Every assertion here is an invariant over `sql/`, so adding a model needs no edit: each is
checked on the real folder and on a copy with one more mart.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from dashboards.data import query_tables
from pipelines.definitions import defs
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import RAW_FILES, raw_files
from pipelines.defs.models import SQL_DIR, table_key, warehouse_tables
from pipelines.models import load_models
from pipelines.models.catalog import upstream_tables
from pipelines.raw_tables import RAW_CHECKS, RAW_TABLES

LAYERS = ("raw", "staging", "marts")

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


@pytest.fixture(scope="module", params=["sql", "sql plus a mart"])
def location(request, tmp_path_factory) -> tuple[dg.Definitions, Path]:
    """The code location's definitions and the `sql/` folder they were made from."""
    if request.param == "sql":
        return defs, SQL_DIR
    sql_dir = tmp_path_factory.mktemp("defs") / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "marts" / "provider_top.sql").write_text(EXTRA_MART)
    extended = dg.Definitions(
        assets=[raw_files, warehouse_tables(sql_dir), dashboards],
        resources=defs.resources,
    )
    return extended, sql_dir


def specs_of(location) -> dict[dg.AssetKey, dg.AssetSpec]:
    return {spec.key: spec for spec in location[0].resolve_all_asset_specs()}


def deps_of(spec: dg.AssetSpec) -> set[dg.AssetKey]:
    return {dep.asset_key for dep in spec.deps}


def test_the_code_location_loads(location) -> None:
    dg.Definitions.validate_loadable(location[0])


def test_every_sql_file_is_a_documented_asset_in_its_schemas_group(location) -> None:
    specs, sql_dir = specs_of(location), location[1]
    files = {dg.AssetKey([path.parent.name, path.stem]) for path in sql_dir.glob("*/*.sql")}
    assert {path.parent.name for path in sql_dir.glob("*/*.sql")} >= {"staging", "marts"}
    assert {key for key, spec in specs.items() if "sql" in spec.kinds} == files
    tables = {table_key(table) for table in RAW_TABLES} | files
    assert set(specs) == tables | {RAW_FILES, dg.AssetKey("dashboards")}
    for key, spec in specs.items():
        assert spec.group_name == key.path[0]
        assert spec.description
        assert spec.kinds


def test_each_assets_deps_are_the_tables_its_sql_reads(location) -> None:
    specs, sql_dir = specs_of(location), location[1]
    for path in sql_dir.glob("*/*.sql"):
        sql = path.read_text().split("*/", 1)[1]
        expected = {table_key(table) for table in upstream_tables(sql)}
        assert deps_of(specs[dg.AssetKey([path.parent.name, path.stem])]) == expected, path
    for table in RAW_TABLES:
        assert deps_of(specs[table_key(table)]) == {RAW_FILES}
    assert deps_of(specs[RAW_FILES]) == set()
    # The pages read what their queries name: marts, plus raw and staging for Data health.
    assert deps_of(specs[dg.AssetKey("dashboards")]) == {table_key(t) for t in query_tables()}


def test_no_table_reads_a_later_layer_and_every_dep_is_an_asset(location) -> None:
    specs = specs_of(location)
    for key, spec in specs.items():
        assert deps_of(spec) <= set(specs), key
        if key.path[0] in LAYERS and len(key.path) == 2:
            layer = LAYERS.index(key.path[0])
            assert all(LAYERS.index(dep.path[0]) <= layer for dep in deps_of(spec)), key


def test_every_model_has_the_checks_its_header_asks_for_and_only_marts_block(location) -> None:
    graph = location[0].resolve_asset_graph()
    checks: dict[dg.AssetKey, dict[str, bool]] = {}
    for spec in (graph.get_check_spec(key) for key in graph.asset_check_keys):
        checks.setdefault(spec.asset_key, {})[spec.name] = spec.blocking
        assert spec.description, spec.key
    models = load_models(location[1])
    expected = {
        table_key(table): {check.name for check in raw_checks}
        for table, raw_checks in RAW_CHECKS.items()
    }
    for model in models:
        # Grain and not-null on every model, then one check per header entry.
        expected[table_key(model.table)] = {
            "grain_unique",
            "not_null",
            *(f"unique_{column}" for column in model.unique),
            *(f"accepted_values_{column}" for column in model.accepted_values),
            *(check.name for check in model.reconciliations),
        }
    assert {key: set(named) for key, named in checks.items()} == expected
    for key, named in checks.items():
        assert all(blocking == (key.path[0] == "marts") for blocking in named.values())


def test_operators_see_owners_automation_freshness_and_one_writer_pool(location) -> None:
    from pipelines.warehouse import WRITER_POOL

    for spec in location[0].resolve_all_asset_specs():
        key = spec.key.to_user_string()
        assert spec.owners == ["team:newsdw"]
        # raw/files is started by the sensor and the schedule; the rest follow it.
        assert (spec.automation_condition is None) == (key == "raw/files")
        assert (spec.freshness_policy is not None) == key.startswith("marts/")
        assert location[0].resolve_assets_def(spec.key).op.pool == WRITER_POOL


def test_sensors_and_schedule() -> None:
    assert {sensor.name for sensor in defs.sensors} == {"content_changes", "follow_raw_data"}
    assert [schedule.name for schedule in defs.schedules] == ["daily_rebuild"]


def test_settings_default_without_the_environment(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    for name in ("NEWSDW_CONTENT_DIR", "NEWSDW_WAREHOUSE_DIR", "NEWSDW_DUCKDB_MEMORY"):
        monkeypatch.delenv(name, raising=False)
    with dg.build_resources({"paths": paths_from_env()}) as resources:
        paths = resources.paths
    assert paths.content == Path("content").resolve()
    assert paths.warehouse == Path("warehouse").resolve()
    assert paths.duckdb_memory == "1GB"
    assert (paths.catalog_url, paths.data_url) == ("", "")


def test_settings_read_the_environment_when_a_run_starts(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.setenv("NEWSDW_DUCKDB_MEMORY", "4GB")
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", "")  # empty: the default
    resource = paths_from_env()
    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/later")  # read at the run, not at load
    with dg.build_resources({"paths": resource}) as resources:
        paths = resources.paths
    assert (str(paths.content), paths.warehouse.name) == ("/data/later", "warehouse")
    assert paths.duckdb_memory == "4GB"


def test_the_command_line_settings_are_flags_then_environment_then_defaults(monkeypatch) -> None:
    from pipelines.resources import paths_from_env, settings_now

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", "/data/warehouse")
    monkeypatch.delenv("NEWSDW_DUCKDB_MEMORY", raising=False)
    settings = settings_now(content_dir="/flag/content", warehouse_dir=None)
    assert settings.model_dump() == {
        "content_dir": "/flag/content",
        "warehouse_dir": "/data/warehouse",
        "duckdb_memory": "1GB",
        "catalog_url": "",
        "data_url": "",
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
