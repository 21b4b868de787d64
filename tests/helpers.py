"""Running one file's bytes through the whole raw layer, as a build would."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from pipelines.frontmatter import parse_article
from pipelines.ingest import ingest
from pipelines.store.commit import build_and_publish
from pipelines.store.extensions import load_extensions
from pipelines.store.lake import Lake, attach_sql, connect, connect_read_only, located
from pipelines.store.location import s3_secret_sql
from pipelines.store.raw import load_raw


def article_row(data: bytes) -> dict[str, Any]:
    """The `raw.articles` row these bytes become; raises `Refused` as the parser does."""
    parse_article(data)
    with tempfile.TemporaryDirectory() as folder:
        content, warehouse = Path(folder, "content"), Path(folder, "warehouse")
        content.mkdir()
        (content / "article.txt").write_bytes(data)
        ingest(content, warehouse)
        con = duckdb.connect()
        load_raw(con, warehouse)
        cursor = con.execute("select * from raw.articles")
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def publish(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Load the raw tables of a warehouse folder as a build does; a read-only connection to them."""
    assert build_and_publish(warehouse, []).published is not None
    return connect_read_only(warehouse)


def build_tables(root: Path, files: dict[str, str | tuple[str, int]]) -> duckdb.DuckDBPyConnection:
    """Every table of the warehouse, in memory, built from `files` (text, or (text, mtime))."""
    content, warehouse = root / "content", root / "warehouse"
    for name, spec in files.items():
        text, mtime = spec if isinstance(spec, tuple) else (spec, 1_600_000_000)
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.utime(path, (mtime, mtime))
    return build_folder(content, warehouse)


def build_folder(content: Path, warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Every table of the warehouse, in memory, built from the files under `content`."""
    from pipelines.defs.models import SQL_DIR
    from pipelines.models import build_models, load_models

    ingest(content, warehouse)
    con = duckdb.connect()
    load_raw(con, warehouse)
    for run in build_models(con, load_models(SQL_DIR)):
        assert run.built is not None, run.skipped_because
    return con


def lake_differences(first: Path | Lake, second: Path | Lake) -> dict[str, str]:
    """{table: what differs} between two lakes, every table compared as a multiset of rows."""
    lakes = {"a": located(first), "b": located(second)}
    con = connect()
    try:
        for name, where in lakes.items():
            load_extensions(con, where.extensions)
            if where.data_on_s3:
                con.execute(s3_secret_sql())
            con.execute(attach_sql(where, read_only=True, name=name))
        tables = {name: lake_columns(con, name) for name in lakes}
        found = {}
        for table in sorted(tables["a"].keys() | tables["b"].keys()):
            if tables["a"].get(table) != tables["b"].get(table):
                found[table] = f"columns {tables['a'].get(table)} != {tables['b'].get(table)}"
                continue
            columns = ", ".join(f'"{c}"' for c, _ in tables["a"][table])
            only = {
                side: con.execute(
                    f"select {columns} from {side}.{table}"
                    f" except all select {columns} from {other}.{table}"
                ).fetchall()
                for side, other in (("a", "b"), ("b", "a"))
            }
            if only["a"] or only["b"]:
                found[table] = (
                    f"{len(only['a'])} rows only in the first (e.g. {only['a'][:2]}),"
                    f" {len(only['b'])} only in the second (e.g. {only['b'][:2]})"
                )
        return found
    finally:
        con.close()


def lake_columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[tuple]]:
    """{schema.table: [(column, type), ...]} of every table (`duckdb_tables()`) of a lake."""
    found = con.execute(
        "select schema_name || '.' || table_name, column_name, data_type from duckdb_columns()"
        " semi join duckdb_tables() using (database_name, schema_name, table_name)"
        " where database_name = $db order by schema_name, table_name, column_index",
        {"db": database},
    ).fetchall()
    tables: dict[str, list[tuple]] = {}
    for table, column, kind in found:
        tables.setdefault(table, []).append((column, kind))
    return tables


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """All rows of a query, as tuples."""
    return con.execute(sql).fetchall()


def bench_module(name: str):
    """bench/<name>.py as a module: bench/ is a folder of scripts, not a package."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downstream_on_one_machine() -> set:
    """Every asset a build on one machine makes after the raw files: all of the code
    location's but `raw/files` itself and `raw/shards` (a cluster build's)."""
    from pipelines.definitions import defs
    from pipelines.defs.ingest import RAW_FILES, RAW_SHARDS

    return {key for key in defs.resolve_all_asset_keys() if key not in (RAW_FILES, RAW_SHARDS)}
