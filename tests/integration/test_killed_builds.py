"""A build killed mid-parse: its processes go, and a build waiting for the pool goes on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.build import open_instance
from pipelines.generate import generate_corpus

BUILD = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
# Generous: the machine may be busy; each wait ends as soon as its event is seen.
DEADLINE_SECONDS = 300


@pytest.fixture(scope="module")
def big_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files (over the ingest's parallel threshold) that the parse uses a worker."""
    content = tmp_path_factory.mktemp("killed") / "content"
    generate_corpus(content, 16_000, seed=41)
    return content


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}


def _start(content: Path, warehouse: Path, log: Path) -> subprocess.Popen:
    command = [*BUILD, "--content", str(content), "--warehouse", str(warehouse)]
    with open(log, "wb") as output:
        # A session of its own: every process the build starts is found by its session id.
        return subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=_env(), start_new_session=True
        )


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def _session(sid: int) -> list[tuple[int, str]]:
    """The processes of session `sid` (pid, command line), the session leader included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append((int(entry.name), command[:120]))
    return found


def _parts(warehouse: Path) -> list[Path]:
    return list((warehouse / "raw").glob("*/*.parquet"))


def _log_says(log: Path, text: str) -> bool:
    return text in log.read_text(errors="replace")


def _run_logs(warehouse: Path, text: str) -> list[str]:
    """The ids of the warehouse's runs with a log message containing `text`."""
    if not (warehouse / ".dagster" / "history" / "runs.db").exists():
        return []
    with open_instance(warehouse / ".dagster") as instance:
        return [
            run.run_id
            for run in instance.get_runs()
            if any(text in (entry.message or "") for entry in instance.all_logs(run.run_id))
        ]


def test_a_build_killed_while_parsing_leaves_no_process_behind(
    big_content: Path, tmp_path: Path
) -> None:
    log, warehouse = tmp_path / "build.log", tmp_path / "warehouse"
    build = _start(big_content, warehouse, log)
    try:
        _wait_for(lambda: _log_says(log, "files in 2 processes"), "the parse with a worker")
        helpers = [process for process in _session(build.pid) if process[0] != build.pid]
        parts_at_kill = len(_parts(warehouse))
        build.kill()  # SIGKILL: the build cannot clean anything up itself
        build.wait()
        # The ingest process, its worker, the forkservers and the resource tracker.
        assert len(helpers) >= 3, helpers
        _wait_for(lambda: not _session(build.pid), "the build's processes to end")
        # They stopped, rather than parse the rest for nobody: at most the batches the ingest
        # process and its worker were finishing as the build died were written after it.
        assert len(_parts(warehouse)) <= parts_at_kill + 2
    finally:
        for pid, _ in _session(build.pid):
            os.kill(pid, signal.SIGKILL)


# The holder's ingest step, once it holds the pool slot, waits there until it is killed.
_HOLD_THE_POOL = """
import os, time
from pathlib import Path
from pipelines.defs import ingest
def hold(*args, **kwargs):
    Path(os.environ["HOLDING_MARKER"]).touch()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        time.sleep(0.1)
    raise RuntimeError("the test never killed this build")
ingest.ingest_isolated = hold
from pipelines.cli import main
main()
"""


def test_a_build_waiting_for_the_pool_goes_on_when_the_holder_is_killed(tmp_path: Path) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    generate_corpus(content, 20, seed=43)
    marker = tmp_path / "holding"
    with open(tmp_path / "holder.log", "wb") as output:
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD_THE_POOL, "build", "--content", str(content),
             "--warehouse", str(warehouse)],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            env={**_env(), "HOLDING_MARKER": str(marker)},
        )  # fmt: skip
    waiting = None
    try:
        _wait_for(marker.exists, "the first build to hold the pool")
        waiting = _start(content, warehouse, tmp_path / "waiting.log")
        _wait_for(
            lambda: _run_logs(warehouse, "blocked by limit for pool"), "the second build to wait"
        )
        holder.kill()  # SIGKILL while the second build waits for its slot
        holder.wait()
        returncode = waiting.wait(timeout=DEADLINE_SECONDS)
        assert returncode == 0, (tmp_path / "waiting.log").read_text()[-2000:]
    finally:
        for process in (holder, waiting):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    with open_instance(warehouse / ".dagster") as instance:
        statuses = sorted(run.status.value for run in instance.get_runs())
    assert statuses == ["FAILURE", "SUCCESS"]
