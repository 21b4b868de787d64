"""store/deletes.py: rows deleted by writing again the data files that hold them."""

from __future__ import annotations

from pathlib import Path

from pipelines.store import lake
from pipelines.store.deletes import delete_rows


def _files(con) -> dict[str, int]:
    """{data file: rows} of table t, as the lake lists them now."""
    return dict(
        con.execute(
            f"select data_file, count(*) from ("
            f" select filename as data_file from {lake.LAKE}.t) group by all"
        ).fetchall()
    )


def test_deleting_rows_replaces_the_files_holding_them_and_leaves_no_delete_file(
    tmp_path: Path,
) -> None:
    with lake.writing(tmp_path) as con:
        con.execute(f"call {lake.LAKE}.set_option('target_file_size', '64KB')")
        # 40,000 rows in several files; every 1,000th row has no key.
        con.execute(
            "create table t as select case when i % 1000 = 7 then null else i end as k,"
            " md5(i::varchar) as v from range(40000) as r(i) order by i"
        )
    with lake.writing(tmp_path) as con:
        before = _files(con)
        assert len(before) > 3
        holding = con.execute("select distinct filename from t where k in (5, 6)").fetchall()
        delete_rows(con, "t", "k in (5, 6)")
    with lake.connect_read_only(tmp_path) as con:
        after = _files(con)
        # The one file that held the two rows is gone, its other rows are in a new one ...
        assert set(before) - set(after) == {holding[0][0]}
        assert sum(after.values()) == 40000 - 2
        assert con.execute("select count(*) from t where k in (5, 6)").fetchone() == (0,)
        # ... with the rows whose key is NULL, for which the condition was not true.
        assert con.execute("select count(*) from t where k is null").fetchone() == (40,)
        # Every other file is as it was, and no file has a delete file.
        assert {name: rows for name, rows in after.items() if name in before} == {
            name: rows for name, rows in before.items() if name != holding[0][0]
        }
        assert con.execute(
            f"select delete_file_count from ducklake_table_info('{lake.LAKE}')"
            " where table_name = 't'"
        ).fetchone() == (0,)
