"""`newsdw ui` and `newsdw serve` start as a user starts them and stop on a signal, even in the
background, where a shell starts them with SIGINT ignored."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ASSETS_QUERY = "{ assetNodes { assetKey { path } groupName owners { __typename } } }"
DEADLINE = 300  # seconds: generous, for a loaded two-core machine
CLI = [sys.executable, "-c", "from pipelines.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _as_background_job() -> None:
    """What a shell does to a job started with `&`: SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, queue.Queue]:
    """Start a command as a background job; its stdout lines arrive on the queue."""
    # No venv on PATH: the command must find Dagster through its own interpreter.
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    process = subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=_as_background_job,
    )
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return process, lines


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _all_ended(pids: set[int]) -> bool:
    """Wait, up to the deadline, until none of `pids` runs; whether they all ended."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        alive = set()
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.add(pid)
        if not alive:
            return True
        time.sleep(0.2)
    return False


def _kill(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_ui_without_the_venv_on_path_serves_the_graph_and_stops_on_sigterm_in_background(
    tmp_path: Path,
) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    port = _free_port()
    args = ["ui", "--content", str(content), "--warehouse", str(warehouse), "--port", str(port)]
    ui, lines = _start(args, tmp_path)
    tree: set[int] = set()
    try:
        line = lines.get(timeout=DEADLINE)
        assert line is not None, f"newsdw ui exited with {ui.wait(timeout=DEADLINE)}"
        assert line.startswith(f"Dagster UI on http://127.0.0.1:{port}")
        # The URL is printed once the server answers: the very first request must get through.
        answer = _graphql(port, ASSETS_QUERY)
        deadline = time.monotonic() + DEADLINE
        while "data" not in answer and time.monotonic() < deadline:  # the code location loads
            time.sleep(0.5)
            answer = _graphql(port, ASSETS_QUERY)
        nodes = answer["data"]["assetNodes"]
        keys = {"/".join(node["assetKey"]["path"]) for node in nodes}
        assert {"raw/files", "raw/articles", "marts/fct_articles", "dashboards"} <= keys
        assert {node["groupName"] for node in nodes} == {
            "raw",
            "seeds",
            "staging",
            "intermediate",
            "marts",
            "dashboards",
        }
        assert all(node["owners"] for node in nodes)
        assert (warehouse / ".dagster" / "dagster.yaml").is_file()  # the build's instance
        tree = _descendants(ui.pid)
        assert tree, "the webserver and daemon run as children"
        ui.send_signal(signal.SIGTERM)
        assert ui.wait(timeout=DEADLINE) == 0
        assert _all_ended(tree), "a webserver or daemon process outlived newsdw ui"
    finally:
        _kill(tree | _descendants(ui.pid) | {ui.pid})


def test_ui_killed_outright_leaves_no_dagster_process(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    port = _free_port()
    ui, lines = _start(["ui", "--warehouse", "wh", "--port", str(port)], tmp_path)
    tree: set[int] = set()
    try:
        line = lines.get(timeout=DEADLINE)
        assert line is not None and line.startswith(f"Dagster UI on http://127.0.0.1:{port}")
        tree = _descendants(ui.pid)
        ui.kill()  # no handler runs: Dagster hears of it from the kernel
        ui.wait(timeout=DEADLINE)
        assert _all_ended(tree), "a webserver or daemon process outlived newsdw ui"
    finally:
        _kill(tree | {ui.pid})


def test_ui_on_a_busy_port_fails_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = ["ui", "--content", "content", "--warehouse", "wh", "--port", str(port)]
        result = subprocess.run(
            [*CLI, *args], cwd=tmp_path, capture_output=True, text=True, timeout=DEADLINE
        )
    assert result.returncode != 0
    assert result.stderr.startswith("newsdw: ") and result.stderr.count("\n") == 1
    assert str(port) in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_in_background_stops_on(tmp_path: Path, stop: signal.Signals) -> None:
    site = tmp_path / "wh" / "dashboards"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<title>Overview</title>\n")
    server, lines = _start(["serve", "--warehouse", str(tmp_path / "wh"), "--port", "0"], tmp_path)
    try:
        line = lines.get(timeout=DEADLINE)
        assert line is not None and line.startswith("serving ")
        url = line.split(" on ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=30) as response:
            assert b"<title>Overview" in response.read()
        server.send_signal(stop)
        server.wait(timeout=DEADLINE)
    finally:
        _kill({server.pid})
