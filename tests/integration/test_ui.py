"""`newsdw ui`: the Dagster webserver and daemon start on the build's instance and stop cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ASSETS_QUERY = "{ assetNodes { assetKey { path } groupName owners { __typename } } }"


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
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_ui_serves_the_asset_graph_and_stops_cleanly(tmp_path: Path) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "ui"]
    command += ["--content", str(content), "--warehouse", str(warehouse), "--port", str(port)]
    ui = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: the webserver and daemon stop with it
    )
    try:
        assert ui.stdout.readline().startswith(f"Dagster UI on http://127.0.0.1:{port}")
        deadline, answer = time.monotonic() + 180, None
        while answer is None and time.monotonic() < deadline:
            assert ui.poll() is None, "newsdw ui exited early"
            try:
                answer = _graphql(port, ASSETS_QUERY)
            except OSError:
                time.sleep(1)
        assert answer is not None, "no GraphQL answer within 180 s"
        nodes = answer["data"]["assetNodes"]
        keys = {"/".join(node["assetKey"]["path"]) for node in nodes}
        assert {"raw/files", "raw/articles", "marts/fct_articles", "dashboards"} <= keys
        assert {node["groupName"] for node in nodes} == {"raw", "staging", "marts", "dashboards"}
        assert all(node["owners"] for node in nodes)
        assert (warehouse / ".dagster" / "dagster.yaml").is_file()  # the build's instance
    finally:
        os.killpg(ui.pid, signal.SIGINT)
        try:
            ui.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(ui.pid, signal.SIGKILL)
            raise
    assert _group_ends(ui.pid, within=30), "a webserver or daemon process outlived newsdw ui"


def _group_ends(group: int, within: float) -> bool:
    """Whether every process of the group has exited within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.5)
    subprocess.run(["ps", "-o", "pid,args", "-g", str(group)], check=False)
    return False
