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
from pipelines.warehouse import WRITER_POOL, connect_read_only

BUILD = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]


def _build_setup(tmp_path: Path, seed: int) -> tuple[Path, Path, list[str], dict[str, str]]:
    """A generated corpus of 3,000 files, and the `newsdw build` command and env for it."""
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    generate_corpus(content, 3000, seed=seed)
    command = [*BUILD, "--content", str(content), "--warehouse", str(warehouse)]
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    return content, warehouse, command, env


def test_overlapping_builds_wait_for_each_other(tmp_path: Path, monkeypatch) -> None:
    content, warehouse, command, env = _build_setup(tmp_path, seed=31)
    # The first build's output goes to a file: an undrained pipe could stall it.
    log = tmp_path / "first.log"
    with open(log, "wb") as output:
        first = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    monkeypatch.setenv("DAGSTER_HOME", str(warehouse / ".dagster"))
    _wait_for_a_step(warehouse, first)
    (content / "late.txt").write_text(
        "---\ntitle: Late\nsourceUrl: https://late.example.com/\n---\n"
    )
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    first.wait(timeout=600)
    assert first.returncode == 0, log.read_text()[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]

    with open_instance() as instance:
        runs = instance.get_runs()
        assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
        # The runs overlapped: a step of one waited for the pool while the other wrote.
        waits = [
            entry
            for run in runs
            for entry in instance.all_logs(run.run_id)
            if f"blocked by limit for pool {WRITER_POOL}" in (entry.message or "")
        ]
        assert waits
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
        assert articles == 3001  # the second build saw the late file
    finally:
        con.close()


def test_a_killed_build_does_not_block_the_next(tmp_path: Path, monkeypatch) -> None:
    _, warehouse, command, env = _build_setup(tmp_path, seed=37)
    killed = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    monkeypatch.setenv("DAGSTER_HOME", str(warehouse / ".dagster"))
    _wait_for_a_step(warehouse, killed)
    killed.kill()  # SIGKILL: no clean-up of its run or of the pool slot its step holds
    killed.wait()

    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    with open_instance() as instance:
        statuses = sorted(run.status.value for run in instance.get_runs())
    assert statuses == ["FAILURE", "SUCCESS"]


def _wait_for_a_step(warehouse: Path, build: subprocess.Popen) -> None:
    """Wait (up to a generous deadline) until the build has started a step."""
    deadline = time.monotonic() + 300
    while not _a_step_started(warehouse):
        ended = build.poll() is not None
        assert not ended or _a_step_started(warehouse), "the build ended without a step"
        assert time.monotonic() < deadline, "no step started"
        time.sleep(0.2)


def _a_step_started(warehouse: Path) -> bool:
    """Whether the warehouse's instance has a run with a step under way."""
    if not (warehouse / ".dagster" / "history" / "runs.db").exists():
        return False
    with open_instance() as instance:
        return any(
            entry.dagster_event is not None and entry.dagster_event.event_type_value == "STEP_START"
            for run in instance.get_runs()
            for entry in instance.all_logs(run.run_id)
        )
