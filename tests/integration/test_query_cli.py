"""`newsdw query` as a user runs it: exact bytes through a pipe, one-line failures, no debris."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.store import lake


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


def test_query_on_a_corrupt_catalog_says_so_in_one_line(tmp_path: Path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    lake.catalog_path(warehouse).write_bytes(b"this is not a SQLite file" * 200)
    result = newsdw("query", "select 1", "--warehouse", str(warehouse), cwd=tmp_path)
    assert str(lake.catalog_path(warehouse)) in one_line(result)


def test_query_on_a_mistyped_path_leaves_nothing_behind(tmp_path: Path):
    result = newsdw("query", "select 1", "--warehouse", str(tmp_path / "typo"), cwd=tmp_path)
    assert "newsdw build" in one_line(result)
    assert not (tmp_path / "typo").exists()


def test_query_pipes_the_data_bytes_exactly(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with lake.writing(warehouse) as con:
        con.execute("create table t as select chr(27) || '[1mbold' || chr(27) || '[0m é' as title")
    args = ("query", "from t", "--format", "csv", "--warehouse", str(warehouse))
    result = newsdw(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "title\r\n\x1b[1mbold\x1b[0m é\r\n".encode()


def _files(warehouse: Path) -> dict[str, bytes]:
    """Every file of the warehouse and its bytes, but SQLite's `-wal`/`-shm` (any reader's)."""
    return {
        str(path): path.read_bytes()
        for path in sorted(warehouse.rglob("*"))
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    }


def _lake_with_one_table(warehouse: Path) -> None:
    with lake.writing(warehouse) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_articles as select range as article_id from range(20)")


@pytest.mark.parametrize(
    "attack",
    [
        "use memory; detach newsdw; attach 'ducklake:sqlite:{catalog}' as w2;"
        " drop table w2.marts.fct_articles",
        "attach '{catalog}' as cat (type sqlite); delete from cat.ducklake_table",
        "copy (select 1) to '{data}/marts/x.parquet'",
        "select * from ducklake_expire_snapshots('newsdw', older_than => now())",
        "from ducklake_delete_orphaned_files('newsdw', cleanup_all => true)",
        "delete from marts.fct_articles",
    ],
)
def test_query_cannot_change_the_lake(tmp_path: Path, attack: str):
    warehouse = tmp_path / "wh"
    _lake_with_one_table(warehouse)
    files = _files(warehouse)
    sql = attack.format(catalog=lake.catalog_path(warehouse), data=lake.data_path(warehouse))
    result = newsdw("query", sql, "--warehouse", str(warehouse), cwd=tmp_path)
    assert "read-only" in one_line(result)
    assert _files(warehouse) == files
    check = lake.connect_read_only(warehouse)
    assert check.execute("select count(*) from marts.fct_articles").fetchone() == (20,)


def test_query_reads_the_lake_and_its_history(tmp_path: Path):
    warehouse = tmp_path / "wh"
    _lake_with_one_table(warehouse)
    with lake.writing(warehouse) as con:
        con.execute("delete from marts.fct_articles where article_id >= 5")
    sql = (
        "select (select count(*) from marts.fct_articles) as now,"
        " (select count(*) from marts.fct_articles at (version => 1)) as before"
    )
    result = newsdw("query", sql, "--format", "csv", "--warehouse", str(warehouse), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"now,before\r\n5,20\r\n"
