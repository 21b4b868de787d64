"""Opening, building and publishing the DuckDB file that analysts query.

A build never writes the published file in place. It writes a draft beside it and renames
the draft over the published file only when the whole build succeeded. Readers holding the
old file keep reading the old data; a new connection sees the new data; nobody ever sees
half a build, and no reader can make a build fail.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .models.materialise import sql_literal

DATABASE_NAME = "newsdw.duckdb"
# The Dagster concurrency pool of every asset that writes under the warehouse folder: the
# instance gives it one slot, so one writer runs at a time and the others wait.
WRITER_POOL = "newsdw_warehouse"
_DRAFT_SUFFIX = ".building"
# DuckDB's memory for a build; its default (80% of RAM) lets a large build grow to many GB.
MEMORY_ENV = "NEWSDW_DUCKDB_MEMORY"
DEFAULT_MEMORY = "1GB"
# Written in the storage format of DuckDB 1.0, which every DuckDB since 1.0 (CLI, Python, R,
# DBeaver) can open; DuckDB 2.0's own default format is unreadable before 2.0.
STORAGE_VERSION = "v1.0.0"
ROW_GROUP_ROWS = 2048


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


def database_path(warehouse: Path) -> Path:
    """The published DuckDB file of a warehouse folder."""
    return Path(warehouse) / DATABASE_NAME


class Draft:
    """A private copy of the warehouse being built; nothing is visible until `publish()`."""

    def __init__(self, warehouse: Path, *, fresh: bool) -> None:
        self.published = database_path(warehouse)
        self.published.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_drafts(self.published)
        self.path = self.published.with_name(
            f".{self.published.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}{_DRAFT_SUFFIX}"
        )
        if not fresh and self.published.exists():
            shutil.copyfile(self.published, self.path)
        spill = self.published.parent / ".duckdb-tmp"
        self.con = duckdb.connect(
            config={
                # A bounded buffer pool: large statements spill to disk instead of growing.
                "memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY,
                "temp_directory": str(spill),
                "preserve_insertion_order": False,
                "write_buffer_row_group_count": 1,
            },
        )
        # Row groups of fewer rows than DuckDB's 122,880: a real site's rows carry tens of KB
        # of front matter and related entries, and a row group is compressed whole.
        self.con.execute(
            f"attach {sql_literal(str(self.path))} as draft"
            f" (storage_version '{STORAGE_VERSION}', row_group_size {ROW_GROUP_ROWS})"
        )
        self.con.execute("use draft")

    def publish(self) -> Path:
        """Make the draft the published warehouse in one atomic rename."""
        self.con.execute("checkpoint")
        self.con.close()
        with open(self.path, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(self.path, self.published)
        directory = os.open(self.published.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return self.published

    def discard(self) -> None:
        """Close and delete the draft (a no-op after `publish()`)."""
        self.con.close()
        self.path.unlink(missing_ok=True)
        Path(f"{self.path}.wal").unlink(missing_ok=True)


@contextmanager
def draft(warehouse: Path, *, fresh: bool = False) -> Iterator[Draft]:
    """A draft of the warehouse: empty when `fresh`, else a copy of the published file.

    The draft is discarded on leaving the block unless `publish()` was called in it.
    """
    building = Draft(warehouse, fresh=fresh)
    try:
        yield building
    finally:
        building.discard()


def drop_tables_except(con: duckdb.DuckDBPyConnection, keep: set[str]) -> list[str]:
    """Drop every table of the database not named in `keep` (`schema.table`); return them."""
    tables = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables()"
        " where database_name = current_database() and not temporary"
    ).fetchall()
    stale = sorted(table for (table,) in tables if table not in keep)
    for table in stale:
        con.execute(f"drop table {table}")
    return stale


def _remove_abandoned_drafts(published: Path) -> None:
    """Delete drafts left by builds whose process no longer exists (killed mid-build)."""
    for path in published.parent.glob(f".{published.name}.*{_DRAFT_SUFFIX}*"):
        pid = path.name.split(".")[3] if path.name.count(".") >= 4 else ""
        if pid.isdigit() and not pid_alive(int(pid)):
            path.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, with a clear error when missing.

    The file is attached to a new in-memory database rather than opened with `connect(path)`:
    DuckDB hands out the database a process already has open under that path, which after a
    build is the old, replaced file.
    """
    path = database_path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `newsdw build` first")
    con = duckdb.connect()
    con.execute("attach $path as newsdw (read_only)", {"path": str(path)})
    con.execute("use newsdw")
    return con
