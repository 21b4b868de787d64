"""`newsdw build --sharded` / `--executor celery`: a build whose raw ingest runs in shards.

Each shard is one run of the partitioned asset `raw/shards`, and commits its own rows to the
lake; the runs go together, on the executor chosen (Celery: on whichever worker takes them).
Once every shard has committed, one run here builds the models whole and the pages, where
DuckDB runs. The instance is the warehouse's own, or the one `DAGSTER_HOME` names (a shared
PostgreSQL instance, so that the workers and the UI see the same runs).
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import dagster as dg

from .build import (
    COMMAND_TAG,
    QUIET_CONSOLE,
    BuildSummary,
    console_logger,
    delete_old_runs,
    failure_reason,
    metadata_of,
    open_instance,
)
from .cluster import ShardRun
from .defs.ingest import DASHBOARDS, FULL_TAG, RAW_FILES, RAW_SHARDS
from .ingest.shards import partition_keys
from .resources import NewsdwPaths
from .store import lake
from .store.raw import RAW_TABLES

SHARDS_JOB = "raw_shards"


def run_sharded_build(
    settings: NewsdwPaths,
    home: Path,
    *,
    shards: int,
    executor: str = "in_process",
    full: bool = False,
) -> BuildSummary:
    """Every shard's run, then the models and pages; what the build did."""
    from .definitions import defs

    config = _paths_config(settings)
    tags = {COMMAND_TAG: "newsdw build --sharded"}
    if full:
        tags[FULL_TAG] = "true"
    summary = BuildSummary(settings.warehouse, catalog=settings.lake.describe())
    # The lake made (or opened) once here: shards attaching a new catalog all at once would
    # each try to create it.
    lake.open_writer(settings.lake, settings.duckdb_memory).close()
    with open_instance(home) as instance:
        keys = partition_keys(shards)
        shard_config = {
            **QUIET_CONSOLE,
            "resources": {"paths": {"config": config}},
        }
        if executor == "celery":
            from .cluster import run_shards_on_celery

            results = run_shards_on_celery(keys, shard_config, tags)
        else:
            job = defs.get_job_def(SHARDS_JOB).with_logger_defs({"console": console_logger})
            results = [_in_process(job, instance, key, shard_config, tags) for key in keys]
        failed = [result for result in results if not result.success]
        if failed:
            summary.run_id = failed[0].run_id
            summary.error = (
                f"{len(failed)} of {len(keys)} shards failed; the lake holds the others'"
                f" rows, and the models were not built (first: run {failed[0].run_id})"
            )
            return summary
        shard_metadata = [metadata for result in results for metadata in result.materializations]
        summary.metadata[RAW_FILES.to_user_string()] = _totals(shard_metadata)
        changed = any(metadata.get("lake_snapshot", -1) >= 0 for metadata in shard_metadata)
        if not changed and not full and _built_before(instance):
            summary.nothing_changed = True
            for key in (dg.AssetKey(["staging", "stg_articles"]), DASHBOARDS):
                latest = instance.get_latest_materialization_event(key)
                if latest is not None and latest.asset_materialization is not None:
                    summary.metadata[key.to_user_string()] = metadata_of(
                        latest.asset_materialization
                    )
            return summary
        # The models and pages, whole: their inputs are the shards' commits.
        job = defs.resolve_implicit_global_asset_job_def().with_logger_defs(
            {"console": console_logger}
        )
        raw = {RAW_FILES, RAW_SHARDS, *(dg.AssetKey(table.split(".")) for table in RAW_TABLES)}
        selection = sorted(job.asset_layer.executable_asset_keys - raw)
        logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={**QUIET_CONSOLE, "resources": {"paths": {"config": config}}},
            tags={**tags, FULL_TAG: "true"},
            asset_selection=selection,
        )
        summary.run_id = result.run_id
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            summary.metadata[materialization.asset_key.to_user_string()] = metadata_of(
                materialization
            )
        if not result.success:
            summary.error = failure_reason(result, memory=settings.duckdb_memory)
        try:
            delete_old_runs(instance, keep=max(20, 2 * len(keys) + 2))
        except Exception as exc:  # noqa: BLE001 - a build that succeeded stays a success
            logging.getLogger("newsdw").warning(f"old Dagster runs were not deleted: {exc}")
    return summary


def _in_process(job, instance, key: str, run_config: dict, tags: dict) -> ShardRun:
    """One shard's run in this process."""
    result = job.execute_in_process(
        instance=instance, partition_key=key, run_config=run_config, tags=tags,
        raise_on_error=False,
    )  # fmt: skip
    return ShardRun(
        result.run_id,
        result.success,
        [
            metadata_of(event.step_materialization_data.materialization)
            for event in result.get_asset_materialization_events()
        ],
    )


def _paths_config(settings: NewsdwPaths) -> dict:
    """Every setting as the `paths` resource's run config (run config replaces it whole)."""
    content = settings.content_url
    return settings.model_dump() | {
        "content_dir": str(content),
        "warehouse_dir": str(settings.warehouse),
    }


def _totals(shards: list[dict]) -> dict:
    """The shards' ingest figures added up, as the build's summary shows the raw files'."""
    totals: dict = {}
    for name in ("files_seen", "files_parsed", "files_unchanged", "files_deleted"):
        totals[name] = sum(metadata.get(name, 0) for metadata in shards)
    totals["files_quarantined"] = sum(metadata.get("files_quarantined", 0) for metadata in shards)
    totals["articles"] = sum(metadata.get("articles", 0) for metadata in shards)
    kinds: Counter = Counter()
    for metadata in shards:
        kinds.update(metadata.get("quarantine_by_kind") or {})
    totals["quarantine_by_kind"] = dict(sorted(kinds.items()))
    return totals


def _built_before(instance: dg.DagsterInstance) -> bool:
    """Whether the pages were built on this instance before (else the models must run)."""
    return instance.get_latest_materialization_event(DASHBOARDS) is not None
