"""Warehouses of the layout before the lake: one DuckDB file, rebuilt from the content once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..ingest.manifest import manifest_path
from .lake import Lake, latest_snapshot, located

# The layout before the lake kept every table in this one file, copied by each build.
OLD_DATABASE = "newsdw.duckdb"


def full_read_reason(where: Path | Lake) -> str | None:
    """Why the next ingest must read every content file again, or None.

    The lake's raw rows come from the ingest's part files, which go once committed. So an
    ingest record with no lake beside it (a warehouse of the old layout, or a lake deleted by
    hand) has no rows to load: every file is read again, and nothing the content holds is lost.
    """
    where = located(where)
    warehouse = where.warehouse
    if not manifest_path(warehouse).exists():
        return None
    catalog = where.catalog_file
    if catalog is None:  # on PostgreSQL: a lake there has committed a build
        if latest_snapshot(where) is not None:
            return None
        return (
            f"no lake in the catalog {where.describe()} for the ingest's manifest in"
            f" {warehouse}: every content file is read again"
        )
    if catalog.exists():
        return None
    if (warehouse / OLD_DATABASE).exists():
        return (
            f"upgrading {warehouse} to the lake layout: every content file is read again and"
            f" {OLD_DATABASE} is removed once the lake is committed"
        )
    return f"no lake in {warehouse} beside the ingest's manifest: every content file is read again"


def remove_old_layout(warehouse: Path, say: Callable[[str], None] = lambda _: None) -> None:
    """Delete the old layout's DuckDB file and its leftovers, once the lake holds the data."""
    warehouse = Path(warehouse)
    old = [
        path
        for path in (warehouse / OLD_DATABASE, warehouse / f"{OLD_DATABASE}.wal")
        if path.exists()
    ]
    old += list(warehouse.glob(f".{OLD_DATABASE}.*.building*"))
    for path in old:
        path.unlink(missing_ok=True)
    if old:
        say(f"removed {OLD_DATABASE} of the old layout: the lake now holds the warehouse")
