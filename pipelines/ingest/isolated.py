"""Running an ingest in a process of its own, so that what it held is given back when it ends.

An ingest's bookkeeping grows with the corpus (a million files' states and manifest rows);
the DuckDB step that follows runs in the same Dagster process and should not start on top
of it.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

from ..store.lock import pid_alive
from .run import IngestResult, Progress, ingest

# How long an ingest asked to stop may take to end before it is killed.
_STOP_SECONDS = 10


def ingest_isolated(
    content: Path, warehouse: Path, *, progress: Progress | None = None
) -> IngestResult:
    """`ingest` in a child process, its progress relayed here; its errors are raised here."""
    say = progress or (lambda message: None)
    context = get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_run,
        args=(str(content), str(warehouse), sender, os.getpid()),
        name="newsdw-ingest",
    )
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                child.join()
                raise RuntimeError(
                    f"the ingest process ended before it finished (exit code {child.exitcode})"
                ) from None
            if kind == "progress":
                say(value)
            elif kind == "error":
                raise value
            else:
                return value
    except BaseException:
        # Interrupted (a signal, a failed step): the ingest is not waited for, it is stopped.
        child.terminate()
        child.join(_STOP_SECONDS)
        if child.is_alive():
            child.kill()
        raise
    finally:
        receiver.close()
        child.join()


def _run(content: str, warehouse: str, sender: Connection, parent: int) -> None:
    # This process is not the build's child (the forkserver's), and its parser's workers are
    # its own: when the build dies or stops it, it takes them down rather than parse for nobody.
    signal.signal(signal.SIGTERM, lambda *_: _end_with_workers())
    threading.Thread(target=_end_when_gone, args=(parent,), daemon=True).start()
    try:
        result = ingest(
            Path(content), Path(warehouse), progress=lambda line: sender.send(("progress", line))
        )
        sender.send(("result", result))
    except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to report
        sender.send(("error", exc))
    finally:
        sender.close()


def _end_when_gone(pid: int) -> None:
    """Block until process `pid` has ended, then end this process and its workers."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        _end_with_workers()
    except OSError:  # no pidfd (an old kernel): look once a second instead
        while pid_alive(pid):
            time.sleep(1)
    else:
        select.select([handle], [], [])
    _end_with_workers()


def _end_with_workers() -> None:
    for worker in multiprocessing.active_children():
        worker.kill()
    os._exit(1)
