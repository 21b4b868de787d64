"""The Dagster code location loads and its asset graph is what the docs describe."""

import dagster as dg

from pipelines.definitions import defs


def test_definitions_load_with_the_raw_assets() -> None:
    dg.Definitions.validate_loadable(defs)
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    assert set(specs) == {dg.AssetKey(["raw", "articles"]), dg.AssetKey(["raw", "quarantine"])}
    for spec in specs.values():
        assert spec.group_name == "raw"
        assert spec.description


def test_paths_resource_reads_the_environment(monkeypatch) -> None:
    from pipelines.resources import paths_from_env

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", "/data/articles")
    monkeypatch.delenv("NEWSDW_WAREHOUSE_DIR", raising=False)
    paths = paths_from_env()
    assert str(paths.content) == "/data/articles"
    assert paths.warehouse.name == "warehouse"
