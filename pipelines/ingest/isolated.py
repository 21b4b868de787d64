"""Running an ingest in a process of its own, so that what it held is given back when it ends.

An ingest's bookkeeping grows with the corpus (a million files' states and manifest rows);
the DuckDB step that follows runs in the same Dagster process and should not start on top
of it.
"""

from __future__ import annotations

from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

from .run import IngestResult, Progress, ingest


def ingest_isolated(
    content: Path, warehouse: Path, *, progress: Progress | None = None
) -> IngestResult:
    """`ingest` in a child process, its progress relayed here; its errors are raised here."""
    say = progress or (lambda message: None)
    context = get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_run, args=(str(content), str(warehouse), sender), name="newsdw-ingest"
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
    finally:
        receiver.close()
        child.join()


def _run(content: str, warehouse: str, sender: Connection) -> None:
    try:
        result = ingest(
            Path(content), Path(warehouse), progress=lambda line: sender.send(("progress", line))
        )
        sender.send(("result", result))
    except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to report
        sender.send(("error", exc))
    finally:
        sender.close()
