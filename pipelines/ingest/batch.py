"""Parsing one batch of content files into an article part file and manifest rows.

Runs in worker processes, so it takes and returns plain, picklable values.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl

from .. import versions
from ..frontmatter import MAX_FILE_BYTES, Refused, parse_article
from .files import write_parquet_atomic
from .s3 import fetch, is_s3
from .scan import Entry
from .schema import ARTICLE_PART

_EPOCH = datetime(1970, 1, 1)

# (source_path, file_size, file_mtime_ns, file_ctime_ns, content_sha256, status, part, kind,
#  message, line, rules_version), in the order of MANIFEST
ManifestRow = tuple


def parse_batch(root: str, entries: list[Entry], parts_dir: str) -> list[ManifestRow]:
    """Parse `entries`, write their articles to a new part file, return their manifest rows.

    A root on S3 (`s3://bucket/prefix`) has the batch's objects downloaded first.
    """
    if is_s3(root):
        with tempfile.TemporaryDirectory(prefix="newsdw-s3-batch-") as folder:
            fetch(root, entries, Path(folder))
            return _parse_batch(folder, entries, parts_dir)
    return _parse_batch(root, entries, parts_dir)


def _parse_batch(root: str, entries: list[Entry], parts_dir: str) -> list[ManifestRow]:
    part = f"part-{uuid.uuid4().hex}.parquet"
    columns: dict[str, list] = {name: [] for name in ARTICLE_PART}
    manifest: list[ManifestRow] = []
    for entry in entries:
        digest, outcome = read_entry(root, entry)
        if isinstance(outcome, Refused):
            manifest.append(
                (
                    entry.path,
                    entry.size,
                    entry.mtime_ns,
                    entry.ctime_ns,
                    digest,
                    "quarantine",
                    None,
                    outcome.kind,
                    outcome.message,
                    outcome.line,
                    versions.RULES_VERSION,
                )
            )
        else:
            outcome["source_path"] = entry.path
            outcome["file_size"] = entry.size
            outcome["file_mtime"] = _EPOCH + timedelta(microseconds=entry.mtime_ns // 1000)
            outcome["content_sha256"] = digest
            outcome["rules_version"] = versions.RULES_VERSION
            for name, values in columns.items():
                values.append(outcome[name])
            manifest.append(
                (
                    entry.path,
                    entry.size,
                    entry.mtime_ns,
                    entry.ctime_ns,
                    digest,
                    "article",
                    part,
                    None,
                    None,
                    None,
                    versions.RULES_VERSION,
                )
            )
    if columns["source_path"]:
        nested = {name: columns.pop(name) for name in _NESTED}
        frame = pl.DataFrame(columns, schema={name: ARTICLE_PART[name] for name in columns})
        frame = frame.with_columns(
            # JSON arrives as UTF-8 bytes; one vectorised cast makes it text, checked.
            pl.col("front_matter").cast(pl.String),
            *(_list_of_structs(name, rows) for name, rows in nested.items()),
        ).select(ARTICLE_PART.names())
        write_parquet_atomic(frame, Path(parts_dir) / part)
    return manifest


# Lists of structs, built from one flat frame of every entry: Polars builds a nested column
# row by row otherwise, at several times the cost.
_NESTED = ("images", "related")


def _list_of_structs(name: str, rows: list[list[dict]]) -> pl.Series:
    """The column `name` of ARTICLE_PART from each row's list of dicts."""
    dtype = ARTICLE_PART[name]
    fields = dict(dtype.inner.to_schema())
    flat = pl.DataFrame([item for row in rows for item in row], schema=fields, orient="row")
    owner = pl.Series("row", [i for i, row in enumerate(rows) for _ in row], dtype=pl.UInt32)
    grouped = flat.with_columns(owner).group_by("row").agg(pl.struct(list(fields)).alias(name))
    every_row = pl.DataFrame({"row": pl.Series(range(len(rows)), dtype=pl.UInt32)})
    column = every_row.join(grouped, on="row", how="left", maintain_order="left")[name]
    return column.fill_null(pl.Series([[]], dtype=dtype))


def read_entry(root: str, entry: Entry) -> tuple[str | None, dict | Refused]:
    """Read and parse one entry: (sha256 of its bytes, article columns or the refusal)."""
    if entry.kind == "symlink":
        target = _link_target(f"{root}/{entry.os_path}")
        return None, Refused("symlink", f"symbolic link (to {target}); links are never followed")
    if entry.kind == "folder":
        return None, Refused("unreadable", f"folder cannot be listed: {entry.error}")
    if entry.kind == "unreadable":
        return None, Refused("unreadable", f"cannot be examined: {entry.error}")
    if entry.kind != "file":
        return None, Refused("unreadable", "not a regular file (device, socket or pipe)")
    if entry.size > MAX_FILE_BYTES:
        return None, Refused("too_large", f"file is {entry.size:,} bytes; limit is 8 MiB", None)
    try:
        data = _read(f"{root}/{entry.os_path}", entry.size)
    except OSError as exc:
        return None, Refused("unreadable", f"cannot read file: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        return None, Refused("too_large", f"file is over 8 MiB (it grew to {len(data):,} bytes)")
    digest = hashlib.sha256(data).hexdigest()
    try:
        return digest, parse_article(data)
    except Refused as refusal:
        return digest, refusal
    except Exception as exc:  # noqa: BLE001 - a parser bug must quarantine, not stop the build
        return digest, Refused("unreadable", f"internal parser error: {type(exc).__name__}: {exc}")


def _read(path: str, expected_size: int) -> bytes:
    """The file's bytes, never following a link, and at most 8 MiB + 1."""
    # Asking read() for the size the scan saw, rather than a large bound, spares a
    # multi-megabyte allocation per file: on small files that is most of the read's cost.
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        data = os.read(descriptor, expected_size + 1)
        if len(data) <= expected_size:
            return data
        chunks = [data]
        total = len(data)
        while total <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _link_target(path: str) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "an unreadable target"
