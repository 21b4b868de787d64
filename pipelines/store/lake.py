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
from .location import CATALOG_NAME, DATA_DIR, Lake, located, s3_secret_sql
from .lock import writer_lock

__all__ = ["CATALOG_NAME", "DATA_DIR", "Lake", "located"]

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
# What DuckLake says when a read-only ATTACH finds a catalog database with no lake in it.
_NO_LAKE = "does not exist"

# DuckLake 1.5.5 answers `count(*)` from a table's statistics, which in an older snapshot
# count the deletes of later ones once a data file has deletes from two snapshots (as
# raw.articles gets): a reader pinned to one build would count another's rows. Without this
# optimizer, readers count the rows.
READER_DISABLED_OPTIMIZERS = "statistics_propagation"

T = TypeVar("T")


class LakeMissing(FileNotFoundError):
    """No lake in the warehouse folder: nothing was built there yet."""


def catalog_path(warehouse: Path) -> Path:
    """The lake's catalog in a warehouse folder, a SQLite file."""
    return Path(warehouse) / CATALOG_NAME


def data_path(warehouse: Path) -> Path:
    """The folder of the lake's Parquet data files in a warehouse folder."""
    return Path(warehouse) / DATA_DIR


def attach_sql(where: Path | Lake, *, read_only: bool, name: str = LAKE) -> str:
    """The ATTACH statement of a lake (DuckDB's ATTACH takes no parameters)."""
    where = located(where)
    # The data files' paths are stored relative to the data path, and the data path is the
    # folder's own: a warehouse folder copied or moved elsewhere opens where it now is.
    options = [f"data_path {sql_literal(where.data_url)}", "override_data_path true"]
    if read_only:
        options.append("read_only")
    return f"attach {sql_literal(where.attach_url)} as {name} ({', '.join(options)})"


def connect(
    config: dict[str, object] | None = None, where: Path | Lake | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the extensions of the lake `where` loaded (by default, those of
    a lake in a warehouse folder), and its S3 secret when its data is on S3."""
    # No replacement scans: a table name that the lake lacks must fail, not read a Python
    # variable of the same name from the caller's frame.
    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "python_enable_replacements": False,
            **(config or {}),
        }
    )
    where = located(where or Path("."))
    load_extensions(con, where.extensions)
    if where.data_on_s3:
        con.execute(s3_secret_sql())
    return con


def open_writer(where: Path | Lake, memory: str = DEFAULT_MEMORY) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached read-write (created when missing)."""
    where = located(where)
    if where.data_folder is not None:
        where.data_folder.mkdir(parents=True, exist_ok=True)
    catalog = where.catalog_file
    new = catalog is not None and not catalog.exists()
    if new:
        catalog.parent.mkdir(parents=True, exist_ok=True)
        # Write-ahead logging, set once in the file: readers holding a transaction through a
        # build do not keep its commit waiting, and the commit does not make them fail.
        with contextlib.closing(sqlite3.connect(catalog)) as sqlite:
            sqlite.execute("pragma journal_mode = wal")
    con = connect(
        {
            # A bounded buffer pool: large statements spill to disk instead of growing.
            "memory_limit": memory,
            "temp_directory": str(where.warehouse / ".duckdb-tmp"),
            "preserve_insertion_order": False,
        },
        where,
    )
    retry(lambda: con.execute(attach_sql(where, read_only=False)))
    con.execute(f"use {LAKE}")
    if catalog is None:
        # A shared catalog: new when no build committed a table or an option yet.
        new = not con.execute(f"select count(*) from {LAKE}.options()").fetchone()[0]
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
def writing(
    where: Path | Lake, memory: str = DEFAULT_MEMORY
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lake read-write in one transaction, committed when the block ends without error.

    Holds the writer lock throughout: for maintenance and repairs outside a build.
    """
    with writer_lock(located(where).warehouse):
        con = open_writer(where, memory)
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


def connect_read_only(where: Path | Lake, config: dict[str, object] | None = None):
    """A connection with the lake attached read-only, as `newsdw`, in use."""
    where = located(where)
    catalog = where.catalog_file
    if catalog is not None and not catalog.is_file():
        raise LakeMissing(f"no warehouse at {catalog}; run `newsdw build` first")
    con = connect(config, where)
    con.execute(f"set disabled_optimizers = '{READER_DISABLED_OPTIMIZERS}'")
    try:
        retry(lambda: con.execute(attach_sql(where, read_only=True)))
    except duckdb.Error as exc:
        con.close()
        if catalog is None and _NO_LAKE in str(exc):
            raise LakeMissing(
                f"no lake in the catalog {where.describe()}; run `newsdw build` first"
            ) from None
        raise
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


def latest_snapshot(where: Path | Lake) -> int | None:
    """The id of the lake's latest snapshot (one per committed build), or None without a lake."""
    try:
        con = connect_read_only(where)
    except LakeMissing:
        return None
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
