"""Building one model into a DuckDB connection: the table, its COMMENTs, and what it holds."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..store.deletes import delete_rows
from .catalog import CHANGED, DELTA_ARTICLES, EVERY_ARTICLE, Model, ModelError
from .functions import register_functions


@dataclass(frozen=True)
class Built:
    """A model's table after it was built: its row count and (column, type, doc) list."""

    rows: int
    columns: list[tuple[str, str, str]]


def materialise(con: duckdb.DuckDBPyConnection, model: Model, incremental: bool = False) -> Built:
    """Create or replace the model's table from its select and document it with COMMENTs.

    `incremental`: the table stands, built by this same model from the raw rows before this
    build's delta; only the rows of the changed articles (CHANGED) are selected again.
    """
    register_functions(con)
    con.execute(f"create schema if not exists {model.schema}")
    if model.incremental_by:
        articles = DELTA_ARTICLES if incremental else EVERY_ARTICLE
        con.execute(f"create or replace temp view {CHANGED.split('.')[1]} as from {articles}")
        if incremental and model.changes:
            _widen(con, model)
    try:
        if incremental and model.incremental_by:
            _replace_changed(con, model)
        else:
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


def _widen(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Add the model's `changes` to the build's changed articles, for it and the models after."""
    try:
        con.execute(
            "create or replace temp table widened as"
            f" select canonical_url, article_id from ({model.changes})"
            " where canonical_url is not null"
            f" union select canonical_url, article_id from {DELTA_ARTICLES}"
        )
    except duckdb.Error as exc:
        raise ModelError(f"{model.path}: changes: {str(exc).splitlines()[0]}") from None
    con.execute(f"create or replace temp table {DELTA_ARTICLES.split('.')[1]} as from widened")
    con.execute("drop table widened")


def _replace_changed(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Delete the table's rows of the changed articles (CHANGED) and insert the select's.

    The table's other rows stay where they are, but for those in the data files this deletes
    from, which are written again (`store/deletes.py`): a reader holding the build before
    keeps reading it right.
    """
    by = model.incremental_by
    key = "canonical_url" if by == "canonical_url" else "article_id"
    delete_rows(con, model.table, f"{by} in (select {key} from {CHANGED})")
    con.execute(f"insert into {model.table} by name\nselect * from (\n{model.sql}\n)")


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
