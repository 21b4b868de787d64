"""The raw ingest in shards: one Dagster partition per hash shard of the content's paths.

A cluster builds the raw tables by materialising every partition of `raw/shards`, each run
on whichever worker the executor picks (`newsdw build --executor celery`), then the models
and the pages in one run where DuckDB runs. The single-machine build does not use it.
"""

import os

import dagster as dg

from ..ingest.shards import DEFAULT_SHARDS, Shard, partition_keys
from ..resources import NewsdwPaths
from ..store.shard import build_shard
from ..versions import RULES_VERSION
from .ingest import FULL_TAG, OWNERS, RAW_SHARDS, ingest_metadata

CELERY_SHARDS_JOB = "raw_shards_celery"

SHARDS_ENV = "NEWSDW_SHARDS"
# Parse processes per shard run (default: every core of the worker).
SHARD_PROCESSES_ENV = "NEWSDW_SHARD_PROCESSES"
# The name `newsdw worker` gives its worker, which each shard it runs records.
WORKER_NAME_ENV = "NEWSDW_WORKER_NAME"


def shard_count() -> int:
    """The number of shards, from the environment (a warehouse keeps one number)."""
    value = os.environ.get(SHARDS_ENV) or str(DEFAULT_SHARDS)
    if not value.isdigit() or not 1 <= int(value) <= 4096:
        raise ValueError(f"{SHARDS_ENV}={value!r} is not a number of shards from 1 to 4096")
    return int(value)


def shard_partitions(count: int | None = None) -> dg.StaticPartitionsDefinition:
    """The shards as Dagster partitions: `0-of-8` … `7-of-8`."""
    return dg.StaticPartitionsDefinition(partition_keys(count or shard_count()))


def raw_shards_asset(count: int | None = None) -> dg.AssetsDefinition:
    """The partitioned asset whose partition `k-of-n` ingests and commits shard k."""

    @dg.asset(
        key=RAW_SHARDS,
        partitions_def=shard_partitions(count),
        code_version=RULES_VERSION,
        group_name="raw",
        kinds={"parquet", "ducklake"},
        owners=OWNERS,
        description=(
            "The content's files in hash shards of their paths, for builds on many machines: "
            "a partition reads only its shard's new and changed files and commits their rows "
            "to raw.articles and raw.quarantine, beside the other shards' (which commit at "
            "the same time). `newsdw build --executor celery` materialises every partition, "
            "then the models."
        ),
    )
    def raw_shards(context: dg.AssetExecutionContext, paths: NewsdwPaths) -> dg.MaterializeResult:
        shard = Shard.from_key(context.partition_key)
        processes = os.environ.get(SHARD_PROCESSES_ENV)
        built = build_shard(
            paths.lake,
            paths.content_url,
            shard,
            memory=paths.duckdb_memory,
            workers=int(processes) if processes else None,
            full=context.run.tags.get(FULL_TAG) == "true",
            progress=context.log.info,
        )
        result = built.ingest
        context.log.info(
            f"shard {shard.key}: files seen {result.files_seen:,}: parsed"
            f" {result.files_parsed:,}, unchanged {result.files_unchanged:,}, deleted"
            f" {result.files_deleted:,}, quarantined {result.quarantined:,}"
        )
        return dg.MaterializeResult(
            metadata={
                **ingest_metadata(result),
                "lake_snapshot": built.snapshot if built.snapshot is not None else -1,
                "commit_attempts": built.attempts,
                "worker": os.environ.get(WORKER_NAME_ENV) or f"{os.uname().nodename}:{os.getpid()}",
            }
        )

    return raw_shards


def shards_job():
    """The job of one shard's run (a partition of `raw/shards`), on the default executor."""
    return dg.define_asset_job(
        "raw_shards",
        selection=[RAW_SHARDS],
        description="One shard of the raw ingest: its files' rows committed to the lake.",
    )


def celery_shards_job():
    """The job of one shard's run whose step is a Celery task (`newsdw build --executor
    celery`); the broker comes with the run's config (`pipelines.cluster.celery_settings`)."""
    from dagster_celery import celery_executor

    return dg.define_asset_job(
        CELERY_SHARDS_JOB,
        selection=[RAW_SHARDS],
        executor_def=celery_executor,
        description="One shard of the raw ingest, run on a Celery worker.",
    )
