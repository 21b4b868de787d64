"""The ingest manifest: what every file looked like when last read, and what became of it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .files import write_parquet_atomic
from .schema import MANIFEST


def manifest_path(warehouse: Path) -> Path:
    """Where the manifest of a warehouse lives."""
    return warehouse / "raw" / "manifest.parquet"


def parts_dir(warehouse: Path) -> Path:
    """The folder of article part files of a warehouse."""
    return warehouse / "raw" / "articles"


def load_manifest(warehouse: Path) -> dict[str, tuple]:
    """The manifest as {source_path: row}; empty for a new warehouse."""
    path = manifest_path(warehouse)
    if not path.exists():
        return {}
    frame = pl.read_parquet(path)
    return {row[0]: row for row in frame.iter_rows()}


def save_manifest(warehouse: Path, rows: list[tuple]) -> pl.DataFrame:
    """Write the manifest atomically: it is the commit point of an ingest."""
    frame = pl.DataFrame(rows, schema=MANIFEST, orient="row").sort("source_path")
    write_parquet_atomic(frame, manifest_path(warehouse))
    return frame
