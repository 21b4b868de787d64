"""`newsdw build` and `newsdw query` end to end, as a user runs them.

The module builds one warehouse, twice (flags, then the environment), and every test reads it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import write_corpus


def newsdw(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def summary(stdout: str) -> dict[str, str]:
    pairs = (re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in stdout.splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


@dataclass(frozen=True)
class Built:
    """The module's warehouse and the two builds that made it."""

    content: Path
    warehouse: Path
    cwd: Path
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("cli")
    content, warehouse = write_corpus(root / "content"), root / "wh"
    # Run from a folder of its own, so the default ./content and ./warehouse are never these.
    cwd = root / "elsewhere"
    cwd.mkdir()
    first = newsdw("build", "--content", str(content), "--warehouse", str(warehouse), cwd=cwd)
    assert first.returncode == 0, first.stderr
    # The second build has its paths from the environment only: "nothing changed" says that
    # both variables were read, as the content would be missing or the warehouse new otherwise.
    env = {**os.environ, "NEWSDW_CONTENT_DIR": str(content), "NEWSDW_WAREHOUSE_DIR": str(warehouse)}
    second = newsdw("build", cwd=cwd, env=env)
    assert second.returncode == 0, second.stderr
    return Built(content, warehouse, cwd, first, second)


def test_build_materialises_through_a_persistent_dagster_instance(built: Built, monkeypatch):
    first, warehouse = built.first, built.warehouse
    figures = summary(first.stdout)
    assert figures["files seen"] == "15"
    assert figures["parsed"] == "15"
    assert figures["quarantined"].startswith("12")
    assert figures["articles"] == "3"
    assert figures["warehouse"] == str(warehouse / "newsdw.ducklake")
    assert figures["dashboards"] == str(warehouse / "dashboards" / "index.html")
    assert (warehouse / "dashboards" / "index.html").is_file()
    assert "scanned 15 files" in first.stderr  # progress reaches the terminal

    monkeypatch.setenv("DAGSTER_HOME", str(warehouse / ".dagster"))
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs()
    assert len(runs) == 2
    # The instance's dagster.yaml, as `newsdw build` wrote it, is Dagster's to read.
    assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] == 60
    assert all(run.is_success for run in runs)
    event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "articles"]))
    assert event.asset_materialization.metadata["dagster/row_count"].value == 3


def test_env_vars_configure_paths(built: Built):
    assert built.second.stdout.startswith("nothing changed since the last build")
    assert summary(built.second.stdout)["unchanged"] == "15"


def test_nothing_changed_reports_the_same_files(built: Built):
    # A no-op build reads the figures from the manifest alone: they are those of the build
    # that made it, down to each quarantine kind.
    first, second = summary(built.first.stdout), summary(built.second.stdout)
    for line in ("files seen", "quarantined", "articles"):
        assert second[line] == first[line], line
    assert not (built.cwd / "warehouse").exists()


def test_build_fails_with_one_line_reason(tmp_path: Path):
    result = newsdw("build", "--content", str(tmp_path / "nope"), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "nope" in result.stderr and "does not exist" in result.stderr


def test_query_of_a_missing_warehouse_says_to_build(tmp_path: Path):
    missing = newsdw("query", "select 1", "--warehouse", str(tmp_path / "wh"), cwd=tmp_path)
    assert missing.returncode != 0 and "newsdw build" in missing.stderr


def test_query_formats_and_errors(built: Built):
    warehouse, cwd = str(built.warehouse), built.cwd
    sql = "select error_kind, count(*) as files from raw.quarantine group by 1 order by 1"
    as_csv = newsdw("query", sql, "--format", "csv", "--warehouse", warehouse, cwd=cwd)
    assert as_csv.stdout.splitlines()[:2] == ["error_kind,files", "encoding,1"]
    as_json = newsdw("query", sql, "--format", "json", "--warehouse", warehouse, cwd=cwd)
    assert {"error_kind": "symlink", "files": 1} in json.loads(as_json.stdout)
    as_table = newsdw("query", sql, "--warehouse", warehouse, cwd=cwd)
    assert "no_front_matter" in as_table.stdout and "(10 rows)" in as_table.stdout

    bad = newsdw("query", "select nope from raw.articles", "--warehouse", warehouse, cwd=cwd)
    assert bad.returncode != 0 and bad.stderr.startswith("newsdw: SQL error")
    write = newsdw("query", "drop table raw.articles", "--warehouse", warehouse, cwd=cwd)
    assert write.returncode != 0 and "read-only" in write.stderr
