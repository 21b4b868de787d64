"""A build stopped by a signal, or failing on a full disk or a read-only folder: one line.

Each case prints a single `newsdw:` line naming the cause, no traceback, exits non-zero,
and leaves the published warehouse as it was. The tests run as root here, where `chmod`
stops no write and there is no small file system to fill: the full disk and the read-only
folder are simulated by patching, in the build's own process, the call that would fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.generate import generate_corpus
from pipelines.store.lake import latest_snapshot
from tests.conftest import article

DEADLINE_SECONDS = 300

# Run before the command: `python -c PRELUDE + patch + MAIN build ...`.
_MAIN = "\nfrom pipelines.cli import main\nmain()\n"

# The lake cannot be opened for writing: the disk is full.
_DISK_FULL_IN_A_STEP = """
import errno
from pipelines.store import lake
def open_writer(where, memory):
    raise OSError(errno.ENOSPC, "No space left on device", lake.located(where).data_url)
lake.open_writer = open_writer
"""

# The warehouse is published, then the disk fills: Dagster's event log cannot be written.
_DISK_FULL_AFTER_PUBLISHING = """
import sqlite3
import sqlalchemy.exc
from pipelines.store import commit
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
published = []
after_commit = commit.remove_loaded_parts
def committed_then_fill(warehouse):
    published.append(warehouse)
    return after_commit(warehouse)
commit.remove_loaded_parts = committed_then_fill
store = SqliteEventLogStorage.store_event
def store_event(self, event):
    if published:
        raise sqlalchemy.exc.OperationalError(
            "INSERT INTO event_logs", {}, sqlite3.OperationalError("database or disk is full")
        )
    return store(self, event)
SqliteEventLogStorage.store_event = store_event
"""

# The warehouse is published, then the build waits in its step to be stopped.
_WAIT_AFTER_PUBLISHING = """
import os, time
from pathlib import Path
from pipelines.store import commit
def committed_then_wait(warehouse):
    Path(os.environ["PUBLISHED_MARKER"]).touch()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        time.sleep(0.1)
commit.remove_loaded_parts = committed_then_wait
"""

# The warehouse folder is read-only: nothing under it opens for writing.
_READ_ONLY_WAREHOUSE = """
import builtins, errno, os, sys
warehouse = os.path.abspath(sys.argv[sys.argv.index("--warehouse") + 1])
real_open = builtins.open
def read_only_open(file, mode="r", *args, **kwargs):
    path = os.path.abspath(os.fspath(file)) if isinstance(file, (str, os.PathLike)) else ""
    if path.startswith(warehouse) and any(flag in mode for flag in "wax+"):
        raise PermissionError(errno.EACCES, "Permission denied", path)
    return real_open(file, mode, *args, **kwargs)
builtins.open = read_only_open
"""


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}


def _command(content: Path, warehouse: Path, patch: str = "") -> list[str]:
    return [sys.executable, "-c", patch + _MAIN, "build", "--content", str(content),
            "--warehouse", str(warehouse)]  # fmt: skip


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a content folder and the warehouse built from it, built once."""
    folder = tmp_path_factory.mktemp("built")
    content, warehouse = folder / "content", folder / "warehouse"
    content.mkdir()
    for n in range(20):
        (content / f"a{n}.txt").write_text(article(f"A {n}", f"https://a.example/{n}"))
    first = subprocess.run(
        _command(content, warehouse), capture_output=True, text=True, env=_env(), timeout=600
    )
    assert first.returncode == 0, first.stderr[-2000:]
    return folder


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> tuple[Path, Path, int]:
    """A copy of the built content and warehouse, a file added, and the committed snapshot."""
    # copytree keeps the files' mtimes and the dashboards link: the copy is as it was built.
    content = shutil.copytree(built_once / "content", tmp_path / "content")
    warehouse = shutil.copytree(built_once / "warehouse", tmp_path / "warehouse", symlinks=True)
    (content / "late.txt").write_text(article("Late", "https://late.example/"))
    return content, warehouse, latest_snapshot(warehouse)


def _assert_one_line(output: str, returncode: int, *causes: str) -> str:
    """The output's one `newsdw:` line, checked to name one of `causes` and carry no trace."""
    lines = [line for line in output.splitlines() if line.startswith("newsdw:")]
    assert returncode != 0, output[-2000:]
    assert len(lines) == 1, output[-3000:]
    assert "Traceback" not in output and "Stack Trace" not in output, output[-3000:]
    assert any(cause in lines[0] for cause in causes), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("patch", "causes"),
    [
        (_DISK_FULL_IN_A_STEP, ["No space left on device"]),
        (_READ_ONLY_WAREHOUSE, ["Permission denied"]),
    ],
    ids=["disk-full-in-a-step", "read-only-warehouse"],
)
def test_a_build_that_cannot_write_says_why_in_one_line(built, patch: str, causes) -> None:
    content, warehouse, before = built
    failed = subprocess.run(
        _command(content, warehouse, patch),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    _assert_one_line(failed.stdout + failed.stderr, failed.returncode, *causes)
    assert latest_snapshot(warehouse) == before


def test_duckdb_out_of_memory_says_so_and_names_the_setting_in_one_line(built) -> None:
    content, warehouse, before = built
    failed = subprocess.run(
        _command(content, warehouse),
        capture_output=True,
        text=True,
        env={**_env(), "NEWSDW_DUCKDB_MEMORY": "2MB"},
        timeout=600,
    )
    line = _assert_one_line(failed.stdout + failed.stderr, failed.returncode, "Out of Memory")
    # DuckDB's own words, not its trailing link, and what to raise.
    assert re.search(r"\(\d+(\.\d+)? [KMG]iB/\d+(\.\d+)? [KMG]iB used\)", line), line
    assert line.endswith("; raise NEWSDW_DUCKDB_MEMORY (now 2MB)"), line
    assert "https://" not in line
    assert latest_snapshot(warehouse) == before


def test_a_full_disk_after_publishing_says_so_in_one_line(built) -> None:
    content, warehouse, before = built
    failed = subprocess.run(
        _command(content, warehouse, _DISK_FULL_AFTER_PUBLISHING),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    _assert_one_line(failed.stdout + failed.stderr, failed.returncode, "disk is full")
    assert latest_snapshot(warehouse) != before  # published before the disk filled


def test_sigterm_stops_a_background_build_in_one_line_and_publishes_nothing(
    built, tmp_path: Path
) -> None:
    content, warehouse, before = built
    # Enough new files that the ingest is still parsing, in its worker, when the signal comes.
    generate_corpus(content / "more", 12_000, seed=43)
    log = tmp_path / "stopped.log"
    with open(log, "wb") as output:
        build = subprocess.Popen(
            _command(content, warehouse),
            stdout=output,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
            # As a shell starts a background job (`newsdw build &`): SIGINT ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while "files in 2 processes" not in log.read_text(errors="replace"):
            assert build.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the parse never started"
            time.sleep(0.1)
        build.send_signal(signal.SIGTERM)
        returncode = build.wait(timeout=DEADLINE_SECONDS)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    line = _assert_one_line(log.read_text(), returncode, "stopped by")
    assert "left as it was" in line
    assert latest_snapshot(warehouse) == before
    # The ingest process and its worker went with the build.
    deadline = time.monotonic() + DEADLINE_SECONDS
    while _session(build.pid):
        assert time.monotonic() < deadline, _session(build.pid)
        time.sleep(0.1)


def _session(sid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split() if stat else []
        if fields and int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_sigterm_after_publishing_says_the_warehouse_was_published(built, tmp_path: Path) -> None:
    content, warehouse, before = built
    marker = tmp_path / "published"
    log = tmp_path / "stopped.log"
    with open(log, "wb") as output:
        build = subprocess.Popen(
            _command(content, warehouse, _WAIT_AFTER_PUBLISHING),
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**_env(), "PUBLISHED_MARKER": str(marker)},
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not marker.exists():
            assert build.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the build never published"
            time.sleep(0.1)
        build.send_signal(signal.SIGTERM)
        returncode = build.wait(timeout=DEADLINE_SECONDS)
    finally:
        if build.poll() is None:
            build.kill()
    line = _assert_one_line(log.read_text(), returncode, "stopped by")
    assert "published before it stopped" in line
    assert latest_snapshot(warehouse) != before
