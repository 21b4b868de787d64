"""`dagster dev` as a child of `newsdw ui`: found through this interpreter, stopped by a signal."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
START_DEADLINE = 600  # seconds for the webserver to answer, on a loaded machine
_PR_SET_PDEATHSIG = 1  # Linux's prctl option; elsewhere the call fails and is skipped


class DevError(Exception):
    """`dagster dev` could not start or stopped on its own; the message says why."""


def check_port_free(port: int) -> None:
    """Raise `DevError` when 127.0.0.1:`port` is taken, before Dagster fails on it deep down."""
    with socket.socket() as probe:
        # As the webserver binds: a port in TIME_WAIT is free, one with a listener is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise DevError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); pick another with --port"
            ) from None


def run_dagster_dev(port: int, ready: Callable[[str], None], env: dict[str, str]) -> None:
    """Run `dagster dev` in `env` until it stops or a signal arrives; call `ready(url)` once it
    answers.

    The first SIGINT, SIGTERM or SIGHUP asks Dagster to shut its webserver and daemon down;
    a second one kills it.
    """
    url = f"http://127.0.0.1:{port}"
    received: list[int] = []
    child: list[subprocess.Popen] = []

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)
        if child and len(received) == 1:
            child[0].send_signal(signal.SIGINT)
        elif child:
            os.killpg(child[0].pid, signal.SIGKILL)  # Dagster's webserver and daemon too

    # Caught here, so the child starts with default dispositions after exec even where this
    # process began with SIGINT ignored (a background job): Dagster copies SIGINT's
    # disposition onto SIGTERM, and an ignored SIGINT would make it deaf to both.
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    command = [sys.executable, "-m", "dagster", "dev", "-m", "pipelines.definitions"]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    # Its own process group: a Ctrl+C from the terminal reaches Dagster once, through `stop`.
    # Its log goes to stderr, so that stdout carries the URL alone.
    child.append(
        subprocess.Popen(
            command,
            process_group=0,
            stdout=sys.stderr,
            env=env,
            preexec_fn=_end_with_parent,
        )
    )
    if received:  # a signal came before the child existed
        child[0].send_signal(signal.SIGINT)
    deadline = time.monotonic() + START_DEADLINE
    while not received and child[0].poll() is None and not _answers(f"{url}/server_info"):
        if time.monotonic() > deadline:
            child[0].kill()
            child[0].wait()
            raise DevError(f"the Dagster UI did not answer on {url} within {START_DEADLINE} s")
        time.sleep(0.5)
    if not received and child[0].poll() is None:
        ready(url)
    code = child[0].wait()
    if not received and code != 0:
        raise DevError(f"dagster dev exited with code {code}; its log is above")


def _end_with_parent() -> None:
    """In the child: receive SIGINT, and shut down, when `newsdw ui` dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT)


def _answers(url: str) -> bool:
    """Whether an HTTP server answers at `url`, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
