"""`newsdw query` as a user runs it: exact bytes through a pipe, one-line failures, no debris."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.warehouse import database_path


def newsdw(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", *args]
    clean = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, timeout=300, env={**clean, **(env or {})}
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    """The failure's stderr, checked to be one `newsdw:` line."""
    assert result.returncode != 0
    text = result.stderr.decode()
    assert text.startswith("newsdw: ") and text.count("\n") == 1, text
    return text


def test_query_on_a_file_as_warehouse_says_so_in_one_line(tmp_path: Path):
    (tmp_path / "README.md").write_text("# not a warehouse\n")
    result = newsdw("query", "select 1", cwd=tmp_path, env={"NEWSDW_WAREHOUSE_DIR": "README.md"})
    assert "README.md" in one_line(result) and "not a folder" in result.stderr.decode()
    assert (tmp_path / "README.md").read_text() == "# not a warehouse\n"


def test_query_on_a_corrupt_duckdb_file_says_so_in_one_line(tmp_path: Path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    database_path(warehouse).write_bytes(b"this is not a DuckDB file" * 200)
    result = newsdw("query", "select 1", "--warehouse", str(warehouse), cwd=tmp_path)
    assert str(database_path(warehouse)) in one_line(result)


def test_query_on_a_mistyped_path_leaves_nothing_behind(tmp_path: Path):
    result = newsdw("query", "select 1", "--warehouse", str(tmp_path / "typo"), cwd=tmp_path)
    assert "newsdw build" in one_line(result)
    assert not (tmp_path / "typo").exists()


def test_query_pipes_the_data_bytes_exactly(tmp_path: Path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    con = duckdb.connect(str(database_path(warehouse)))
    con.execute("create table t as select chr(27) || '[1mbold' || chr(27) || '[0m é' as title")
    con.close()
    args = ("query", "from t", "--format", "csv", "--warehouse", str(warehouse))
    result = newsdw(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "title\r\n\x1b[1mbold\x1b[0m é\r\n".encode()


def test_query_cannot_drop_a_table_through_a_second_attach(tmp_path: Path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    con = duckdb.connect(str(database_path(warehouse)))
    con.execute("create schema marts; create table marts.fct_articles as select 1 as article_id")
    con.close()
    attack = (
        f"use memory; detach newsdw; attach '{database_path(warehouse)}' as w2;"
        " drop table w2.marts.fct_articles"
    )
    result = newsdw("query", attack, "--warehouse", str(warehouse), cwd=tmp_path)
    assert result.returncode != 0 and result.stderr.startswith(b"newsdw: SQL error")
    check = duckdb.connect(str(database_path(warehouse)), read_only=True)
    assert check.execute("select count(*) from marts.fct_articles").fetchone() == (1,)
