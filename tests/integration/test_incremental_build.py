"""A build that finds nothing new does nothing downstream; a change rebuilds what follows."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import RAW_FILES, REBUILD_TAG, raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.models.catalog import SQL_DIR
from pipelines.resources import NewsdwPaths
from pipelines.store.lake import latest_snapshot
from tests.conftest import article
from tests.helpers import downstream_on_one_machine

# Every asset a build on one machine makes after the raw files (the shards are a cluster's).
DOWNSTREAM = downstream_on_one_machine()


@pytest.fixture
def setup(tmp_path: Path):
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    for name in ("a", "b", "c"):
        (content / "2024" / f"{name}.txt").write_text(article(name, f"https://x.com/{name}"))
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(tmp_path / "warehouse"))
    instance = dg.DagsterInstance.ephemeral()
    assets = [raw_files, warehouse_tables(), dashboards]

    def build(assets=assets, **kwargs) -> dg.ExecuteInProcessResult:
        result = dg.materialize(assets, resources={"paths": paths}, instance=instance, **kwargs)
        assert result.success
        return result

    return paths, instance, build


def _materialised(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {event.asset_key for event in result.get_asset_materialization_events()}


def _skipped(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.step_key for event in result.all_events if event.is_step_skipped}


def test_an_unchanged_rebuild_does_no_downstream_work(setup) -> None:
    paths, instance, build = setup
    first = build()
    assert _materialised(first) == {RAW_FILES, *DOWNSTREAM}
    published = latest_snapshot(paths.warehouse)
    index = (paths.warehouse / "dashboards" / "index.html").stat()
    automation = dg.evaluate_automation_conditions(defs=defs, instance=instance)

    second = build()
    assert _materialised(second) == set()
    assert _skipped(second) == {"warehouse_tables", "dashboards"}
    (observation,) = second.get_asset_observation_events()
    metadata = observation.asset_observation_data.asset_observation.metadata
    assert metadata["nothing_changed"].value is True
    assert metadata["files_unchanged"].value == 3
    # The raw layer reports the data version it already had.
    materialised = instance.get_latest_materialization_event(RAW_FILES).asset_materialization
    assert metadata["data_version"].value == materialised.tags["dagster/data_version"]
    assert latest_snapshot(paths.warehouse) == published
    index_now = (paths.warehouse / "dashboards" / "index.html").stat()
    assert index_now.st_mtime_ns == index.st_mtime_ns
    for _ in range(2):  # and the automation asks for nothing
        automation = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=automation.cursor
        )
        assert automation.total_requested == 0

    # One changed file, ingested alone as the content sensor asks: everything downstream follows.
    (paths.content / "2024" / "b.txt").write_text(article("b2", "https://x.com/b"))
    sensed = build(selection=[RAW_FILES])
    assert _materialised(sensed) == {RAW_FILES}
    automation = dg.evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=automation.cursor
    )
    requested = {key for key in DOWNSTREAM if automation.get_num_requested(key)}
    assert requested == DOWNSTREAM


def test_the_tables_left_behind_by_an_ingest_alone_are_caught_up(setup) -> None:
    paths, _, build = setup
    build()
    (paths.content / "2024" / "d.txt").write_text(article("d", "https://x.com/d"))
    build(selection=[RAW_FILES])  # the manifest moves on; the tables do not
    caught_up = build()  # nothing new to parse, but the tables are behind the manifest
    assert caught_up.get_asset_materialization_events()
    assert _materialised(caught_up) == {RAW_FILES, *DOWNSTREAM}


def test_a_forced_or_code_changed_rebuild_does_the_work(setup, tmp_path: Path) -> None:
    _, _, build = setup
    build()
    assert _materialised(build(tags={REBUILD_TAG: "always"})) == {RAW_FILES, *DOWNSTREAM}
    assert _materialised(build()) == set()
    # A changed model (a new code version of its asset): the same manifest, everything rebuilt.
    sql_dir = shutil.copytree(SQL_DIR, tmp_path / "sql")
    model = sql_dir / "marts" / "dim_topics.sql"
    model.write_text(model.read_text() + "\n-- a changed model\n")
    changed = [raw_files, warehouse_tables(sql_dir), dashboards]
    assert _materialised(build(assets=changed)) == {RAW_FILES, *DOWNSTREAM}
    assert _materialised(build(assets=changed)) == set()
