"""`newsdw serve`: the built site on localhost, with clear errors when it cannot serve."""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboards.data import provenance_of
from dashboards.serve import REQUEST_TIMEOUT_SECONDS, make_server
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
        server.wait(timeout=120)


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


@pytest.fixture
def served(site: Path):
    """The site served in this process, with a request timeout of one second."""
    server = make_server(site / "dashboards", 0, timeout=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[:2]
    server.shutdown()
    server.server_close()
    thread.join(timeout=60)


def _ask(address, request: bytes) -> bytes:
    """Send a raw request and read the whole answer, until the server closes the connection."""
    with socket.create_connection(address, timeout=60) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("path", ["/%00", "/index.html%00", "/assets/%00.js"])
def test_a_nul_byte_in_the_path_is_an_error_page_not_a_traceback(served, capsys, path) -> None:
    answer = _ask(served, f"GET {path} HTTP/1.0\r\n\r\n".encode())
    assert answer.split(b" ")[1] in (b"400", b"404")
    assert "Traceback" not in capsys.readouterr().err


def test_an_idle_connection_is_closed_after_the_request_timeout(served, capsys) -> None:
    with socket.create_connection(served, timeout=60) as connection:
        # Nothing is sent: without a timeout the server's thread waits here for ever.
        assert connection.recv(1) == b""
    with socket.create_connection(served, timeout=60) as connection:
        connection.sendall(b"GET /index.html HT")  # half a request line
        assert connection.recv(1) == b""
    assert "Traceback" not in capsys.readouterr().err


def test_the_request_timeout_has_a_default(site: Path) -> None:
    server = make_server(site / "dashboards", 0)
    try:
        assert server.RequestHandlerClass.timeout == REQUEST_TIMEOUT_SECONDS > 0
    finally:
        server.server_close()


def test_serve_sends_text_gzipped_to_a_browser_that_accepts_it(site: Path) -> None:
    server = make_server(site / "dashboards", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for name in ("", "index.html", "assets/plotly.min.js", "data/base.js"):
            on_disk = (site / "dashboards" / (name or "index.html")).read_bytes()
            asked = urllib.request.Request(base + name, headers={"Accept-Encoding": "gzip, br"})
            with urllib.request.urlopen(asked, timeout=10) as response:
                assert response.headers["Content-Encoding"] == "gzip", name
                assert response.headers["Vary"] == "Accept-Encoding"
                sent = response.read()
            assert int(response.headers["Content-Length"]) == len(sent)
            assert gzip.decompress(sent) == on_disk, name
            assert len(sent) < len(on_disk), name
            # Without Accept-Encoding, the file as it is.
            with urllib.request.urlopen(base + name, timeout=10) as response:
                assert response.headers["Content-Encoding"] is None
                assert response.read() == on_disk
        gone = urllib.request.Request(
            base + "no-such-page.html", headers={"Accept-Encoding": "gzip"}
        )
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(gone, timeout=10)
        assert missing.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
