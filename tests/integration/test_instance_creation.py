"""Builds started together on a new warehouse create its Dagster instance once, not twice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import article

# Each process imports everything first, then waits for the go file: they then open the
# instance at the same moment, which is when the sqlite storages create their tables.
_OPEN_TOGETHER = """
import sys, time
from pathlib import Path
from pipelines.build import open_instance
go = Path(sys.argv[1])
Path(sys.argv[2]).touch()
deadline = time.monotonic() + 300
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
with open_instance(Path(sys.argv[3])) as instance:
    instance.get_runs(limit=1)
"""

_BUILD_TOGETHER = """
import sys, time
from pathlib import Path
from pipelines.cli import main
import pipelines.build, pipelines.definitions
go = Path(sys.argv[1])
Path(sys.argv[2]).touch()
deadline = time.monotonic() + 300
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
main(sys.argv[3:])
"""

_DATABASES = ["history/runs.db", "schedules/schedules.db", "history/runs/index.db"]


def _start_together(tmp_path: Path, script: str, count: int, args: list[str], env: dict):
    """Start `count` copies of `script`, wait until each is ready, then let them all go."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(count)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(go), str(flag), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for flag in ready
    ]
    deadline = time.monotonic() + 300
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    return [(process, *process.communicate(timeout=600)) for process in processes]


def _alembic_rows(home: Path) -> dict[str, int]:
    counts = {}
    for name in _DATABASES:
        con = sqlite3.connect(home / name)
        try:
            counts[name] = con.execute("select count(*) from alembic_version").fetchone()[0]
        finally:
            con.close()
    return counts


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}


def test_processes_opening_a_new_instance_together_create_it_once(tmp_path: Path) -> None:
    home = tmp_path / "warehouse" / ".dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    results = _start_together(tmp_path, _OPEN_TOGETHER, 6, [str(home)], _env())
    assert [(process.returncode, err[-800:]) for process, _, err in results] == [(0, "")] * 6
    assert _alembic_rows(home) == dict.fromkeys(_DATABASES, 1)


def test_two_builds_started_together_on_a_new_warehouse_and_a_third_all_succeed(
    tmp_path: Path,
) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    for n in range(5):
        (content / f"a{n}.txt").write_text(article(f"A {n}", f"https://a.example/{n}"))
    args = ["build", "--content", str(content), "--warehouse", str(warehouse)]
    results = _start_together(tmp_path, _BUILD_TOGETHER, 2, args, _env())
    for process, _, err in results:
        assert process.returncode == 0, err[-1500:]
    third = subprocess.run(
        [sys.executable, "-c", "from pipelines.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    assert third.returncode == 0, third.stderr[-1500:]
    assert _alembic_rows(warehouse / ".dagster") == dict.fromkeys(_DATABASES, 1)
