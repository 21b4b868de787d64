"""The warehouse as a DuckLake: where its catalog and data files live, and opening it.

`<warehouse>/newsdw.ducklake` is the catalog, a SQLite file: one build writes it while any
number of other processes read it. `<warehouse>/lake/` holds the tables' Parquet data files.
A build is one DuckLake transaction, so a reader sees the last committed build, whole.

A reader asks each question in one transaction (one statement is one): two statements
outside a transaction may see two different builds. SQLite refuses a read for a moment while
a commit holds the catalog, so opening the lake and reading it retry on that.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from ..models.materialise import sql_literal
from .extensions import load_extensions
from .lock import writer_lock

CATALOG_NAME = "newsdw.ducklake"
DATA_DIR = "lake"
# The name the lake is attached under, in every connection newsdw opens.
LAKE = "newsdw"
# DuckDB's memory for a build; its default (80% of RAM) lets a large build grow to many GB.
DEFAULT_MEMORY = "1GB"
# DuckLake writes a table's data files up to this size (its default is 512 MB): a table of a
# million articles is then tens of files, and a model's delete by a small delta
# (`deletes.py`) writes again only the few it touches.
TARGET_FILE_SIZE = "8MB"
# What DuckDB says while a commit holds the SQLite catalog: worth asking again.
_BUSY = ("database is locked", "Failed to query most recent snapshot", "SQLITE_BUSY")
_ATTEMPTS = 60

# DuckLake 1.5.5 answers `count(*)` from a table's statistics, which in an older snapshot
# count the deletes of later ones once a data file has deletes from two snapshots (as
# raw.articles gets): a reader pinned to one build would count another's rows. Without this
# optimizer, readers count the rows.
READER_DISABLED_OPTIMIZERS = "statistics_propagation"

T = TypeVar("T")


class LakeMissing(FileNotFoundError):
    """No lake in the warehouse folder: nothing was built there yet."""


def catalog_path(warehouse: Path) -> Path:
    """The lake's catalog, a SQLite file."""
    return Path(warehouse) / CATALOG_NAME


def data_path(warehouse: Path) -> Path:
    """The folder of the lake's Parquet data files."""
    return Path(warehouse) / DATA_DIR


def attach_sql(warehouse: Path, *, read_only: bool, name: str = LAKE) -> str:
    """The ATTACH statement of a warehouse's lake (DuckDB's ATTACH takes no parameters)."""
    # The data files' paths are stored relative to the data path, and the data path is the
    # folder's own: a warehouse folder copied or moved elsewhere opens where it now is.
    options = [
        f"data_path {sql_literal(str(data_path(warehouse)) + '/')}",
        "override_data_path true",
    ]
    if read_only:
        options.append("read_only")
    return (
        f"attach {sql_literal('ducklake:sqlite:' + str(catalog_path(warehouse)))} as {name}"
        f" ({', '.join(options)})"
    )


def connect(config: dict[str, object] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake's extensions loaded."""
    # No replacement scans: a table name that the lake lacks must fail, not read a Python
    # variable of the same name from the caller's frame.
    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "python_enable_replacements": False,
            **(config or {}),
        }
    )
    load_extensions(con)
    return con


def open_writer(warehouse: Path, memory: str = DEFAULT_MEMORY) -> duckdb.DuckDBPyConnection:
    """A connection with the warehouse's lake attached read-write (created when missing)."""
    warehouse = Path(warehouse)
    data_path(warehouse).mkdir(parents=True, exist_ok=True)
    new = not catalog_path(warehouse).exists()
    if new:
        # Write-ahead logging, set once in the file: readers holding a transaction through a
        # build do not keep its commit waiting, and the commit does not make them fail.
        with contextlib.closing(sqlite3.connect(catalog_path(warehouse))) as catalog:
            catalog.execute("pragma journal_mode = wal")
    con = connect(
        {
            # A bounded buffer pool: large statements spill to disk instead of growing.
            "memory_limit": memory,
            "temp_directory": str(warehouse / ".duckdb-tmp"),
            "preserve_insertion_order": False,
        }
    )
    retry(lambda: con.execute(attach_sql(warehouse, read_only=False)))
    con.execute(f"use {LAKE}")
    if new:
        # zstd: the raw rows are text (front matter, related lists) that compresses well.
        con.execute(f"call {LAKE}.set_option('parquet_compression', 'zstd')")
        # No rows inlined in the catalog: with duckdb 1.5.5, inlined rows holding a timestamp
        # with a zone inside a struct cannot be read back; every row goes to Parquet.
        con.execute(f"call {LAKE}.set_option('data_inlining_row_limit', 0)")
        # Row groups of 2,048 rows, not DuckDB's 122,880: a real site's raw rows carry tens of
        # KB of front matter and related entries each, and a row group is buffered whole.
        con.execute(f"call {LAKE}.set_option('parquet_row_group_size', 2048)")
    # Set on lakes made before it too: their tables are split as they are next built whole.
    options = {
        name for (name,) in con.execute(f"select option_name from {LAKE}.options()").fetchall()
    }
    if "target_file_size" not in options:
        con.execute(f"call {LAKE}.set_option('target_file_size', '{TARGET_FILE_SIZE}')")
    return con


@contextmanager
def writing(warehouse: Path, memory: str = DEFAULT_MEMORY) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lake read-write in one transaction, committed when the block ends without error.

    Holds the writer lock throughout: for maintenance and repairs outside a build.
    """
    with writer_lock(warehouse):
        con = open_writer(warehouse, memory)
        try:
            con.execute("begin")
            try:
                yield con
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("rollback")
                raise
            con.execute("commit")
        finally:
            con.close()


def connect_read_only(warehouse: Path, config: dict[str, object] | None = None):
    """A connection with the warehouse's lake attached read-only, as `newsdw`, in use."""
    if not catalog_path(warehouse).is_file():
        raise LakeMissing(f"no warehouse at {catalog_path(warehouse)}; run `newsdw build` first")
    con = connect(config)
    con.execute(f"set disabled_optimizers = '{READER_DISABLED_OPTIMIZERS}'")
    retry(lambda: con.execute(attach_sql(warehouse, read_only=True)))
    con.execute(f"use {LAKE}")
    return con


def begin_read(con: duckdb.DuckDBPyConnection) -> tuple[int, object]:
    """Start a read transaction pinned to the latest committed build; its (snapshot id, time).

    Every statement until the transaction ends reads that one build, whatever commits meanwhile.
    """

    def start() -> tuple[int, object]:
        with contextlib.suppress(duckdb.Error):  # no transaction open: the usual case
            con.execute("rollback")
        con.execute("begin transaction")
        return con.execute(
            f"select snapshot_id, snapshot_time from {LAKE}.snapshots()"
            " order by snapshot_id desc limit 1"
        ).fetchone()

    return retry(start)


def latest_snapshot(warehouse: Path) -> int | None:
    """The id of the lake's latest snapshot (one per committed build), or None without a lake."""
    if not catalog_path(warehouse).is_file():
        return None
    con = connect_read_only(warehouse)
    try:
        return retry(
            lambda: con.execute(f"select max(snapshot_id) from {LAKE}.snapshots()").fetchone()[0]
        )
    finally:
        con.close()


def retry(action: Callable[[], T], attempts: int = _ATTEMPTS) -> T:
    """`action()`, asked again while the catalog is busy with a commit (up to about a minute)."""
    for attempt in range(attempts):
        try:
            return action()
        except duckdb.Error as exc:
            if attempt == attempts - 1 or not any(word in str(exc) for word in _BUSY):
                raise
            time.sleep(min(1.0, 0.02 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
