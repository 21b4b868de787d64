"""The warehouse's Dagster instance keeps a bounded history of runs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines import build


@dg.asset
def often() -> None:
    """An asset every run materialises."""


@dg.asset
def once() -> None:
    """An asset only the first run materialises."""


def _run_files(home: Path, run_id: str) -> list[Path]:
    """The files the instance holds for one run: its event log and its step logs."""
    return [
        *home.glob(f"history/runs/{run_id}.db*"),
        *home.glob(f"storage/{run_id}/**/*"),
    ]


def test_old_runs_are_deleted_with_their_files_but_not_an_assets_latest(tmp_path: Path) -> None:
    home = tmp_path / ".dagster"
    home.mkdir()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        first = dg.materialize([often, once], instance=instance)
        runs = [first.run_id]
        for _ in range(5):
            runs.append(dg.materialize([often, once], instance=instance, selection=[often]).run_id)
        assert all(_run_files(home, run_id) for run_id in runs)

        deleted = build.delete_old_runs(instance, keep=2)

        assert sorted(deleted) == sorted(runs[1:4])
        kept = {run.run_id for run in instance.get_runs()}
        # The newest two, and the first: it holds `once`'s only materialisation.
        assert kept == {runs[0], runs[4], runs[5]}
        assert instance.get_latest_materialization_event(dg.AssetKey("once")).run_id == runs[0]
        for run_id in deleted:
            assert _run_files(home, run_id) == []
            assert instance.get_run_by_id(run_id) is None
        assert build.delete_old_runs(instance, keep=2) == []
