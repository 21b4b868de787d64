"""A lake whose catalog is on PostgreSQL and whose data files are on S3, built by settings alone.

The servers are real processes on the loopback interface (`conftest.py`). The build runs as
a user runs it, `newsdw build` with `--catalog` and `--data`, the credentials in the
environment only.
"""

from __future__ import annotations

from pipelines.generate import generate_corpus
from pipelines.store.lake import Lake
from tests.cluster.commands import database_of, newsdw, places_holding
from tests.helpers import lake_differences


def test_a_build_on_postgres_and_s3_equals_the_build_in_a_folder(tmp_path, shared, s3, pg):
    where, env = shared
    content = tmp_path / "content"
    generate_corpus(content, 300, seed=11)
    (content / "broken.txt").write_text("no front matter here\n")
    local = newsdw("build", "--content", str(content), "--warehouse", str(tmp_path / "w1"), env=env)
    assert local.returncode == 0, local.stderr
    flags = ["--catalog", where.catalog, "--data", where.data]
    built = newsdw(
        "build", "--content", str(content), "--warehouse", str(tmp_path / "w2"), *flags, env=env
    )
    assert built.returncode == 0, built.stderr
    assert f"warehouse         {where.catalog}" in built.stdout

    assert lake_differences(tmp_path / "w1", Lake(tmp_path / "w2", where.catalog, where.data)) == {}
    # The lake is on the servers, not in the warehouse folder.
    assert not (tmp_path / "w2" / "newsdw.ducklake").exists()
    assert not (tmp_path / "w2" / "lake").exists()
    bucket, prefix = where.data[len("s3://") :].split("/", 1)
    keys = [
        item["Key"]
        for page in s3.client()
        .get_paginator("list_objects_v2")
        .paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    ]
    assert any(key.endswith(".parquet") for key in keys), keys

    # An analyst reads it with the same flags; a second build finds nothing changed.
    count = "select count(*) as n from raw.quarantine"
    answer = newsdw(
        "query", "--warehouse", str(tmp_path / "w2"), *flags, "--format", "csv", count, env=env
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines() == ["n", "1"]
    again = newsdw(
        "build", "--content", str(content), "--warehouse", str(tmp_path / "w2"), *flags, env=env
    )
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last build" in again.stdout

    # The search reads what the servers keep: the catalog holds the data files' path.
    seen = places_holding(where.data, pg=pg, s3=s3, lake=where, folders=[tmp_path / "w2"])
    assert f"database {database_of(where.catalog)}" in seen, seen
    # No credential in any output, log, Dagster event, the catalog, an object of the bucket,
    # or a file of the warehouse.
    for secret in (pg.password, s3.secret):
        for process in (built, answer, again):
            assert secret not in process.stdout + process.stderr
        kept = places_holding(secret, pg=pg, s3=s3, lake=where, folders=[tmp_path / "w2"])
        assert kept == []


def test_a_password_in_the_catalog_setting_is_refused(tmp_path, shared):
    where, env = shared
    content = tmp_path / "content"
    generate_corpus(content, 5, seed=1)
    catalog = where.catalog + " password=hunter2"
    run = newsdw(
        "build", "--content", str(content), "--warehouse", str(tmp_path / "w"),
        "--catalog", catalog, "--data", where.data, env=env,
    )  # fmt: skip
    assert run.returncode == 1
    assert "PGPASSWORD" in run.stderr
    assert "hunter2" not in run.stderr + run.stdout
    assert not (tmp_path / "w").exists()


def test_a_query_of_a_catalog_with_no_lake_says_to_build_first(tmp_path, shared):
    where, env = shared
    answer = newsdw(
        "query", "--warehouse", str(tmp_path / "w"), "--catalog", where.catalog,
        "--data", where.data, "select 1", env=env,
    )  # fmt: skip
    assert answer.returncode == 1
    assert "run `newsdw build` first" in answer.stderr, answer.stderr
