"""Unattended running: the content sensor, the automation conditions, and the daily rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.automation import content_changes, daily_rebuild
from pipelines.resources import NewsdwPaths
from tests.conftest import article


def tick(paths: NewsdwPaths, cursor: str | None):
    """One sensor evaluation, as the daemon runs it: its run requests, cursor and skip reason."""
    context = dg.build_sensor_context(cursor=cursor, resources={"paths": paths})
    return content_changes.evaluate_tick(context)


@pytest.fixture
def paths(tmp_path: Path) -> NewsdwPaths:
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    for name in ("a", "b"):
        (content / "2024" / f"{name}.txt").write_text(article(name, f"https://x.com/{name}"))
    return NewsdwPaths(content_dir=str(content), warehouse_dir=str(tmp_path / "warehouse"))


def test_sensor_requests_one_run_per_change_and_none_without(paths: NewsdwPaths) -> None:
    content = paths.content
    first = tick(paths, None)
    assert len(first.run_requests) == 1  # nothing known yet: one look at the folder
    cursor = first.cursor

    unchanged = tick(paths, cursor)
    assert unchanged.run_requests == []
    assert unchanged.skip_message == f"no change under {content} (2 files)"

    def change_then_settle(make_change) -> None:
        nonlocal cursor
        make_change()
        changed = tick(paths, cursor)
        assert len(changed.run_requests) == 1
        assert changed.run_requests[0].asset_selection == [dg.AssetKey(["raw", "files"])]
        assert changed.cursor != cursor
        cursor = changed.cursor
        assert tick(paths, cursor).run_requests == []

    change_then_settle(
        lambda: (content / "2024" / "c.txt").write_text(article("c", "https://x.com/c"))
    )
    change_then_settle(
        lambda: (content / "2024" / "a.txt").write_text(article("a2", "https://x.com/a"))
    )
    change_then_settle(lambda: (content / "2024" / "b.txt").unlink())
    # A file whose bytes stay but whose mtime moves is a change too: the sensor opens nothing.
    change_then_settle(lambda: os.utime(content / "2024" / "c.txt", (1, 1)))
    # Hidden paths are not content, as in the ingest.
    (content / ".git").mkdir()
    (content / ".git" / "HEAD").write_text("ref")
    assert tick(paths, cursor).run_requests == []


def test_the_cursor_survives_a_restart_and_run_keys_repeat(paths: NewsdwPaths) -> None:
    first = tick(paths, None)
    stored = str(first.cursor)  # what the instance keeps between daemon restarts
    assert tick(paths, stored).run_requests == []
    (paths.content / "new.txt").write_text(article("n", "https://x.com/n"))
    again = tick(paths, None)  # a sensor that lost its cursor asks once, with the same key
    later = tick(paths, stored)
    assert later.run_requests[0].run_key == again.run_requests[0].run_key
    assert later.run_requests[0].run_key != first.run_requests[0].run_key


def test_sensor_skips_a_missing_content_folder(tmp_path: Path) -> None:
    paths = NewsdwPaths(content_dir=str(tmp_path / "nope"), warehouse_dir=str(tmp_path / "w"))
    result = tick(paths, None)
    assert result.run_requests == []
    assert "does not exist" in result.skip_message


DOWNSTREAM = {key for key in defs.resolve_all_asset_keys() if key != dg.AssetKey(["raw", "files"])}


def _requested(result) -> set[dg.AssetKey]:
    return {key for key in defs.resolve_all_asset_keys() if result.get_num_requested(key)}


def _materialised(instance: dg.DagsterInstance, keys) -> None:
    for key in keys:
        instance.report_runless_asset_event(dg.AssetMaterialization(key))


def test_tables_and_dashboards_follow_raw_data_and_only_then() -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert _requested(result) == set()  # no raw data yet: nothing to follow

    _materialised(instance, [dg.AssetKey(["raw", "files"])])
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert _requested(result) == DOWNSTREAM
    assert dg.AssetKey(["marts", "topic_pairs"]) in DOWNSTREAM
    assert dg.AssetKey("dashboards") in DOWNSTREAM

    _materialised(instance, sorted(DOWNSTREAM, key=lambda key: key.to_user_string()))
    for _ in range(2):  # the run that followed is done: nothing more, tick after tick
        result = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=result.cursor
        )
        assert _requested(result) == set()

    # A rebuild of the marts alone (say, by hand) refreshes the dashboards and nothing else.
    _materialised(instance, [dg.AssetKey(["marts", "dim_providers"])])
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert _requested(result) == {dg.AssetKey("dashboards")}

    _materialised(instance, [dg.AssetKey("dashboards")])
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert _requested(result) == set()

    # New raw data again: everything downstream follows, in one request.
    _materialised(instance, [dg.AssetKey(["raw", "files"])])
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert _requested(result) == DOWNSTREAM


def test_daily_rebuild_is_configured_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("NEWSDW_REBUILD_CRON", "30 2 * * 1-5")
    monkeypatch.setenv("NEWSDW_REBUILD_TIMEZONE", "Europe/Paris")
    schedule = daily_rebuild()
    assert schedule.cron_schedule == "30 2 * * 1-5"
    assert schedule.execution_timezone == "Europe/Paris"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    monkeypatch.setenv("NEWSDW_REBUILD_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="not an IANA time zone"):
        daily_rebuild()
    monkeypatch.setenv("NEWSDW_REBUILD_TIMEZONE", "UTC")
    monkeypatch.setenv("NEWSDW_REBUILD_CRON", "61 * * *")
    with pytest.raises(ValueError, match="NEWSDW_REBUILD_CRON='61 \\* \\* \\*' is not a cron"):
        daily_rebuild()
