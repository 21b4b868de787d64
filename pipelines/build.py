"""`newsdw build`: one Dagster run of every asset on the warehouse's persistent instance."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .defs.ingest import DASHBOARDS
from .warehouse import database_path, pid_alive

# A build's run carries the process that executes it, so that a later build can tell a
# killed build's run (and free the pool slot it held) from one still going.
PID_TAG = "newsdw/pid"
HOST_TAG = "newsdw/host"


@dataclass
class BuildSummary:
    """What a build did, for the command line."""

    run_id: str = ""
    metadata: dict[str, dict] = field(default_factory=dict)
    error: str | None = None
    nothing_changed: bool = False

    def lines(self) -> list[str]:
        """The summary the command prints."""
        raw = self.metadata.get("raw/files", {})
        headline = (
            ["nothing changed since the last build: the warehouse and dashboards are current"]
            if self.nothing_changed
            else []
        )
        articles = self.metadata.get("staging/stg_articles", {}).get("dagster/row_count", 0)
        files = raw.get("articles", articles)
        warehouse = Path(os.environ["NEWSDW_WAREHOUSE_DIR"])
        kinds = raw.get("quarantine_by_kind") or {}
        by_kind = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
        index = self.metadata.get("dashboards", {}).get("index")
        pages = index or "not built in this run (see `newsdw ui`)"
        return headline + [
            f"files seen        {raw.get('files_seen', 0):>9,}",
            f"  parsed          {raw.get('files_parsed', 0):>9,}",
            f"  unchanged       {raw.get('files_unchanged', 0):>9,}",
            f"  quarantined     {raw.get('files_quarantined', 0):>9,}"
            + (f"  ({by_kind})" if by_kind else ""),
            f"articles          {articles:>9,}"
            + (f"  (from {files:,} files)" if files != articles else ""),
            f"warehouse         {database_path(warehouse)}",
            f"dashboards        {pages}",
            f"dagster run       {self.run_id} (see `newsdw ui`)",
        ]


# Progress lines (INFO) and failures reach the terminal; Dagster's per-event DEBUG chatter
# stays in the run's event log, which `newsdw ui` shows.
_QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_build() -> BuildSummary:
    """Materialise all assets in-process on the instance under $DAGSTER_HOME."""
    from .definitions import defs

    job = defs.resolve_implicit_global_asset_job_def()
    # When nothing changed, the table and page steps are skipped on purpose; Dagster warns
    # for each blocking check of a skipped step, which says nothing to the user here.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    with dg.DagsterInstance.get() as instance:
        release_abandoned_runs(instance)
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=_QUIET_CONSOLE, tags=tags
        )
        summary = BuildSummary(run_id=result.run_id)
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            summary.metadata[materialization.asset_key.to_user_string()] = _plain(materialization)
        for event in result.get_asset_observation_events():
            observation = event.asset_observation_data.asset_observation
            if "nothing_changed" in observation.metadata:
                summary.nothing_changed = True
                summary.metadata[observation.asset_key.to_user_string()] = _plain(observation)
        if summary.nothing_changed:
            # Nothing was rebuilt: the figures are those of the tables and pages in place.
            for key in (_ARTICLES, DASHBOARDS):
                latest = instance.get_latest_materialization_event(key)
                if latest is not None and latest.asset_materialization is not None:
                    summary.metadata[key.to_user_string()] = _plain(latest.asset_materialization)
    if not result.success:
        summary.error = _failure_reason(result)
    return summary


_ARTICLES = dg.AssetKey(["staging", "stg_articles"])


def _plain(event) -> dict:
    return {key: value.value for key, value in event.metadata.items()}


def release_abandoned_runs(instance: dg.DagsterInstance) -> None:
    """Mark failed the runs of `newsdw build`s on this host whose process is gone.

    A killed build leaves its run "started" and its slot of the writer pool taken, and the
    next build would wait for that slot forever.
    """
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
            tags={HOST_TAG: socket.gethostname()},
        )
    )
    for run in runs:
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and not pid_alive(int(pid)):
            instance.report_run_failed(run, f"newsdw build (process {pid}) ended without finishing")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def _failure_reason(result) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            error = event.step_failure_data.error
            while error.cause is not None and "dagster" in error.cls_name.lower():
                error = error.cause
            lines = error.message.strip().splitlines()
            if error.cls_name == "DagsterAssetCheckFailedError":
                failed = "; ".join(lines[1:])
                return (
                    f"blocking checks failed ({failed}); the published warehouse was left as it"
                    " was (see `newsdw ui` for the failing rows)"
                )
            return f"build failed in {event.step_key}: {lines[-1] if lines else ''}"
    return "build failed (see `newsdw ui` for the run's logs)"
