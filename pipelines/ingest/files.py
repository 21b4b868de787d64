"""Reading content files and writing Parquet so that a crash never leaves a torn file."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import polars as pl


def write_parquet_atomic(frame: pl.DataFrame, target: Path) -> None:
    """Write `frame` to a temporary sibling, flush it to disk, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.write_parquet(temporary, compression="lz4")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
