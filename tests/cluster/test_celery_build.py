"""Shards on two Celery workers, as on two machines: the tables equal the single-machine build,
also when one worker is killed with SIGKILL in the middle of a shard.

Each worker runs in a folder of its own, with its own Dagster home, temporary folder and
working directory; the workers and the launcher share nothing but PostgreSQL (the Dagster
instance and the lake's catalog), Redis (the broker) and S3 (the content and the data files).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from pipelines.store.lake import Lake
from tests.cluster.commands import database_of, newsdw, places_holding
from tests.cluster.servers import instance_yaml, short_temp_root, stop_workers, wait_for_workers
from tests.helpers import lake_differences

# Seconds a shard's task stays unacknowledged before Redis gives it to another worker: more
# than any shard of these corpora takes, so that only a lost worker's shard is run again.
VISIBILITY = 45
DEADLINE = 600


class Machine:
    """A folder standing for one machine: its Dagster home, temporary and working folders."""

    def __init__(self, folder: Path, instance: str, env: dict[str, str]) -> None:
        self.folder = folder
        (folder / "home").mkdir(parents=True)
        (folder / "home" / "dagster.yaml").write_text(instance)
        # A temporary folder of its own, with a short path: multiprocessing's socket paths
        # under it must fit in 108 bytes.
        self.tmp = Path(tempfile.mkdtemp(prefix="newsdw-machine-", dir=short_temp_root()))
        self.env = {
            **env,
            "NEWSDW_INSTANCE": str(folder / "home"),
            "DAGSTER_LOCAL_ARTIFACT_DIR": str(folder / "home"),
            "TMPDIR": str(self.tmp),
        }

    def start_worker(self, name: str) -> subprocess.Popen:
        """`newsdw worker` here, in a process group of its own (so it can be killed whole)."""
        log = open(self.folder / "worker.log", "ab")  # noqa: SIM115 - the worker's own log
        return subprocess.Popen(
            [sys.executable, "-c", "from pipelines.cli import main; main()", "worker"]
            + ["--name", name, "--folder", str(self.folder / "worker")],
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def shards_in_flight(self) -> list[Path]:
        """The scratch folders of the shards this machine is running now."""
        return list(self.tmp.glob("newsdw-shard-*"))


@pytest.fixture
def cluster(tmp_path, shared, pg, redis):
    """A launcher and two worker machines on one PostgreSQL instance and one broker."""
    where, env = shared
    database = _instance_database(where)
    pg.create_database(database)
    env = {
        **env,
        "NEWSDW_CELERY_BROKER": f"{redis}/0",
        "NEWSDW_CELERY_BACKEND": f"{redis}/1",
        "NEWSDW_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "NEWSDW_SHARDS": "4",
        "NEWSDW_SHARD_PROCESSES": "1",
    }
    instance = instance_yaml(pg, database)
    launcher = Machine(tmp_path / "launcher", instance, env)
    workers = [Machine(tmp_path / f"worker{n}", instance, env) for n in (1, 2)]
    processes = [machine.start_worker(f"w{n}") for n, machine in enumerate(workers, 1)]
    try:
        wait_for_workers(env["NEWSDW_CELERY_BROKER"], ["w1", "w2"], processes)
        yield launcher, workers, processes
    finally:
        for machine in (launcher, *workers):
            shutil.rmtree(machine.tmp, ignore_errors=True)
        stop_workers(processes)


def test_shards_on_two_celery_workers_equal_the_single_machine_build_even_when_one_is_killed(
    tmp_path, shared, mirror, cluster, pg, s3, monkeypatch
):
    where, _ = shared
    launcher, workers, processes = cluster
    monkeypatch.setenv("DAGSTER_LOCAL_ARTIFACT_DIR", launcher.env["DAGSTER_LOCAL_ARTIFACT_DIR"])
    lake = Lake(tmp_path / "w2", where.catalog, where.data)
    build = [
        sys.executable, "-c", "from pipelines.cli import main; main()", "build",
        "--content", mirror.url, "--warehouse", str(tmp_path / "w2"),
        "--catalog", where.catalog, "--data", where.data, "--executor", "celery",
    ]  # fmt: skip

    def single_machine() -> None:
        one = newsdw(
            "build", "--content", str(mirror.folder), "--warehouse", str(tmp_path / "w1"),
            env=launcher.env,
        )  # fmt: skip
        assert one.returncode == 0, one.stderr

    single_machine()
    first = subprocess.run(
        build, capture_output=True, text=True, env=launcher.env, timeout=DEADLINE
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert lake_differences(tmp_path / "w1", lake) == {}
    # Which worker takes which shard is the broker's choice: here, only that the shards ran
    # on these workers. Below, worker 1 is seen running a shard and worker 2 finishes it.
    ran_on = _workers_of_shards(launcher)
    assert ran_on and ran_on <= {"w1", "w2"}, ran_on

    # Every shard has work again; worker 1 is killed while it runs one.
    edited = [
        path
        for path in sorted(mirror.folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ][::6]
    for path in edited:
        mirror.put(path.relative_to(mirror.folder).as_posix(), path.read_bytes() + b"\nmore\n")
    second = subprocess.Popen(
        build, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=launcher.env
    )
    deadline = time.monotonic() + DEADLINE
    while not workers[0].shards_in_flight():
        assert second.poll() is None, second.communicate()
        assert time.monotonic() < deadline, "worker 1 never started a shard"
        time.sleep(0.02)  # a poll with a deadline, not an ordering of events
    os.killpg(processes[0].pid, signal.SIGKILL)
    out, err = second.communicate(timeout=DEADLINE)
    assert second.returncode == 0, err[-3000:]
    single_machine()
    # The killed worker's shard was run again by the other: no row lost, none twice.
    assert lake_differences(tmp_path / "w1", lake) == {}
    assert "w2" in _workers_of_shards(launcher)
    assert f"parsed          {len(edited):>9,}" in out, out

    # No credential in any output, log, Dagster event (the instance's database), lake
    # catalog, object of the bucket, or file of the launcher's and the workers' folders.
    folders = [tmp_path / "w2", launcher.folder, *(w.folder for w in workers)]
    instance = (_instance_database(where),)
    for secret in (pg.password, s3.secret):
        assert secret not in out + err + first.stdout + first.stderr
        kept = places_holding(secret, pg=pg, s3=s3, lake=where, folders=folders, databases=instance)
        assert kept == []


def _instance_database(where: Lake) -> str:
    """The database of the test's Dagster instance, named after its lake's."""
    return "dagster_" + database_of(where.catalog)


def _workers_of_shards(launcher: Machine) -> set[str]:
    """The names of the workers whose shards the instance's last runs recorded."""
    import dagster as dg

    with dg.DagsterInstance.from_config(launcher.env["NEWSDW_INSTANCE"]) as instance:
        records = instance.fetch_materializations(dg.AssetKey(["raw", "shards"]), limit=100).records
        return {str(record.asset_materialization.metadata["worker"].value) for record in records}
