"""Unattended running: the content sensor, the automation conditions, and the daily rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG
from dagster._core.utils import make_new_run_id

from pipelines.definitions import defs
from pipelines.defs.automation import MAX_RETRIES, content_changes, daily_rebuild
from pipelines.resources import NewsdwPaths
from tests.conftest import article
from tests.helpers import downstream_on_one_machine


def tick(paths: NewsdwPaths, cursor: str | None, instance: dg.DagsterInstance):
    """One sensor evaluation, as the daemon runs it, whose requested runs then succeed."""
    result = evaluate(paths, cursor, instance)
    for request in result.run_requests:
        record_run(instance, request.run_key, dg.DagsterRunStatus.SUCCESS)
    return result


def evaluate(paths: NewsdwPaths, cursor: str | None, instance: dg.DagsterInstance):
    """One sensor evaluation on `instance`: its run requests, cursor and skip reason."""
    context = dg.build_sensor_context(cursor=cursor, resources={"paths": paths}, instance=instance)
    return content_changes.evaluate_tick(context)


def record_run(instance: dg.DagsterInstance, run_key: str, status: dg.DagsterRunStatus) -> None:
    """What the daemon does with a run request: a run tagged with the sensor and run key."""
    instance.add_run(
        dg.DagsterRun(
            job_name="__ASSET_JOB",
            run_id=make_new_run_id(),
            status=status,
            tags={RUN_KEY_TAG: run_key, SENSOR_NAME_TAG: content_changes.name},
        )
    )


@pytest.fixture
def paths(tmp_path: Path) -> NewsdwPaths:
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    for name in ("a", "b"):
        (content / "2024" / f"{name}.txt").write_text(article(name, f"https://x.com/{name}"))
    return NewsdwPaths(content_dir=str(content), warehouse_dir=str(tmp_path / "warehouse"))


def test_sensor_requests_one_run_per_change_and_none_without(paths: NewsdwPaths) -> None:
    content, instance = paths.content, dg.DagsterInstance.ephemeral()
    first = tick(paths, None, instance)
    assert len(first.run_requests) == 1  # nothing known yet: one look at the folder
    cursor = first.cursor

    unchanged = tick(paths, cursor, instance)
    assert unchanged.run_requests == []
    assert unchanged.skip_message == f"no change under {content} (2 files)"

    def change_then_settle(make_change) -> None:
        nonlocal cursor
        make_change()
        changed = tick(paths, cursor, instance)
        assert len(changed.run_requests) == 1
        assert changed.run_requests[0].asset_selection == [dg.AssetKey(["raw", "files"])]
        assert changed.cursor != cursor
        cursor = changed.cursor
        assert tick(paths, cursor, instance).run_requests == []

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
    assert tick(paths, cursor, instance).run_requests == []


def test_the_cursor_survives_a_restart(paths: NewsdwPaths) -> None:
    instance = dg.DagsterInstance.ephemeral()
    first = tick(paths, None, instance)
    stored = str(first.cursor)  # what the instance keeps between daemon restarts
    assert tick(paths, stored, instance).run_requests == []
    (paths.content / "new.txt").write_text(article("n", "https://x.com/n"))
    later = tick(paths, stored, instance)
    assert len(later.run_requests) == 1
    assert later.run_requests[0].run_key != first.run_requests[0].run_key


def test_content_back_in_an_earlier_state_gets_a_run_with_a_new_key(paths: NewsdwPaths) -> None:
    # Dagster never launches a run key twice: a key reused for an earlier state is no run.
    instance = dg.DagsterInstance.ephemeral()
    moved = paths.content / "2024" / "a.txt"
    aside = paths.content.parent / "a.txt"
    first = tick(paths, None, instance)
    moved.rename(aside)
    out = tick(paths, first.cursor, instance)
    aside.rename(moved)
    back = tick(paths, out.cursor, instance)
    keys = [result.run_requests[0].run_key for result in (first, out, back)]
    assert len(set(keys)) == 3
    assert tick(paths, back.cursor, instance).run_requests == []


def test_a_failed_run_is_requested_again_and_a_running_one_is_not(paths: NewsdwPaths) -> None:
    instance = dg.DagsterInstance.ephemeral()
    first = evaluate(paths, None, instance)
    (key,) = [request.run_key for request in first.run_requests]
    record_run(instance, key, dg.DagsterRunStatus.STARTED)
    running = evaluate(paths, first.cursor, instance)
    assert running.run_requests == []
    assert "waiting for run" in running.skip_message

    instance.report_run_failed(instance.get_runs()[0])
    retry = evaluate(paths, running.cursor, instance)
    (again,) = [request.run_key for request in retry.run_requests]
    assert again != key
    assert "retry" in retry.run_requests[0].tags["newsdw/change"]

    record_run(instance, again, dg.DagsterRunStatus.SUCCESS)
    assert evaluate(paths, retry.cursor, instance).run_requests == []


def test_a_run_that_keeps_failing_is_retried_a_few_times_only(paths: NewsdwPaths) -> None:
    instance = dg.DagsterInstance.ephemeral()
    cursor, keys = None, []
    for _ in range(10):
        result = evaluate(paths, cursor, instance)
        cursor = result.cursor
        for request in result.run_requests:
            keys.append(request.run_key)
            record_run(instance, request.run_key, dg.DagsterRunStatus.FAILURE)
    assert len(keys) == 1 + MAX_RETRIES
    assert "failed" in result.skip_message
    # A change is worth a new try.
    (paths.content / "new.txt").write_text(article("n", "https://x.com/n"))
    assert len(evaluate(paths, cursor, instance).run_requests) == 1


def test_sensor_skips_a_missing_content_folder(tmp_path: Path) -> None:
    paths = NewsdwPaths(content_dir=str(tmp_path / "nope"), warehouse_dir=str(tmp_path / "w"))
    result = tick(paths, None, dg.DagsterInstance.ephemeral())
    assert result.run_requests == []
    assert "does not exist" in result.skip_message


# What follows the raw files on one machine (the shards are a cluster build's, never requested).
DOWNSTREAM = downstream_on_one_machine()


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

    # A rebuild of a mart alone (say, by hand) refreshes the dashboards and nothing else.
    _materialised(instance, [dg.AssetKey(["marts", "provider_firsts"])])
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
    monkeypatch.setenv("NEWSDW_REBUILD_CRON", "0 4 29 2 *")  # once every four years
    assert daily_rebuild().cron_schedule == "0 4 29 2 *"


@pytest.mark.parametrize(
    ("cron", "says"),
    [
        ("61 * * *", "'61 * * *' has 4 fields; a cron schedule has 5"),
        ("0 4 * * * *", "'0 4 * * * *' has 6 fields; a cron schedule has 5"),
        ("61 * * * *", "'61 * * * *' is not a cron schedule: a field is out of range"),
        ("0 4 * x *", "'0 4 * x *' is not a cron schedule: "),
        ("0 4 31 2 *", "'0 4 31 2 *' never fires: no month in it has that day"),
        ("0 4 31 4 *", "'0 4 31 4 *' never fires: no month in it has that day"),
    ],
)
def test_a_bad_rebuild_cron_says_what_is_wrong(monkeypatch, cron: str, says: str) -> None:
    monkeypatch.setenv("NEWSDW_REBUILD_CRON", cron)
    with pytest.raises(ValueError) as error:
        daily_rebuild()
    assert str(error.value).startswith(f"NEWSDW_REBUILD_CRON={says}")
