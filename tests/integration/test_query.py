"""`newsdw query` is a sandbox: it reads the warehouse and nothing else, and changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipelines.query import run_query
from pipelines.store import lake

SECRET = "not for analysts"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a published warehouse, its dashboards, and a private file beside them."""
    warehouse = tmp_path / "warehouse"
    (warehouse / "dashboards").mkdir(parents=True)
    (warehouse / "dashboards" / "index.html").write_text("<h1>dashboards</h1>\n")
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    with lake.writing(warehouse) as con:
        con.execute(
            "create schema raw; create schema staging; create schema marts;"
            " create table raw.articles as select range as article_id from range(3);"
            " create table staging.stg_articles as select * from raw.articles;"
            " create table marts.fct_articles as select article_id, 'p' as provider_name"
            " from staging.stg_articles;"
            " comment on table marts.fct_articles is 'One row per article.'"
        )
    monkeypatch.chdir(tmp_path)  # relative paths in the attempts land in the watched folder
    return tmp_path


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under `root`, with the SHA-256 of each file's bytes.

    The catalog's `-wal` and `-shm` files are SQLite's coordination between processes, which
    any reader opens; the catalog's content is in the file itself, which no reader changes.
    """
    return {
        str(path.relative_to(root)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        )
        for path in sorted(root.rglob("*"))
        if not path.name.endswith((".ducklake-wal", ".ducklake-shm"))
    }


DB = "warehouse/newsdw.ducklake"
LAKE = f"ducklake:sqlite:{DB}"
ATTEMPTS = {
    "drop through a second attach": (
        f"use memory; detach newsdw; attach '{LAKE}' as w2; drop table w2.marts.fct_articles"
    ),
    "drop after detaching the warehouse": (
        f"attach '{LAKE}' as w2; use w2; detach newsdw;"
        f" attach '{LAKE}' as w3 (read_only false); drop table w3.marts.fct_articles"
    ),
    "edit the catalog as SQLite": (
        f"attach '{DB}' as cat (type sqlite); delete from cat.ducklake_data_file"
    ),
    "write into the lake's folder": (
        "copy (select 1 as a) to 'warehouse/lake/marts/fct_articles/x.parquet'"
    ),
    "expire the lake's history": "from ducklake_expire_snapshots('newsdw', older_than => now())",
    "delete the lake's files": "from ducklake_delete_orphaned_files('newsdw', cleanup_all => true)",
    "update in place": "update marts.fct_articles set provider_name = 'x'",
    "drop in place": "drop table marts.fct_articles",
    "insert": "insert into marts.fct_articles values (9, 'x')",
    "create": "create table marts.extra as select 1 as a",
    "overwrite a dashboard": (
        "copy (select '<script>alert(1)</script>' as a)"
        " to 'warehouse/dashboards/index.html' (format csv, header false)"
    ),
    "overwrite the warehouse": f"copy (select 1 as a) to '{DB}' (format csv)",
    "write a new file": "copy (select 1 as a) to 'dropped.csv' (format csv)",
    "read /etc/passwd as text": "select * from read_text('/etc/passwd')",
    "read /etc/passwd as csv": "select * from read_csv('/etc/passwd', sep = ':')",
    "read /etc/shadow": "select * from read_text('/etc/shadow')",
    "read a file beside the warehouse": "select content from read_text('secret.txt')",
    "read a blob": "select content from read_blob('secret.txt')",
    "list files": "select * from glob('*')",
    "export the database": "export database 'exported'",
    "attach a new file": "attach 'created.duckdb' as created; create table created.t as select 1",
    "install an extension": "install httpfs",
    "load an extension": "load httpfs",
    "reach the network": "select * from read_csv('https://example.com/a.csv')",
    "turn external access back on": (
        "set enable_external_access = true; select * from read_text('secret.txt')"
    ),
    "reset the lock": "reset lock_configuration",
    "spill elsewhere": "set temp_directory = 'spill'",
    "profile to a file": "set profiling_output = 'profile.json'",
}


@pytest.mark.parametrize("sql", ATTEMPTS.values(), ids=ATTEMPTS.keys())
def test_query_attempt_fails_and_leaves_every_file_untouched(site: Path, sql: str):
    before = snapshot(site)
    with pytest.raises(ValueError) as refused:
        run_query(site / "warehouse", sql)
    assert SECRET not in str(refused.value) and "root:" not in str(refused.value)
    assert snapshot(site) == before
    tables = run_query(site / "warehouse", "select count(*) from marts.fct_articles", "csv")
    assert tables.splitlines() == ["count_star()", "3"]


def test_query_reads_every_schema_table_and_comment_of_the_warehouse(site: Path):
    listing = run_query(
        site / "warehouse",
        "select schema_name || '.' || table_name from duckdb_tables() order by 1",
        "csv",
    ).splitlines()[1:]
    assert listing == ["marts.fct_articles", "raw.articles", "staging.stg_articles"]
    for table in listing:
        counted = run_query(site / "warehouse", f"select count(*) from {table}", "csv")
        assert counted.splitlines() == ["count_star()", "3"]
    comment = "select comment from duckdb_tables() where table_name = 'fct_articles'"
    assert "One row per article." in run_query(site / "warehouse", comment, "csv")
    # Scratch work that stays in the session is an analyst's right.
    scratch = "create temp table mine as select 2 as a; select a * 21 as answer from mine"
    assert run_query(site / "warehouse", scratch, "csv").splitlines() == ["answer", "42"]
