"""The Dagster run of `newsdw build` says what it built and which command started it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.build import COMMAND_TAG, open_instance
from tests.conftest import article


def test_a_cli_build_run_names_its_target_and_its_command(tmp_path: Path, monkeypatch) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    for n in range(5):
        (content / f"a{n}.txt").write_text(article(f"A {n}", f"https://a.example/{n}"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    done = subprocess.run(
        [*command, "--content", str(content), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    monkeypatch.setenv("NEWSDW_CONTENT_DIR", str(content))
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", str(warehouse))
    from pipelines.definitions import defs

    job = defs.resolve_implicit_global_asset_job_def()
    with open_instance(warehouse / ".dagster") as instance:
        (run,) = instance.get_runs()
        evaluations = instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
    assert run.tags.get(COMMAND_TAG) == "newsdw build"
    # The UI's Target column: every asset of a build on one machine, not an empty job name
    # (all of the code location's but the shards, which a cluster build runs).
    assert run.asset_selection == set(job.asset_layer.executable_asset_keys) - {
        dg.AssetKey(["raw", "shards"])
    }
    # Naming the assets still runs every check.
    assert len(evaluations) == len(list(job.asset_layer.asset_graph.asset_check_keys))
