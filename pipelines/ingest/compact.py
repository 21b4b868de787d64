"""Keeping the article part files tidy: drop dead parts, rewrite when too much is dead."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import polars as pl

from .manifest import manifest_path, parts_dir, save_manifest

MAX_PARTS = 1_000


def live_articles(warehouse: Path, manifest: pl.DataFrame) -> pl.LazyFrame:
    """The current article rows: each path's row in the part the manifest names."""
    live = manifest.lazy().filter(pl.col("status") == "article").select("source_path", "part")
    folder = parts_dir(warehouse)
    scans = [
        pl.scan_parquet(folder / part).with_columns(pl.lit(part).alias("part"))
        for part in sorted(set(manifest["part"].drop_nulls().to_list()))
    ]
    return pl.concat(scans, how="vertical").join(live, on=["source_path", "part"], how="semi")


def remove_leftovers(warehouse: Path) -> None:
    """Delete what killed ingests left under raw/: temporaries and uncommitted part files.

    Run under the writer lock, before anything is written: nothing else is writing then.
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
        if part.name not in referenced:  # written by a batch whose ingest never committed
            part.unlink(missing_ok=True)


def compact_if_needed(warehouse: Path, manifest: pl.DataFrame, say: Callable[[str], None]) -> None:
    """Delete parts no row points at; rewrite all parts when many rows in them are dead."""
    folder = parts_dir(warehouse)
    referenced = set(manifest["part"].drop_nulls().to_list())
    for stale in folder.glob("part-*.parquet"):
        if stale.name not in referenced:
            stale.unlink()
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink()
    if not referenced:
        return
    stored = (
        pl.concat([pl.scan_parquet(folder / part).select(pl.len()) for part in referenced])
        .sum()
        .collect()
        .item()
    )
    live = int((manifest["status"] == "article").sum())
    if len(referenced) <= MAX_PARTS and stored <= 2 * live:
        return
    say(f"compacting {len(referenced)} part files ({stored:,} rows stored, {live:,} live)")
    name = f"part-{uuid.uuid4().hex}.parquet"
    temporary = folder / f".{name}.tmp"
    # Streamed, so compaction never holds the corpus in memory.
    live_articles(warehouse, manifest).drop("part").sink_parquet(temporary, compression="zstd")
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, folder / name)
    remapped = manifest.with_columns(
        pl.when(pl.col("status") == "article").then(pl.lit(name)).otherwise(None).alias("part")
    )
    save_manifest(warehouse, remapped)
    for old in referenced:
        (folder / old).unlink(missing_ok=True)
