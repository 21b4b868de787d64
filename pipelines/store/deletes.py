"""No data file carries deletes from one build into the next: a DuckLake 1.5.5 workaround.

When a second snapshot deletes rows from a data file that already has deletes, DuckLake
1.5.5 replaces its delete file with one whose rows carry the snapshot of each delete. A
read transaction that began before that commit, and reads the table after it, then applies
none of that file's deletes in some runs (rows of earlier builds come back). A reduction is
in `docs/architecture.md`. A delete file made by one snapshot, the first on its data file,
is read right at every snapshot.

So after each build commits, every data file with deletes is written again without the
deleted rows (`ducklake_rewrite_data_files`), in a commit of its own that changes no row:
the next build's deletes are again the first on their files. Small data files
(`lake.TARGET_FILE_SIZE`) keep that rewrite to the few files a small delta touched.
"""

from __future__ import annotations

import duckdb

from ..models.materialise import sql_literal
from .lake import LAKE


def tables_with_deletes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every table of the lake with a delete file in the last snapshot."""
    return con.execute(
        f"""
        select s.schema_name, i.table_name
        from ducklake_table_info({sql_literal(LAKE)}) as i
        join __ducklake_metadata_{LAKE}.ducklake_schema as s
            on s.schema_id = i.schema_id and s.end_snapshot is null
        where i.delete_file_count > 0
        order by all
        """
    ).fetchall()


def rewrite_deleted(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rewrite the data files that have deletes, in one commit; the tables rewritten.

    Runs outside a transaction, on a writer connection, under the writer lock.
    """
    tables = tables_with_deletes(con)
    for schema, table in tables:
        con.execute(
            f"call ducklake_rewrite_data_files({sql_literal(LAKE)}, {sql_literal(table)},"
            f" schema => {sql_literal(schema)}, delete_threshold => 0)"
        )
    return [f"{schema}.{table}" for schema, table in tables]
