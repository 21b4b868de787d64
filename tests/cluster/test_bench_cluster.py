"""bench/cluster.py: builds the same corpus on 1 and 2 Celery workers and prints their rates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_cluster_benchmark_builds_on_each_worker_count_and_prints_the_speed_up(tmp_path):
    command = [sys.executable, str(ROOT / "bench" / "cluster.py"), "--files", "300"]
    command += ["--repeat", "1", "--workers", "1,2", "--shards", "2"]
    command += ["--workdir", str(tmp_path), "--json", str(tmp_path / "figures.json")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert sorted(run["workers"] for run in figures["runs"]) == [1, 2]
    assert all(
        run["files"] == 300 and 0 < run["shards_s"] < run["build_s"] for run in figures["runs"]
    )
    one, two = (next(r for r in figures["runs"] if r["workers"] == k) for k in (1, 2))
    assert figures["speedups"]["2"] == [one["shards_s"] / two["shards_s"]]
    assert re.search(
        r"^  2 worker\(s\): shard phase [\d.]+ s = [\d,]+ files/s; .*the files/s of 1 worker",
        result.stdout,
        re.M,
    ), result.stdout
