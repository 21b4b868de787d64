"""Building one model into a DuckDB connection: the table, its COMMENTs, and what it holds."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .catalog import Model, ModelError


@dataclass(frozen=True)
class Built:
    """A model's table after it was built: its row count and (column, type, doc) list."""

    rows: int
    columns: list[tuple[str, str, str]]


def materialise(con: duckdb.DuckDBPyConnection, model: Model) -> Built:
    """Create or replace the model's table from its select and document it with COMMENTs."""
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
    con.execute(f"comment on table {model.table} is {_literal(model.description)}")
    for name, _ in types:
        con.execute(f"comment on column {model.table}.{name} is {_literal(model.columns[name])}")
    rows = con.execute(f"select count(*) from {model.table}").fetchone()[0]
    return Built(rows, [(name, kind, model.columns[name]) for name, kind in types])


def _literal(text: str) -> str:
    # COMMENT ON takes a literal, not a parameter; the text comes from our own model files.
    return "'" + text.replace("'", "''") + "'"
