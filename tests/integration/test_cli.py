"""`newsdw build` and `newsdw query` end to end, as a user runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import dagster as dg


def newsdw(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def summary(stdout: str) -> dict[str, str]:
    pairs = (re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in stdout.splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def test_build_materialises_through_a_persistent_dagster_instance(
    corpus: Path, tmp_path: Path, monkeypatch
):
    warehouse = tmp_path / "wh"
    first = newsdw("build", "--content", str(corpus), "--warehouse", str(warehouse), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    figures = summary(first.stdout)
    assert figures["files seen"] == "15"
    assert figures["parsed"] == "15"
    assert figures["quarantined"].startswith("12")
    assert figures["articles"] == "3"
    assert figures["warehouse"] == str(warehouse / "newsdw.duckdb")
    assert figures["dashboards"] == str(warehouse / "dashboards" / "index.html")
    assert (warehouse / "dashboards" / "index.html").is_file()
    assert "scanned 15 files" in first.stderr  # progress reaches the terminal

    second = newsdw("build", "--content", str(corpus), "--warehouse", str(warehouse), cwd=tmp_path)
    assert summary(second.stdout)["unchanged"] == "15"
    assert second.stdout.startswith("nothing changed since the last build")

    monkeypatch.setenv("DAGSTER_HOME", str(warehouse / ".dagster"))
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs()
    assert len(runs) == 2
    assert all(run.is_success for run in runs)
    event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "articles"]))
    assert event.asset_materialization.metadata["dagster/row_count"].value == 3


def test_env_vars_configure_paths(corpus: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NEWSDW_CONTENT_DIR", str(corpus))
    monkeypatch.setenv("NEWSDW_WAREHOUSE_DIR", str(tmp_path / "from-env"))
    result = newsdw("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / "newsdw.duckdb").exists()


def test_build_fails_with_one_line_reason(tmp_path: Path):
    result = newsdw("build", "--content", str(tmp_path / "nope"), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "nope" in result.stderr and "does not exist" in result.stderr


def test_query_formats_and_errors(corpus: Path, tmp_path: Path):
    warehouse = str(tmp_path / "wh")
    missing = newsdw("query", "select 1", "--warehouse", warehouse, cwd=tmp_path)
    assert missing.returncode != 0 and "newsdw build" in missing.stderr

    newsdw("build", "--content", str(corpus), "--warehouse", warehouse, cwd=tmp_path)
    sql = "select error_kind, count(*) as files from raw.quarantine group by 1 order by 1"
    as_csv = newsdw("query", sql, "--format", "csv", "--warehouse", warehouse, cwd=tmp_path)
    assert as_csv.stdout.splitlines()[:2] == ["error_kind,files", "encoding,1"]
    as_json = newsdw("query", sql, "--format", "json", "--warehouse", warehouse, cwd=tmp_path)
    assert {"error_kind": "symlink", "files": 1} in json.loads(as_json.stdout)
    as_table = newsdw("query", sql, "--warehouse", warehouse, cwd=tmp_path)
    assert "no_front_matter" in as_table.stdout and "(10 rows)" in as_table.stdout

    bad = newsdw("query", "select nope from raw.articles", "--warehouse", warehouse, cwd=tmp_path)
    assert bad.returncode != 0 and bad.stderr.startswith("newsdw: SQL error")
    write = newsdw("query", "drop table raw.articles", "--warehouse", warehouse, cwd=tmp_path)
    assert write.returncode != 0 and "read-only" in write.stderr
