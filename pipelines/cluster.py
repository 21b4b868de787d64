"""Shards on Celery workers: Dagster's own Celery executor, with Redis as broker.

Each shard is one Dagster run of `raw_shards_celery`; its one step is a Celery task, taken
by whichever worker (`newsdw worker`, a wrapper of `dagster-celery worker start`) is free.
The runs' event logs, and so the UI, are in the Dagster instance the launcher and the
workers share (PostgreSQL: `dagster-postgres`), named by `NEWSDW_INSTANCE`.

A worker that dies mid-shard (SIGKILL, a lost machine) never acknowledges its task
(`task_acks_late`); once the task has been unacknowledged for the visibility timeout, Redis
gives it to another worker, which runs the shard again. A shard's commit is all or nothing,
so the second run replaces what the first may have left, to the same rows. The timeout must
exceed the longest shard's run, or a slow shard is run twice (still to the same rows).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .defs.shards import CELERY_SHARDS_JOB
from .resources import INSTANCE_ENV

BROKER_ENV = "NEWSDW_CELERY_BROKER"
BACKEND_ENV = "NEWSDW_CELERY_BACKEND"
VISIBILITY_ENV = "NEWSDW_CELERY_VISIBILITY_TIMEOUT"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
# Seconds a task may stay unacknowledged before another worker is given it (default: 1 hour).
DEFAULT_VISIBILITY = 3600
# Every shard run of one `newsdw build` carries the same value of this tag.
BUILD_TAG = "newsdw/build"


def celery_settings() -> dict:
    """The Celery executor's config: the broker by environment variable (its URL may hold a
    password, which must reach no run config or event), and redelivery on a lost worker."""
    visibility = int(os.environ.get(VISIBILITY_ENV) or DEFAULT_VISIBILITY)
    return {
        "broker": {"env": BROKER_ENV},
        "backend": {"env": BACKEND_ENV if os.environ.get(BACKEND_ENV) else BROKER_ENV},
        "config_source": {
            # Acknowledged when done, not when taken: a worker's death leaves it to another.
            "task_acks_late": True,
            # A worker whose pool process died (killed, out of memory) gives the task back now.
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            # These replace dagster-celery's own transport options whole: its retries of the
            # broker connection are repeated here.
            "broker_transport_options": {
                "visibility_timeout": visibility,
                # How often a live worker looks for unacknowledged tasks past their timeout
                # (kombu's default is about 100 s).
                "unacked_restore_interval": max(1, min(60, visibility // 6)),
                "unacked_restore_throttle": 1,
                "max_retries": 3,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.5,
            },
        },
    }


def celery_shards_job() -> dg.JobDefinition:
    """The shard job on the Celery executor, for `dg.reconstructable` (workers import it)."""
    from .definitions import defs

    return defs.get_job_def(CELERY_SHARDS_JOB)


def instance_home() -> Path:
    """The shared instance's folder (`NEWSDW_INSTANCE`): its dagster.yaml stores runs in
    PostgreSQL, so that the launcher, the workers and the UI see the same runs."""
    value = os.environ.get(INSTANCE_ENV)
    if not value or not (Path(value) / "dagster.yaml").is_file():
        raise ValueError(
            f"a Celery build needs the Dagster instance its workers share: set {INSTANCE_ENV}"
            " to a folder whose dagster.yaml keeps runs in PostgreSQL (see docs/scaling.md)"
        )
    return Path(value).resolve()


@dataclass
class ShardRun:
    """One shard's run, as the launcher saw it end."""

    run_id: str
    success: bool
    materializations: list[dict] = field(default_factory=list)


def run_shards_on_celery(keys: list[str], run_config: dict, tags: dict[str, str]) -> list[ShardRun]:
    """One run per shard, all at once, each executing its step on a Celery worker.

    Each run's orchestration (submitting the step, following it) is a process of its own
    here, as `dagster job execute` would be; the shards' work is on the workers. The
    processes fork from a server that imported Dagster once, so that starting them costs
    the workers no CPU. Stopped (a signal), the build kills them and marks their runs failed.
    """
    home = instance_home()
    config = {**run_config, "execution": {"config": celery_settings()}}
    tags = {**tags, BUILD_TAG: uuid.uuid4().hex}
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    results = context.Queue()
    processes = {
        key: context.Process(
            target=_run_shard, args=(str(home), key, config, tags, results), daemon=True
        )
        for key in keys
    }
    found: dict[str, ShardRun] = {}
    try:
        for process in processes.values():
            process.start()
        while len(found) < len(keys):
            try:
                key, run = results.get(timeout=1)
                found[key] = run
            except queue.Empty:
                for key, process in processes.items():
                    if key not in found and process.exitcode not in (None, 0):
                        found[key] = ShardRun("", False)  # its orchestration died
    except BaseException:
        for process in processes.values():
            process.kill()
        _fail_runs(home, tags[BUILD_TAG])
        raise
    finally:
        for process in processes.values():
            process.join(10)
    return [found[key] for key in keys]


def _fail_runs(home: Path, build: str) -> None:
    """Mark failed the shard runs of a stopped build that had not ended."""
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs(
            filters=dg.RunsFilter(
                statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
                tags={BUILD_TAG: build},
            )
        ):
            instance.report_run_failed(run, "newsdw build was stopped before this shard ended")


def _run_shard(home: str, key: str, run_config: dict, tags: dict[str, str], results) -> None:
    results.put((key, _shard_run(home, key, run_config, tags)))


def _shard_run(home: str, key: str, run_config: dict, tags: dict[str, str]) -> ShardRun:
    with dg.DagsterInstance.from_config(home) as instance:
        result = dg.execute_job(
            dg.reconstructable(celery_shards_job),
            instance=instance,
            run_config=run_config,
            tags={**tags, "dagster/partition": key},
            raise_on_error=False,
        )
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["raw", "shards"]), asset_partitions=[key]),
            limit=1,
        ).records
        materializations = [
            {name: value.value for name, value in record.asset_materialization.metadata.items()}
            for record in records
            if record.run_id == result.run_id and record.asset_materialization is not None
        ]
        return ShardRun(result.run_id, result.success, materializations)


def worker_command(name: str, concurrency: int, folder: Path) -> list[str]:
    """The `dagster-celery worker start` command of a worker, its config written to `folder`.

    The config names the broker's environment variable, not its URL.
    """
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "celery.yaml"
    config.write_text(yaml.safe_dump({"execution": {"config": celery_settings()}}))
    program = shutil.which("dagster-celery", path=str(Path(sys.executable).parent)) or (
        "dagster-celery"
    )
    # The code is imported as the worker starts, not by its first shard.
    return [
        program, "worker", "start", "-A", "dagster_celery.app", "-y", str(config), "-n", name,
        "-i", "pipelines.definitions", "--", f"--concurrency={concurrency}",
    ]  # fmt: skip
