"""Cluster benchmark: a sharded build on 1, 2 and 4 Celery workers, one parse process each.

    .venv/bin/python bench/cluster.py [--files 40000] [--shards 8] [--workers 1,2,4]
                                      [--repeat 3] [--seed 7] [--workdir DIR] [--json F]

Starts PostgreSQL (the Dagster instance and the lake's catalog) and Redis (the broker) on
the loopback interface, then, run after run and alternating, `newsdw build --executor
celery` of the same corpus into a new lake with each number of workers. The content and the
lake's data files are folders on this machine's disk (S3 would put moto's own CPU on the
two cores the workers share); each worker has one parse process (`NEWSDW_SHARD_PROCESSES=1`).
Each build's figures: the wall time of the whole command, and of its shard phase (from the
first shard run's start to the last one's end, as the Dagster instance records them), and
the files per second of that phase. The speed-up over 1 worker is given run by run and as
the median.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import arguments, prepare, walk, warm  # noqa: E402 - not a package

from tests.cluster.servers import (  # noqa: E402
    instance_yaml,
    postgres,
    redis_server,
    short_temp_root,
    stop_workers,
    wait_for_workers,
)

NEWSDW = [sys.executable, "-c", "from pipelines.cli import main; main()"]


def main() -> None:
    """Run the benchmark the options describe and print its figures."""
    args = arguments(
        __doc__.splitlines()[0],
        files=40_000,
        json_output=True,
        extra=(
            (("--shards",), {"type": int, "default": 8}),
            (("--workers",), {"default": "1,2,4", "help": "worker counts, comma-separated"}),
        ),
    )
    counts = [int(n) for n in args.workers.split(",")]
    content = prepare(args)
    files = sum(1 for _ in walk(content))
    warm(content)
    scratch = Path(tempfile.mkdtemp(prefix="newsdw-bench-cluster-", dir=args.workdir))
    # Not under the work folder: the server may run as another user, who must reach it.
    database = Path(tempfile.mkdtemp(prefix="newsdw-postgres-"))
    runs: list[dict] = []
    try:
        with postgres(database) as pg, redis_server(scratch / "redis") as redis:
            env = {
                **os.environ,
                "PGPASSWORD": pg.password,
                "NEWSDW_CELERY_BROKER": f"{redis}/0",
                "NEWSDW_CELERY_BACKEND": f"{redis}/1",
                "NEWSDW_SHARDS": str(args.shards),
                # One parse process per worker.
                "NEWSDW_SHARD_PROCESSES": "1",
            }
            for run in range(args.repeat):
                # Each run in another order: drift on a shared machine falls on every count.
                for workers in counts[run % len(counts) :] + counts[: run % len(counts)]:
                    name = f"r{run}_w{workers}"
                    figures = build(pg, env, content, scratch / name, name, workers)
                    figures.update(run=run, workers=workers, files=files)
                    runs.append(figures)
                    print(
                        f"run {run}, {workers} worker(s): build {figures['build_s']:.1f} s,"
                        f" shards {figures['shards_s']:.1f} s,"
                        f" {files / figures['shards_s']:,.0f} files/s",
                        flush=True,
                    )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(database, ignore_errors=True)
    report(args, files, runs)


def build(pg, env: dict, content: Path, folder: Path, name: str, workers: int) -> dict:
    """One `newsdw build --executor celery` on `workers` new workers; its figures."""
    lake_db, instance_db = f"lake_{name}", f"dagster_{name}"
    pg.create_database(lake_db)
    pg.create_database(instance_db)
    instance = instance_yaml(pg, instance_db)
    machines = [folder / "launcher", *(folder / f"worker{n}" for n in range(1, workers + 1))]
    envs = []
    # Each machine's temporary folder, with a short path (multiprocessing's sockets go there).
    temps = [
        Path(tempfile.mkdtemp(prefix="newsdw-machine-", dir=short_temp_root())) for _ in machines
    ]
    for machine, temp in zip(machines, temps, strict=True):
        (machine / "home").mkdir(parents=True)
        (machine / "home" / "dagster.yaml").write_text(instance)
        envs.append(
            {
                **env,
                "NEWSDW_INSTANCE": str(machine / "home"),
                "DAGSTER_LOCAL_ARTIFACT_DIR": str(machine / "home"),
                "TMPDIR": str(temp),
            }
        )
    processes = [
        subprocess.Popen(
            [*NEWSDW, "worker", "--name", f"w{n}", "--folder", str(machine / "worker")],
            cwd=machine,
            env=machine_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n, (machine, machine_env) in enumerate(zip(machines[1:], envs[1:], strict=True), 1)
    ]
    try:
        # Every worker up before the clock starts: the shards are shared among them all.
        wait_for_workers(
            envs[0]["NEWSDW_CELERY_BROKER"], [f"w{n}" for n in range(1, workers + 1)], processes
        )
        started = time.perf_counter()
        done = subprocess.run(
            [*NEWSDW, "build", "--content", str(content), "--warehouse", str(folder / "w")]
            + ["--catalog", "postgres:" + pg.conninfo(lake_db), "--data", str(folder / "data")]
            + ["--executor", "celery"],
            env=envs[0],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"build failed: {done.stderr[-2000:]}")
        return {"build_s": seconds, "shards_s": shard_phase(machines[0] / "home", envs[0])}
    finally:
        stop_workers(processes)
        for temp in temps:
            shutil.rmtree(temp, ignore_errors=True)


def shard_phase(home: Path, env: dict) -> float:
    """Seconds from the first shard run's start to the last one's end, as recorded."""
    code = (
        "import sys, dagster as dg\n"
        "with dg.DagsterInstance.from_config(sys.argv[1]) as i:\n"
        "    rs = i.get_run_records(dg.RunsFilter(job_name='raw_shards_celery'))\n"
        "    print(max(r.end_time for r in rs) - min(r.start_time for r in rs))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(home)], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def report(args, files: int, runs: list[dict]) -> None:
    """The medians and the speed-ups over 1 worker, printed (and written as JSON)."""
    counts = sorted({r["workers"] for r in runs})
    by = {k: [r for r in runs if r["workers"] == k] for k in counts}
    print(f"\n{files:,} files, {args.shards} shards, {args.repeat} runs of each, medians:")
    speedups = {}
    for k in counts:
        rate = statistics.median(files / r["shards_s"] for r in by[k])
        phase = statistics.median(r["shards_s"] for r in by[k])
        whole = statistics.median(r["build_s"] for r in by[k])
        line = (
            f"  {k} worker(s): shard phase {phase:.1f} s = {rate:,.0f} files/s;"
            f" whole build {whole:.1f} s"
        )
        if 1 in by and k != 1:
            # Side by side in each run: the k-worker build against the 1-worker one.
            ratios = [one["shards_s"] / r["shards_s"] for one, r in zip(by[1], by[k], strict=True)]
            speedups[k] = ratios
            line += (
                f"; {statistics.median(ratios):.2f}x the files/s of 1 worker"
                f" ({statistics.median(ratios) / k:.2f} per worker; runs: "
                + ", ".join(f"{r:.2f}" for r in ratios)
                + ")"
            )
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"files": files, "shards": args.shards, "runs": runs, "speedups": speedups},
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
