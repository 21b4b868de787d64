"""Building one model into a DuckDB connection: the table, its COMMENTs, and what it holds."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .catalog import Model, ModelError
from .functions import register_functions


@dataclass(frozen=True)
class Built:
    """A model's table after it was built: its row count and (column, type, doc) list."""

    rows: int
    columns: list[tuple[str, str, str]]


def materialise(con: duckdb.DuckDBPyConnection, model: Model) -> Built:
    """Create or replace the model's table from its select and document it with COMMENTs."""
    register_functions(con)
    con.execute(f"create schema if not exists {model.schema}")
    try:
        con.execute(f"create or replace table {model.table} as\n{model.sql}")
    except duckdb.Error as exc:
        raise ModelError(f"{model.path}: {str(exc).splitlines()[0]}") from None
    types = con.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = current_database() and schema_name = $schema"
        " and table_name = $table order by column_index",
        {"schema": model.schema, "table": model.name},
    ).fetchall()
    undocumented = [name for name, _ in types if name not in model.columns]
    stale = sorted(model.columns.keys() - {name for name, _ in types})
    if undocumented or stale:
        raise ModelError(
            f"{model.path}: the header's columns must match the select's: "
            f"undocumented {undocumented}, documented but absent {stale}"
        )
    write_comments(con, model.table, model.description, model.columns)
    rows = con.execute(f"select count(*) from {model.table}").fetchone()[0]
    return Built(rows, [(name, kind, model.columns[name]) for name, kind in types])


def write_comments(
    con: duckdb.DuckDBPyConnection, table: str, description: str, columns: dict[str, str]
) -> None:
    """COMMENT ON the table and each of its columns, so the warehouse documents itself."""
    con.execute(f"comment on table {table} is {sql_literal(description)}")
    for name, doc in columns.items():
        con.execute(f"comment on column {table}.{name} is {sql_literal(doc)}")


def sql_literal(text: str) -> str:
    """`text` as a quoted SQL string, for the statements that take no parameters.

    COMMENT ON, COPY ... TO and check queries shown to operators need literals; the texts are
    our own (model headers, column docs, warehouse paths), never content.
    """
    return "'" + text.replace("'", "''") + "'"
