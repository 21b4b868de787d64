"""What killed or superseded ingests left under raw/: temporaries and part files no row needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from .manifest import manifest_path, parts_dir


def remove_leftovers(warehouse: Path) -> None:
    """Delete temporaries and the part files that no manifest row points at.

    Run under the writer lock: nothing else is writing then. A part file no row points at was
    written by an ingest that never committed, or holds only rows of files since changed again.
    """
    raw = warehouse / "raw"
    if not raw.is_dir():
        return
    for leftover in raw.rglob(".*"):
        if leftover.name.endswith(".tmp") and leftover.is_file():
            leftover.unlink(missing_ok=True)  # an atomic write's temporary, never renamed
        elif leftover.name.startswith(".batch-") and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)  # a batch's scratch folder
    folder = parts_dir(warehouse)
    if not folder.is_dir():
        return
    path = manifest_path(warehouse)
    referenced = set()
    if path.exists():
        referenced = set(pl.read_parquet(path, columns=["part"])["part"].drop_nulls())
    for part in folder.glob("part-*.parquet"):
        if part.name not in referenced:
            part.unlink(missing_ok=True)
