"""`newsdw build`: one Dagster run of every asset on the warehouse's persistent instance.

The instance keeps a bounded history: after each build, the finished runs older than the
newest `KEEP_RUNS` are deleted with their event logs (see `delete_old_runs`).
"""

from __future__ import annotations

import copy
import fcntl
import logging
import os
import re
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .defs.ingest import DASHBOARDS, FULL_TAG, RAW_SHARDS
from .resources import MEMORY_ENV, NewsdwPaths
from .store.lake import latest_snapshot
from .store.lock import pid_alive

# A build's run carries the process that executes it, so that a later build can tell a
# killed build's run (and free the pool slot it held) from one still going.
PID_TAG = "newsdw/pid"
HOST_TAG = "newsdw/host"
# Which command started a run, as the Dagster UI's run list shows it.
COMMAND_TAG = "newsdw/command"
# Finished runs kept in the instance: each run's event log is about 0.85 MB.
KEEP_RUNS = 20
# How often a build looks for killed builds whose pool slot it may be waiting for.
RELEASE_EVERY_SECONDS = 2.0
_INSTANCE_LOCK = ".newsdw-instance.lock"


@dataclass
class BuildSummary:
    """What a build did, for the command line."""

    warehouse: Path
    catalog: str = ""  # the lake's catalog, as the summary names it
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
            f"warehouse         {self.catalog}",
            f"dashboards        {pages}",
            f"dagster run       {self.run_id} (see `newsdw ui`)",
        ]


# Progress lines (INFO) and failures reach the terminal; Dagster's per-event DEBUG chatter
# stays in the run's event log, which `newsdw ui` shows.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


class BuildStopped(KeyboardInterrupt):
    """A signal asked the build to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal = signal.Signals(signum).name


def stop_on_signals() -> None:
    """Make SIGTERM and SIGINT stop the build, even where the shell ignores SIGINT.

    A shell starts a background job with SIGINT ignored, and Dagster gives SIGTERM the
    disposition of SIGINT when it runs a job: without this, `kill` would not stop a build.
    """

    def stop(signum: int, _frame) -> None:
        raise BuildStopped(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


@contextmanager
def open_instance(home: Path) -> Iterator[dg.DagsterInstance]:
    """The persistent instance in the folder `home` (its `dagster.yaml`), created by one
    process at a time.

    Opening a new instance creates its sqlite tables and stamps their schema version; two
    processes doing that at once leave two version rows, and the instance is unusable after.
    """
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / _INSTANCE_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            # What DagsterInstance.get() does with $DAGSTER_HOME, given the folder instead.
            instance = dg.DagsterInstance.from_config(str(home))
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    with instance:
        yield instance


def run_build(settings: NewsdwPaths, home: Path, full: bool = False) -> BuildSummary:
    """Materialise all assets with `settings` on the instance in `home` (`full`: re-read all)."""
    from .definitions import defs

    job = defs.resolve_implicit_global_asset_job_def().with_logger_defs({"console": console_logger})
    # When nothing changed, the table and page steps are skipped on purpose; Dagster warns
    # for each blocking check of a skipped step, which says nothing to the user here. This is
    # the name of the logger that warns, not an import: were it renamed, the lines would return.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    tags = {
        PID_TAG: str(os.getpid()),
        HOST_TAG: socket.gethostname(),
        COMMAND_TAG: "newsdw build",
    }
    if full:
        tags[FULL_TAG] = "true"
    # Every asset, named: the run then shows its target in the UI instead of nothing.
    every_asset = sorted(job.asset_layer.executable_asset_keys - {RAW_SHARDS})
    # Every setting, as the run's config of the `paths` resource: run config replaces the
    # resource's whole config, so a field left out would take its default, not its variable.
    config = settings.model_dump() | {
        "content_dir": str(settings.content),
        "warehouse_dir": str(settings.warehouse),
    }
    published_before = latest_snapshot(settings.lake)
    with open_instance(home) as instance:
        release_abandoned_runs(instance)
        with _releasing_abandoned_runs(instance):
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config={**QUIET_CONSOLE, "resources": {"paths": {"config": config}}},
                tags=tags,
                asset_selection=every_asset,
            )
        summary = BuildSummary(
            settings.warehouse, catalog=settings.lake.describe(), run_id=result.run_id
        )
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            summary.metadata[materialization.asset_key.to_user_string()] = metadata_of(
                materialization
            )
        for event in result.get_asset_observation_events():
            observation = event.asset_observation_data.asset_observation
            if "nothing_changed" in observation.metadata:
                summary.nothing_changed = True
                summary.metadata[observation.asset_key.to_user_string()] = metadata_of(observation)
        if summary.nothing_changed:
            # Nothing was rebuilt: the figures are those of the tables and pages in place.
            for key in (_ARTICLES, DASHBOARDS):
                latest = instance.get_latest_materialization_event(key)
                if latest is not None and latest.asset_materialization is not None:
                    summary.metadata[key.to_user_string()] = metadata_of(
                        latest.asset_materialization
                    )
        try:
            delete_old_runs(instance)
        except Exception as exc:  # noqa: BLE001 - a build that succeeded stays a success
            logging.getLogger("newsdw").warning(f"old Dagster runs were not deleted: {exc}")
    if not result.success:
        # A new lake snapshot means this run committed its build before it failed.
        published = latest_snapshot(settings.lake)
        summary.error = failure_reason(
            result, published=published != published_before, memory=settings.duckdb_memory
        )
    return summary


class _WithoutTraces(logging.Formatter):
    """Dagster's console line of an event without the stack trace that follows it."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        record = copy.copy(record)
        record.msg = str(record.getMessage()).split("\n\n", 1)[0]
        record.args = None
        return self.inner.format(record)


@dg.logger(
    dg.colored_console_logger.config_schema,
    description="Dagster's console logger; the stack traces stay in `newsdw ui`.",
)
def console_logger(init_context) -> logging.Logger:
    # The command prints one line for a failure; the traceback is in the run's event log.
    logger = dg.colored_console_logger.logger_fn(init_context)
    for handler in logger.handlers:
        handler.setFormatter(_WithoutTraces(handler.formatter))
    return logger


@contextmanager
def _releasing_abandoned_runs(instance: dg.DagsterInstance) -> Iterator[None]:
    """Release killed builds' runs every few seconds while the block runs.

    A step waiting for the writer pool would otherwise wait forever for a slot held by a build
    that was killed after this one started.
    """
    done = threading.Event()

    def watch() -> None:
        while not done.wait(RELEASE_EVERY_SECONDS):
            try:
                release_abandoned_runs(instance)
            except Exception:  # noqa: BLE001 - the next round tries again
                logging.getLogger("newsdw").debug("releasing abandoned runs failed", exc_info=True)

    watcher = threading.Thread(target=watch, name="newsdw-release-abandoned", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def delete_old_runs(instance: dg.DagsterInstance, keep: int | None = None) -> list[str]:
    """Delete the finished runs older than the newest `keep`, with their event logs; their ids.

    The instance keeps every run's event log (about 0.85 MB each) for ever otherwise. A run
    that holds the latest materialisation of an asset is kept, so that the asset keeps its
    current state (and a build still knows what the published warehouse was built from).
    """
    finished = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[
                dg.DagsterRunStatus.SUCCESS,
                dg.DagsterRunStatus.FAILURE,
                dg.DagsterRunStatus.CANCELED,
            ]
        )
    )  # newest first
    old = finished[KEEP_RUNS if keep is None else keep :]
    if not old:
        return []
    current = set()
    for key in instance.get_asset_keys():
        latest = instance.get_latest_materialization_event(key)
        if latest is not None:
            current.add(latest.run_id)
    deleted = []
    storage = instance.event_log_storage
    for run in old:
        if run.run_id in current:
            continue
        instance.delete_run(run.run_id)
        # The sqlite event log keeps an emptied database file per run, and the step logs. The
        # instance must not be asked for a deleted run's events after this (there are none).
        if hasattr(storage, "path_for_shard"):
            shard = Path(storage.path_for_shard(run.run_id))
            for path in (shard, Path(f"{shard}-wal"), Path(f"{shard}-shm")):
                path.unlink(missing_ok=True)
        instance.compute_log_manager.delete_logs(prefix=[run.run_id])
        deleted.append(run.run_id)
    return deleted


_ARTICLES = dg.AssetKey(["staging", "stg_articles"])


def metadata_of(event) -> dict:
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


def failure_reason(result, *, memory: str, published: bool = False) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            error = event.step_failure_data.error
            if error.cls_name == "DagsterExecutionInterruptedError":
                return stopped_reason(f"in {event.step_key}", published=published)
            while error.cause is not None and "dagster" in error.cls_name.lower():
                error = error.cause
            if error.cls_name == "DagsterAssetCheckFailedError":
                failed = "; ".join(error.message.strip().splitlines()[1:])
                return (
                    f"blocking checks failed ({failed}); the published warehouse was left as it"
                    " was (see `newsdw ui` for the failing rows)"
                )
            headline = error_headline(error.cls_name, error.message, memory=memory)
            return f"build failed in {event.step_key}: {headline}"
    return "build failed (see `newsdw ui` for the run's logs)"


# A line that only points elsewhere, such as DuckDB's "See also https://duckdb.org/...".
_LINK_LINE = re.compile(r"(see also:?\s*)?\S+://\S+", re.IGNORECASE)


def error_headline(cls_name: str, message: str, *, memory: str) -> str:
    """The line of an error's message that says what went wrong (not a hint or a link), and
    for DuckDB's out-of-memory error the setting to raise (`memory`: its value in the build).
    """
    lines = [line.strip() for line in message.splitlines()]
    meaningful = [line for line in lines if line and not _LINK_LINE.fullmatch(line)]
    if not meaningful:
        return cls_name
    # A module's error class goes ("_duckdb.OutOfMemoryException: "); a builtin's stays.
    headline = re.sub(rf"^(\w+\.)+{re.escape(cls_name)}: ", "", meaningful[0])
    # DuckDB's own words, also when a model's error quotes them.
    if cls_name == "OutOfMemoryException" or "Out of Memory Error" in headline:
        headline += f"; raise {MEMORY_ENV} (now {memory})"
    return headline


def stopped_reason(
    where: str, *, published: bool | None = None, signal_name: str = "SIGTERM or SIGINT"
) -> str:
    """What the command says when a signal stopped the build (`published`: None if unknown)."""
    state = {
        True: "the new warehouse had been published before it stopped",
        False: "the published warehouse was left as it was",
        None: "the published warehouse is that of the last build that completed",
    }[published]
    return f"build stopped by {signal_name} {where}; {state}"


def error_reason(exc: BaseException) -> str:
    """One line naming the cause of an error that ended a build outside its steps."""
    cause = exc
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__
    for error in (cause, exc):
        if isinstance(error, OSError) and error.strerror:
            where = f" ({error.filename})" if error.filename else ""
            return f"build failed: {error.strerror}{where}"
    message = str(getattr(cause, "args", [""])[0] if cause.args else cause) or type(cause).__name__
    return f"build failed: {message.strip().splitlines()[0]}"
