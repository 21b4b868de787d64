"""DuckLake 1.5.5 reads deleted rows across a commit: how often, and with the store's deletes.

    .venv/bin/python bench/ducklake_deletes.py [--runs 10] [--rounds 14] [--workdir DIR]

A reduction in plain DuckDB, for `store/deletes.py` and for an upstream report. Two
connections attach one lake (a SQLite catalog, as newsdw's). Each round a reader begins a
transaction and fixes its snapshot by reading another table; the writer then deletes 10 rows
of a 10,000-row table and inserts them again, and commits; the reader reads the table, and
must see the rows of its snapshot (count, distinct keys and a hash of every row). From the
second round on, the writer's delete is the second snapshot's on the same data file. Each
mode runs `--runs` times on a fresh lake:

- `plain`: as above;
- `files`: the writer deletes as a newsdw build does (`store/deletes.py`): it inserts
  again the other rows of the data files holding the 10 rows, and deletes those files'
  every row, so that no delete file is made (the table is split in 64 KB files; in
  `plain` it is one file).

It prints, for each mode, the wrong reads out of all reads and the runs with any.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.store.deletes import delete_rows  # noqa: E402
from pipelines.store.extensions import load_extensions  # noqa: E402

ROWS = 10_000
CHANGED = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=14)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-ducklake-deletes"
    )
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}; {args.runs} runs of {args.rounds} rounds per mode")
    for mode in ("plain", "files"):
        wrong = [_run(args.workdir / mode, args.rounds, seed, mode) for seed in range(args.runs)]
        print(
            f"{mode:<8} wrong reads {sum(wrong)} of {args.runs * args.rounds};"
            f" runs with any: {sum(1 for n in wrong if n)} of {args.runs}",
            flush=True,
        )


def _run(folder: Path, rounds: int, seed: int, mode: str) -> int:
    """One run on a fresh lake: how many of its rounds the reader read wrong."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    catalog = folder / "catalog.sqlite"
    with sqlite3.connect(catalog) as con:
        con.execute("pragma journal_mode = wal")
    writer, reader = _attach(catalog, folder), _attach(catalog, folder)
    writer.execute("call lk.set_option('data_inlining_row_limit', 0)")
    if mode == "files":
        writer.execute("call lk.set_option('target_file_size', '64KB')")
    writer.execute(f"create table t as select range::int as k, 'v0' as v from range({ROWS})")
    writer.execute("create table u as select range::int as k from range(10)")
    rng = random.Random(seed)
    expected = _digest(reader)
    wrong = 0
    for round_ in range(1, rounds + 1):
        reader.execute("begin")
        reader.execute("select count(*) from u").fetchone()  # fixes the reader's snapshot
        keys = ", ".join(map(str, rng.sample(range(ROWS), CHANGED)))
        writer.execute("begin")
        if mode == "files":
            delete_rows(writer, "t", f"k in ({keys})")
        else:
            writer.execute(f"delete from t where k in ({keys})")
        writer.execute(f"insert into t select unnest([{keys}]), 'v{round_}'")
        writer.execute("commit")
        wrong += _digest(reader) != expected
        reader.execute("commit")
        expected = _digest(reader)
    if seed == 0:
        files, deletes = writer.execute(
            "select file_count, delete_file_count from ducklake_table_info('lk')"
            " where table_name = 't'"
        ).fetchone()
        print(f"  {mode}: after the first run, {files} data files, {deletes} delete files")
    writer.close()
    reader.close()
    return wrong


def _attach(catalog: Path, folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_extensions(con)
    con.execute(f"attach 'ducklake:sqlite:{catalog}' as lk (data_path '{folder}/data/')")
    con.execute("use lk")
    return con


def _digest(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute("select count(*), count(distinct k), sum(hash(k, v)) from t").fetchone()


if __name__ == "__main__":
    main()
