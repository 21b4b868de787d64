"""The ingest manifest: what every file looked like when last read, and what became of it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import polars as pl

from .files import write_parquet_atomic
from .schema import MANIFEST


def manifest_path(warehouse: Path) -> Path:
    """Where the manifest of a warehouse lives."""
    return warehouse / "raw" / "manifest.parquet"


def parts_dir(warehouse: Path) -> Path:
    """The folder of article part files of a warehouse."""
    return warehouse / "raw" / "articles"


def load_manifest(warehouse: Path) -> pl.DataFrame:
    """The manifest of the last ingest, in today's schema; empty for a new warehouse."""
    path = manifest_path(warehouse)
    if not path.exists():
        return MANIFEST.to_frame()
    frame = pl.read_parquet(path)
    # A manifest from before a column existed: its rows have no value there (so, for
    # rules_version, they are read again; for file_ctime_ns, hashed once).
    missing = [
        pl.lit(None, dtype).alias(name)
        for name, dtype in MANIFEST.items()
        if name not in frame.columns
    ]
    return frame.with_columns(missing).select(MANIFEST.names())


class FileState(NamedTuple):
    """A file as the manifest last saw it, and what became of it (`error_kind` None: an
    article)."""

    size: int
    mtime_ns: int
    ctime_ns: int | None
    sha256: str | None
    error_kind: str | None
    rules_version: str | None


def file_states(warehouse: Path) -> dict[str, FileState]:
    """{source_path: FileState} of the last ingest; empty for a new warehouse."""
    if not manifest_path(warehouse).exists():
        return {}
    manifest = load_manifest(warehouse)
    columns = ["file_size", "file_mtime_ns", "file_ctime_ns", "content_sha256"]
    columns += ["error_kind", "rules_version"]
    rows = zip(*(manifest[column].to_list() for column in columns), strict=True)
    return dict(
        zip(manifest["source_path"].to_list(), (FileState(*row) for row in rows), strict=True)
    )


def next_manifest(
    previous: pl.DataFrame,
    kept: list[str],
    moved: dict[str, tuple[int, int, int]],
    fresh: list[tuple],
) -> pl.DataFrame:
    """The previous rows still valid (new size, mtime, ctime where only they moved), and the new."""
    rows = previous.filter(pl.col("source_path").is_in(kept))
    if moved:
        columns = ("source_path", "file_size", "file_mtime_ns", "file_ctime_ns")
        update = pl.DataFrame(
            [(path, *stat) for path, stat in moved.items()],
            schema={name: MANIFEST[name] for name in columns},
            orient="row",
        )
        rows = rows.update(update, on="source_path")
    new = pl.DataFrame(fresh, schema=MANIFEST, orient="row")
    return pl.concat([rows, new]).sort("source_path")


def save_manifest(warehouse: Path, frame: pl.DataFrame) -> None:
    """Write the manifest atomically: it is the commit point of an ingest."""
    write_parquet_atomic(frame, manifest_path(warehouse))


def full_read_mark(warehouse: Path) -> Path:
    """The file that asks the next ingest to read every content file again."""
    return warehouse / "raw" / "full-read-requested"


def request_full_read(warehouse: Path) -> None:
    """Make the next ingest re-read every file, whatever the manifest says (`build --full`)."""
    # A mark rather than an argument: the ingest runs in a process of its own, and a full
    # read asked for by a build that is then killed is still owed by the next one.
    mark = full_read_mark(warehouse)
    mark.parent.mkdir(parents=True, exist_ok=True)
    mark.touch()
