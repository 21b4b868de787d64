"""The lake: an old warehouse upgrades, and maintenance keeps the folder bounded."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest
from pipelines.models import load_models
from pipelines.store import lake, maintenance
from pipelines.store.commit import build_and_publish
from pipelines.store.upgrade import OLD_DATABASE
from tests.conftest import article, write_corpus


def _build(content: Path, warehouse: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    command += ["--content", str(content), "--warehouse", str(warehouse)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_a_warehouse_of_the_old_layout_is_rebuilt_from_the_content(tmp_path: Path) -> None:
    content, warehouse = write_corpus(tmp_path / "content"), tmp_path / "warehouse"
    assert _build(content, warehouse).returncode == 0
    expected = (
        lake.connect_read_only(warehouse)
        .execute("select source_path, title from raw.articles order by 1")
        .fetchall()
    )
    # The old layout: the manifest and a DuckDB file holding every table, no lake.
    lake.catalog_path(warehouse).unlink()
    for path in warehouse.glob(f"{lake.CATALOG_NAME}*"):
        path.unlink()
    for path in sorted(lake.data_path(warehouse).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    old = duckdb.connect(str(warehouse / OLD_DATABASE))
    old.execute("create schema raw; create table raw.articles as select 1 as stale")
    old.close()

    upgraded = _build(content, warehouse)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    said = upgraded.stdout + upgraded.stderr
    assert said.count("upgrading") == 1 and "every content file is read again" in said
    assert not (warehouse / OLD_DATABASE).exists()
    con = lake.connect_read_only(warehouse)
    assert con.execute("select source_path, title from raw.articles order by 1").fetchall() == (
        expected
    )
    assert con.execute("select count(*) from marts.fct_articles").fetchone()[0] == 3
    assert "upgrading" not in _build(content, warehouse).stdout


def test_maintenance_keeps_the_lake_bounded_under_many_one_file_builds(tmp_path: Path) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    for n in range(30):
        (content / f"a{n}.txt").write_text(article(f"Story {n}", f"https://a.example/{n}"))
    models = load_models()
    sizes = []
    for round_ in range(12):
        (content / "a0.txt").write_text(
            article(f"Story zero, take {round_}", "https://a.example/0")
        )
        ingest(content, warehouse)
        built = build_and_publish(warehouse, models, keep_builds=3)
        assert built.published is not None
        sizes.append(maintenance.lake_bytes(warehouse))
    con = lake.connect_read_only(warehouse)
    snapshots = con.execute("select count(*) from newsdw.snapshots()").fetchone()[0]
    assert snapshots <= 3
    con.close()
    done = maintenance.maintain(warehouse, keep_builds=3, grace=timedelta(0))
    assert done.bytes_after <= done.bytes_before
    # Three builds' files remain, whatever the number of builds before them.
    assert done.bytes_after < 1.5 * sizes[2], (sizes, done)
    con = lake.connect_read_only(warehouse)
    assert con.execute(
        "select title from raw.articles where source_path = 'a0.txt'"
    ).fetchall() == [("Story zero, take 11",)]


def test_the_maintenance_job_runs_on_the_warehouse(tmp_path: Path) -> None:
    from pipelines.defs.maintenance import lake_maintenance
    from pipelines.resources import NewsdwPaths

    content, warehouse = write_corpus(tmp_path / "content"), tmp_path / "warehouse"
    ingest(content, warehouse)
    build_and_publish(warehouse, load_models())
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(warehouse))
    result = lake_maintenance.execute_in_process(resources={"paths": paths})
    assert result.success
    (event,) = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    metadata = event.event_specific_data.metadata
    assert metadata["lake_mib_after"].value <= metadata["lake_mib_before"].value


def test_no_lake_no_maintenance(tmp_path: Path) -> None:
    with pytest.raises(lake.LakeMissing):
        maintenance.maintain(tmp_path / "nothing")


def test_a_reader_pinned_to_a_build_counts_its_rows_through_later_deletes(tmp_path: Path) -> None:
    # raw.articles loses the rows of changed files in each build. Once one data file has
    # deletes from two builds, DuckLake 1.5.5's count(*) from statistics counts the later
    # build's deletes in the earlier snapshot; the lake's readers count rows instead.
    with lake.writing(tmp_path) as con:
        con.execute("create schema raw")
        con.execute("create table raw.articles as select range as id from range(100)")
    with lake.writing(tmp_path) as con:
        con.execute("delete from raw.articles where id < 10")
    reader = lake.connect_read_only(tmp_path)
    try:
        lake.begin_read(reader)
        assert reader.execute("select count(*) from raw.articles").fetchone() == (90,)
        with lake.writing(tmp_path) as con:
            con.execute("delete from raw.articles where id < 20")
        assert reader.execute("select count(*) from raw.articles").fetchone() == (90,)
        reader.execute("commit")
        lake.begin_read(reader)
        assert reader.execute("select count(*) from raw.articles").fetchone() == (80,)
    finally:
        reader.close()


def test_a_model_built_before_its_raw_table_names_the_missing_table(tmp_path: Path) -> None:
    # A run that selects staging alone on a new warehouse: the model's own error, naming
    # the raw table it reads, not one of the build's bookkeeping.
    from pipelines.models import ModelError

    with pytest.raises(
        ModelError, match=r"stg_articles\.sql: .*Table with name articles does not exist"
    ):
        build_and_publish(tmp_path, load_models(), {"staging.stg_articles"})


def test_a_delta_build_deletes_in_place_and_leaves_no_model_table_with_deletes(
    tmp_path: Path,
) -> None:
    # Models by the delta delete their changed rows and insert them again, in the tables they
    # built before; a data file they delete from is written again without those rows
    # (store/deletes.py), never given a delete file. The raw load deletes in place.
    content, warehouse = write_corpus(tmp_path / "content"), tmp_path / "warehouse"
    models = load_models()
    ingest(content, warehouse, workers=1)
    assert build_and_publish(warehouse, models).published is not None

    def table_ids() -> dict[str, int]:
        with lake.connect_read_only(warehouse) as con:
            rows = con.execute(
                f"select schema_name || '.' || table_name, table_id"
                f" from ducklake_table_info('{lake.LAKE}') join"
                f" __ducklake_metadata_{lake.LAKE}.ducklake_schema using (schema_id)"
            ).fetchall()
        return dict(rows)

    before = table_ids()
    (content / "2020" / "b.txt").write_text(
        article("Beta, revised", "http://news.example.org/b#top", quality="90")
    )
    ingest(content, warehouse, workers=1)
    result = build_and_publish(warehouse, models)
    assert result.published is not None
    incremental = {run.model.table for run in result.runs if run.incremental}
    assert "staging.stg_articles" in incremental
    after = table_ids()
    # The same tables (not made anew), holding the edit ...
    assert {table: after[table] for table in incremental} == {t: before[t] for t in incremental}
    with lake.connect_read_only(warehouse) as con:
        assert con.execute(
            "select title from staging.stg_articles where title like 'Beta%'"
        ).fetchall() == [("Beta, revised",)]
    # ... and no delete file but raw.articles': the files it deleted from were written again.
    with lake.connect_read_only(warehouse) as con:
        with_deletes = con.execute(
            f"select table_name from ducklake_table_info('{lake.LAKE}') where delete_file_count > 0"
        ).fetchall()
    assert with_deletes == [("articles",)]
