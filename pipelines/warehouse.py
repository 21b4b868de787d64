"""Opening, building and publishing the DuckDB file that analysts query.

A build never writes the published file in place: it copies it, changes the copy, and renames
the copy over the original. Readers holding the old file keep reading the old data; a new
connection sees the new data; nobody ever sees half a build.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DATABASE_NAME = "newsdw.duckdb"


def database_path(warehouse: Path) -> Path:
    """The published DuckDB file of a warehouse folder."""
    return Path(warehouse) / DATABASE_NAME


@contextmanager
def building(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy of the warehouse, published atomically on success."""
    published = database_path(warehouse)
    published.parent.mkdir(parents=True, exist_ok=True)
    draft = published.with_name(f".{published.name}.{uuid.uuid4().hex}.building")
    if published.exists():
        shutil.copyfile(published, draft)
    try:
        con = duckdb.connect(str(draft))
        try:
            yield con
            con.execute("checkpoint")
        finally:
            con.close()
        with open(draft, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(draft, published)
    finally:
        draft.unlink(missing_ok=True)
        Path(f"{draft}.wal").unlink(missing_ok=True)


def build(warehouse: Path, step: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Run `step` against a copy of the warehouse and publish the result."""
    with building(warehouse) as con:
        step(con)
    return database_path(warehouse)


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, with a clear error when missing."""
    path = database_path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `newsdw build` first")
    return duckdb.connect(str(path), read_only=True)
