"""`newsdw serve`: the built site on localhost, with clear errors when it cannot serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboards.data import provenance_of
from dashboards.site import build_site

COMMAND = [sys.executable, "-c", "from pipelines.cli import main; main()", "serve"]


@pytest.fixture
def site(generated_warehouse) -> Path:
    paths = generated_warehouse
    build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content))
    return paths.warehouse


def test_serve_answers_on_localhost(site: Path) -> None:
    server = subprocess.Popen(
        [*COMMAND, "--warehouse", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        assert line.startswith(f"serving {site / 'dashboards'} on http://127.0.0.1:")
        url = line.split(" on ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"<title>Overview" in response.read()
        with urllib.request.urlopen(url + "assets/plotly.min.js", timeout=10) as response:
            assert response.headers["Content-Type"] == "text/javascript"
        with pytest.raises(urllib.error.HTTPError) as listing:
            urllib.request.urlopen(url + "assets/", timeout=10)
        assert listing.value.code == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_without_a_site_says_to_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [*COMMAND, "--warehouse", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"newsdw: no dashboards in {tmp_path / 'dashboards'}; run `newsdw build` first"
    )


def test_serve_on_a_taken_port_says_so(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*COMMAND, "--warehouse", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
