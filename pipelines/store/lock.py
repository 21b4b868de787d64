"""One writer at a time per warehouse folder, and whether a writer's process still runs."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# The Dagster concurrency pool of every asset that writes under the warehouse folder: the
# instance gives it one slot, so one writer runs at a time and the others wait.
WRITER_POOL = "newsdw_warehouse"


@contextmanager
def writer_lock(warehouse: Path, say: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the warehouse folder's writer lock, waiting (and saying so) while another holds it.

    The Dagster pool already runs one writer at a time on one instance; this lock also covers
    writers from another instance or outside Dagster. The kernel drops it when a process dies.
    """
    warehouse = Path(warehouse)
    warehouse.mkdir(parents=True, exist_ok=True)
    with open(warehouse / ".newsdw.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another build is writing {warehouse}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
