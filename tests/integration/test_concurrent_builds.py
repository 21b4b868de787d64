"""Two overlapping `newsdw build`s on one warehouse: one writer at a time, both succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.build import open_instance
from pipelines.defs.models import SQL_DIR
from pipelines.generate import generate_corpus
from pipelines.models import load_models, run_checks
from pipelines.store.lake import connect_read_only
from pipelines.store.lock import WRITER_POOL

BUILD = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]


def _build_setup(tmp_path: Path, seed: int) -> tuple[Path, Path, list[str], dict[str, str]]:
    """A generated corpus of 300 files, and the `newsdw build` command and env for it."""
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    generate_corpus(content, 300, seed=seed)
    command = [*BUILD, "--content", str(content), "--warehouse", str(warehouse)]
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    return content, warehouse, command, env


# The first build's ingest step, holding the pool slot, waits for the test's go-ahead: the
# second build is then sure to find the slot taken, however fast or slow the machine.
_HOLD_UNTIL_RELEASED = """
import os, time
from pathlib import Path
from pipelines.defs import ingest
real = ingest.ingest_isolated
def held(*args, **kwargs):
    Path(os.environ["HOLDING_MARKER"]).touch()
    deadline = time.monotonic() + 300
    while not Path(os.environ["RELEASE_MARKER"]).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return real(*args, **kwargs)
ingest.ingest_isolated = held
from pipelines.cli import main
main()
"""


def test_overlapping_builds_wait_for_each_other(tmp_path: Path) -> None:
    content, warehouse, command, env = _build_setup(tmp_path, seed=31)
    holding, release = tmp_path / "holding", tmp_path / "release"
    # The first build's output goes to a file: an undrained pipe could stall it.
    log = tmp_path / "first.log"
    with open(log, "wb") as output:
        first = subprocess.Popen(
            [sys.executable, "-c", _HOLD_UNTIL_RELEASED, *command[3:]],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**env, "HOLDING_MARKER": str(holding), "RELEASE_MARKER": str(release)},
        )
    _wait_for(holding.exists, first, "the first build to hold the pool")
    (content / "late.txt").write_text(
        "---\ntitle: Late\nsourceUrl: https://late.example.com/\n---\n"
    )
    with open(tmp_path / "second.log", "wb") as output:
        second = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    _wait_for(lambda: _pool_waits(warehouse), second, "the second build to wait for the pool")
    release.touch()
    second.wait(timeout=600)
    first.wait(timeout=600)
    assert first.returncode == 0, log.read_text()[-2000:]
    assert second.returncode == 0, (tmp_path / "second.log").read_text()[-2000:]

    with open_instance(warehouse / ".dagster") as instance:
        runs = instance.get_runs()
        assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
        # The runs overlapped: a step of one waited for the pool while the other wrote.
        assert _pool_waits(warehouse)
    con = connect_read_only(warehouse)
    try:
        failed = [
            f"{model.table}: {outcome.check.name}"
            for model in load_models(SQL_DIR)
            for outcome in run_checks(con, model)
            if not outcome.passed
        ]
        assert failed == []
        articles = con.execute("select count(*) from raw.articles").fetchone()[0]
        assert articles == 301  # the second build saw the late file
    finally:
        con.close()


def test_a_killed_build_does_not_block_the_next(tmp_path: Path) -> None:
    _, warehouse, command, env = _build_setup(tmp_path, seed=37)
    killed = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _wait_for(lambda: _a_step_started(warehouse), killed, "a step to start")
    killed.kill()  # SIGKILL: no clean-up of its run or of the pool slot its step holds
    killed.wait()

    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, (tmp_path / "second.log").read_text()[-2000:]
    with open_instance(warehouse / ".dagster") as instance:
        statuses = sorted(run.status.value for run in instance.get_runs())
    assert statuses == ["FAILURE", "SUCCESS"]


def _wait_for(condition, build: subprocess.Popen, what: str) -> None:
    """Wait (up to a generous deadline) until `condition()` holds."""
    deadline = time.monotonic() + 300
    while not condition():
        ended = build.poll() is not None
        assert not ended or condition(), f"the build ended before {what}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def _pool_waits(warehouse: Path) -> list[str]:
    """The log messages of steps that waited for the writer pool, in any run."""
    if not (warehouse / ".dagster" / "history" / "runs.db").exists():
        return []
    with open_instance(warehouse / ".dagster") as instance:
        return [
            entry.message
            for run in instance.get_runs()
            for entry in instance.all_logs(run.run_id)
            if f"blocked by limit for pool {WRITER_POOL}" in (entry.message or "")
        ]


def _a_step_started(warehouse: Path) -> bool:
    """Whether the warehouse's instance has a run with a step under way."""
    if not (warehouse / ".dagster" / "history" / "runs.db").exists():
        return False
    with open_instance(warehouse / ".dagster") as instance:
        return any(
            entry.dagster_event is not None and entry.dagster_event.event_type_value == "STEP_START"
            for run in instance.get_runs()
            for entry in instance.all_logs(run.run_id)
        )
