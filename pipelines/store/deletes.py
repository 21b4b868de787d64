"""Deleting rows from a lake table without a delete file: a DuckLake 1.5.5 workaround.

When a snapshot deletes rows from a data file that already has deletes, DuckLake 1.5.5
replaces its delete file with one whose rows carry the snapshot of each delete. A read
transaction that began before that commit, and reads the table after it, then applies none
of that file's deletes in some runs: rows that earlier builds deleted come back
(`bench/ducklake_deletes.py` reduces it to plain DuckDB). A data file whose rows are all
deleted is not given a delete file: it is dropped whole, and a reader of an earlier
snapshot reads it as it was.

So a model built by the delta never deletes some rows of a file: it inserts again the rows
of the files it deletes from that are to stay, then deletes every row of those files. (The
raw load deletes in place: a small share of changed files lies in nearly every raw data
file, whose wide rows cost too much to write again; see `docs/architecture.md`.) Tables are
written in data files of at most `lake.TARGET_FILE_SIZE`, so a small delta writes again a
few small files, not the table.
"""

from __future__ import annotations

import duckdb

_TOUCHED = "temp.files_to_rewrite"


def delete_rows(con: duckdb.DuckDBPyConnection, table: str, condition: str) -> None:
    """Delete the rows of `table` for which `condition` (SQL over its columns) holds.

    In the open transaction: the data files holding such rows are replaced by new ones
    holding their other rows, and leave no delete file.
    """
    con.execute(
        f"create or replace temp table {_TOUCHED.split('.')[1]} as"
        f" select distinct filename from {table} where {condition}"
    )
    # `is not true`: a row for which the condition is NULL stays, as a delete would leave it.
    con.execute(
        f"insert into {table} select * from {table}"
        f" where filename in (select filename from {_TOUCHED}) and ({condition}) is not true"
    )
    con.execute(f"delete from {table} where filename in (select filename from {_TOUCHED})")
    con.execute(f"drop table {_TOUCHED}")
