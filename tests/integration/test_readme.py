"""Every command and snippet of the README works as written, on a fresh copy after `make run`.

The blocks are read from README.md itself, so a new command or snippet is tested with no
edit here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipelines.models import materialise
from pipelines.models.catalog import read_model
from pipelines.store.lake import catalog_path, connect_read_only

REPO = Path(__file__).parents[2]
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL)
SHELL = [block for lang, block in BLOCKS if lang == "sh"]
PYTHON = [block for lang, block in BLOCKS if lang == "python"]
SQL = [block for lang, block in BLOCKS if lang == "sql"]
QUERIES = [block for block in SQL if not block.startswith("/*")]
MODELS = [block for block in SQL if block.startswith("/*")]
SETUP = "make run"
# `make test` runs the whole suite, this test among them; the suite passing is its test.
NOT_RUN_HERE = {"make test"}
SERVER = re.compile(r"newsdw (serve|ui)\b|dagster-webserver")
DEFAULT_PORTS = {"serve": 8000, "ui": 3000}
DEADLINE = 300  # seconds, for a loaded two-core machine


def _commands(block: str) -> list[str]:
    """The block's command lines, each as written (bash drops the trailing comments)."""
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def _bare(line: str) -> str:
    return line.split("#")[0].strip()


def test_readme_blocks_are_all_of_a_kind_this_test_runs():
    assert {lang for lang, _ in BLOCKS} <= {"sh", "python", "sql", ""}
    assert SETUP in [_bare(line) for line in _commands(SHELL[0])]
    assert QUERIES and MODELS and PYTHON


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The checkout's tracked files in a new folder, after the README's `make run`."""
    root = tmp_path_factory.mktemp("readme") / "newsdw"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name, follow_symlinks=False)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSDW_", "DAGSTER_", "VIRTUAL_ENV", "UV_PROJECT"))
    }
    env["PATH"] = os.pathsep.join(["/usr/local/bin", "/usr/bin", "/bin"])
    uv = shutil.which("uv")
    if uv:  # a machine with uv on its PATH
        env["PATH"] = os.pathsep.join([str(Path(uv).parent), env["PATH"]])
    elif (REPO / ".tools" / "bin" / "uv").exists():
        # The uv that `make run` installed in .tools/, off PATH, as on a fresh machine.
        (root / ".tools").symlink_to(REPO / ".tools")
    setup = subprocess.run(
        ["bash", "-c", SETUP], cwd=root, env=env, capture_output=True, text=True, timeout=1800
    )
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert catalog_path(root / "warehouse").is_file()
    return root, env


def _default_signals() -> None:
    """As a terminal starts a command: SIGINT and SIGTERM at their defaults."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _start(line: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        ["bash", "-c", line],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_default_signals,
    )


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _wait_until_it_answers(process: subprocess.Popen, port: int, line: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not _answers(port):
        assert process.poll() is None, f"{line!r} exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{line!r}: nothing answered on port {port}"
        time.sleep(0.5)


def _stop(process: subprocess.Popen) -> int:
    """SIGTERM to the command's session, as `kill` would; its exit code."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=DEADLINE)


def _run_shell_block(block: str, cwd: Path, env: dict[str, str]) -> None:
    env = dict(env)
    background: list[subprocess.Popen] = []
    try:
        for line in _commands(block):
            command = _bare(line)
            if command == SETUP or command in NOT_RUN_HERE:
                continue
            if command.startswith("export "):
                # The block's later lines see what it exported, as in one shell.
                dumped = subprocess.run(
                    ["bash", "-c", f"{line}\nenv -0"], cwd=cwd, env=env, capture_output=True
                )
                assert dumped.returncode == 0, dumped.stderr
                pairs = (item.split("=", 1) for item in dumped.stdout.decode().split("\0") if item)
                env = dict(pair for pair in pairs if len(pair) == 2)
            elif command.endswith("&"):
                background.append(_start(command[:-1], cwd, env))
            elif match := SERVER.search(command):
                given = re.search(r"(?:--port|-p)\s+(\d+)", command)
                port = int(given[1]) if given else DEFAULT_PORTS[match[1]]
                assert not _answers(port), f"port {port}, which the README uses, is taken"
                server = _start(command, cwd, env)
                try:
                    _wait_until_it_answers(server, port, line)
                    assert _stop(server) in (0, -signal.SIGTERM), f"{line!r} did not stop cleanly"
                finally:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(server.pid, signal.SIGKILL)
            else:
                done = subprocess.run(
                    ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, timeout=DEADLINE
                )
                assert done.returncode == 0, f"{line!r}: {done.stderr.decode()[-2000:]}"
                assert done.stdout, f"{line!r} printed nothing"
        for process in background:
            assert process.poll() is None, f"a background command exited: {process.args}"
    finally:
        for process in background:
            with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                _stop(process)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("block", SHELL, ids=[_bare(_commands(block)[0])[:40] for block in SHELL])
def test_readme_shell_block_runs_as_written(fresh_copy, block: str):
    _run_shell_block(block, *fresh_copy)


@pytest.mark.parametrize("snippet", PYTHON)
def test_readme_python_snippet_runs_as_written(fresh_copy, snippet: str):
    root, env = fresh_copy
    done = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "-c", snippet],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout


@pytest.mark.parametrize("sql", QUERIES)
def test_example_query_answers(generated_warehouse, sql):
    con = connect_read_only(generated_warehouse.warehouse)
    assert con.execute(sql).fetchall()


@pytest.mark.parametrize("sql", QUERIES)
def test_example_query_runs_through_newsdw_query(fresh_copy, sql):
    root, env = fresh_copy
    done = subprocess.run(
        [str(root / ".venv" / "bin" / "newsdw"), "query", sql],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(")")  # "(N rows)"


def test_example_model_builds(generated_warehouse, tmp_path):
    path = tmp_path / "marts" / "provider_top.sql"
    path.parent.mkdir()
    path.write_text(MODELS[0])
    model = read_model(path)
    assert model.upstream == {"marts.fct_articles"}
    # Built beside the read-only lake, in memory, over a view of the table it reads.
    con = connect_read_only(generated_warehouse.warehouse)
    con.execute("use memory")
    con.execute("create schema marts")
    con.execute("create view marts.fct_articles as from newsdw.marts.fct_articles")
    built = materialise(con, model)
    assert built.rows > 0
