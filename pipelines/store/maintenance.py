"""Keeping the lake small: expire old builds, merge small files, delete what nothing reads.

Every build adds a snapshot, and the tables it replaced stay on disk for time travel. The
lake keeps the builds of the last `keep_days` days, and at most the newest `keep_builds`
of them, so a sensor that rebuilds every minute cannot grow it without bound. Files that
expiry or a merge made unused are deleted once they have been unused for `grace` (a reader
that started before may still be scanning them); files no snapshot ever committed (a build
that failed or was killed) are deleted at once, under the writer lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from . import lake
from .lock import writer_lock

KEEP_DAYS = 7
KEEP_BUILDS = 50
GRACE = timedelta(minutes=15)


@dataclass(frozen=True)
class Maintained:
    """What one round of maintenance did, and the lake's size before and after it."""

    snapshots_expired: int
    bytes_before: int
    bytes_after: int


def lake_bytes(warehouse: Path) -> int:
    """Bytes on disk of the lake: its catalog (with its write-ahead log) and its data files."""
    total = 0
    for folder, _, names in os.walk(lake.data_path(warehouse)):
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in names)
    catalog = lake.catalog_path(warehouse)
    for path in catalog.parent.glob(f"{catalog.name}*"):
        total += path.stat().st_size
    return total


def expire_and_clean(
    con: duckdb.DuckDBPyConnection,
    keep_days: int = KEEP_DAYS,
    keep_builds: int = KEEP_BUILDS,
    grace: timedelta = GRACE,
    shared: bool = False,
) -> int:
    """Expire the builds past the window, delete unused and orphan files; how many expired.

    Runs outside a transaction, on a writer connection, under the writer lock. `shared`: the
    catalog is on PostgreSQL, where writers on other machines may have files in flight.
    """
    expired = [
        snapshot
        for (snapshot,) in con.execute(
            f"""
            select snapshot_id from (
                select
                    snapshot_id,
                    snapshot_time,
                    row_number() over (order by snapshot_id desc) as newest
                from {lake.LAKE}.snapshots()
            )
            where newest > 1
                and (newest > $keep_builds
                    or snapshot_time < now() - to_days(cast($keep_days as integer)))
            order by snapshot_id
            """,
            {"keep_builds": keep_builds, "keep_days": keep_days},
        ).fetchall()
    ]
    if expired:
        con.execute(
            f"call ducklake_expire_snapshots('{lake.LAKE}', versions => $versions)",
            {"versions": expired},
        )
    con.execute(
        f"call ducklake_cleanup_old_files('{lake.LAKE}',"
        " older_than => now() - to_microseconds($grace))",
        {"grace": int(grace.total_seconds() * 1_000_000)},
    )
    if shared:
        # Shards on other machines write files they have not committed yet: only a file the
        # catalog has not known for the grace period was left by a writer that died.
        con.execute(
            f"call ducklake_delete_orphaned_files('{lake.LAKE}',"
            " older_than => now() - to_microseconds($grace))",
            {"grace": int(grace.total_seconds() * 1_000_000)},
        )
    else:
        # Under the writer lock no build has files in flight: a file the catalog does not know
        # was left by a build that failed or was killed.
        con.execute(f"call ducklake_delete_orphaned_files('{lake.LAKE}', cleanup_all => true)")
    return len(expired)


def catalog_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """Bytes of the data and delete files the lake's catalog lists (for a lake whose files
    are not in a local folder, where `lake_bytes` cannot walk them)."""
    metadata = f"__ducklake_metadata_{lake.LAKE}"
    return con.execute(
        f"""
        select coalesce(sum(file_size_bytes), 0)
        from (
            select file_size_bytes from {metadata}.ducklake_data_file
            union all
            select file_size_bytes from {metadata}.ducklake_delete_file
        )
        """
    ).fetchone()[0]


def maintain(
    where: Path | lake.Lake,
    keep_days: int = KEEP_DAYS,
    keep_builds: int = KEEP_BUILDS,
    grace: timedelta = GRACE,
    memory: str = lake.DEFAULT_MEMORY,
) -> Maintained:
    """Merge the lake's small files, expire old builds and delete the files nothing reads."""
    where = lake.located(where)
    catalog = where.catalog_file
    if catalog is not None and not catalog.is_file():
        raise lake.LakeMissing(f"no lake at {catalog}; nothing to maintain")
    local = catalog is not None and where.data_folder == lake.data_path(where.warehouse)
    with writer_lock(where.warehouse):
        con = lake.open_writer(where, memory)
        try:
            before = lake_bytes(where.warehouse) if local else catalog_bytes(con)
            con.execute(f"call ducklake_merge_adjacent_files('{lake.LAKE}')")
            expired = expire_and_clean(con, keep_days, keep_builds, grace, shared=where.on_postgres)
            after = lake_bytes(where.warehouse) if local else catalog_bytes(con)
        finally:
            con.close()
        return Maintained(expired, before, after)
