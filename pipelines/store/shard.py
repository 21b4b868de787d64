"""One shard's build: its files' rows into the lake's raw tables, beside the other shards'.

A shard run reads only its own files (`ingest` with a `Shard`) in a scratch folder of its
own, and commits their rows in one transaction that touches only that shard's rows. Shards
commit concurrently: DuckLake refuses one of two commits that insert into and delete from
the same table at once ("Transaction conflict"), and that shard's transaction is then made
again from its parsed rows. The shard's manifest is kept under the lake's state location
(`Lake.state_url`), written after the commit: a shard killed in between reads its changed
files again next time, and replaces their rows again, to the same result.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from ..ingest.manifest import manifest_path
from ..ingest.run import IngestResult, ingest
from ..ingest.shards import Shard
from ..models.materialise import sql_literal
from . import lake
from .location import Lake
from .raw import RAW_TABLES, load_raw, remove_loaded_parts

# A commit refused because another shard committed to the same table meanwhile.
_CONFLICT = "conflict"
_ATTEMPTS = 30


@dataclass
class ShardBuild:
    """What one shard's run saw and committed."""

    shard: Shard
    ingest: IngestResult
    snapshot: int | None = None  # the lake snapshot it committed; None: nothing changed
    attempts: int = 0


def manifest_url(where: Lake, shard: Shard) -> str:
    """Where a shard's manifest is kept between builds."""
    return f"{where.state_url}shards-{shard.count}/manifest-{shard.key}.parquet"


def build_shard(
    where: Lake,
    content: Path | str,
    shard: Shard,
    *,
    memory: str = lake.DEFAULT_MEMORY,
    workers: int | None = None,
    full: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ShardBuild:
    """Ingest one shard's files and commit their rows to the lake."""
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix=f"newsdw-shard-{shard.key}-") as folder:
        scratch = Path(folder)
        if where.catalog and where.data:
            # A lake wholly elsewhere: this worker writes nothing in the warehouse folder
            # (which is the launching machine's), not even DuckDB's spill files.
            where = replace(where, warehouse=scratch)
        url = manifest_url(where, shard)
        con = lake.connect(where=where)
        try:
            had_manifest = not full and _copy(con, url, manifest_path(scratch), local_target=True)
        finally:
            con.close()
        result = ingest(content, scratch, workers=workers, progress=say, shard=shard)
        build = ShardBuild(shard, result)
        if not result.changed and had_manifest:
            say(f"shard {shard.key}: nothing changed")
            return build
        build.snapshot, build.attempts = _commit(where, scratch, shard, memory, say)
        con = lake.connect(where=where)
        try:
            _copy(con, str(manifest_path(scratch)), url, local_target=where.data_folder is not None)
        finally:
            con.close()
        return build


def _commit(
    where: Lake, scratch: Path, shard: Shard, memory: str, say: Callable[[str], None]
) -> tuple[int, int]:
    """Replace the shard's rows in one transaction, again while another shard's commit
    conflicts with it; (the snapshot committed, attempts)."""
    con = lake.open_writer(where, memory)
    try:
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                con.execute("begin")
                load_raw(con, scratch, RAW_TABLES, shard=shard)
                con.execute("commit")
                break
            except duckdb.Error as exc:
                with contextlib.suppress(duckdb.Error):
                    con.execute("rollback")
                if _CONFLICT not in str(exc).lower() or attempt == _ATTEMPTS:
                    raise
                say(f"shard {shard.key}: another shard committed first; committing again")
                # Shards that met at the commit should not meet again at the next.
                time.sleep(min(5.0, 0.1 * 1.5**attempt) * (0.5 + random.random()))
        snapshot = con.execute(f"select max(snapshot_id) from {lake.LAKE}.snapshots()").fetchone()
    finally:
        con.close()
    remove_loaded_parts(scratch)
    say(f"shard {shard.key}: committed snapshot {snapshot[0]}")
    return snapshot[0], attempt


def _copy(con: duckdb.DuckDBPyConnection, source: str, target, *, local_target: bool) -> bool:
    """Copy a Parquet file (a path or an s3:// URL) with DuckDB; False when there is none."""
    target = str(target)
    if local_target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        staged = f"{target}.{os.getpid()}.tmp"
    else:
        staged = target
    try:
        con.execute(
            f"copy (from read_parquet({sql_literal(source)})) to {sql_literal(staged)}"
            " (format parquet)"
        )
    except duckdb.IOException as exc:
        if "No files found" in str(exc) or "No such file" in str(exc) or "404" in str(exc):
            return False
        raise
    if local_target:
        os.replace(staged, target)
    return True
