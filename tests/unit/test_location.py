"""Where a lake lives, from its settings; and credentials kept out of every setting."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.store.location import Lake, SettingError, located, s3_secret_sql


def test_a_warehouse_folder_alone_keeps_the_lake_inside_it(tmp_path):
    lake = located(tmp_path)
    assert lake.catalog_file == tmp_path / "newsdw.ducklake"
    assert lake.data_folder == tmp_path / "lake"
    assert lake.attach_url == f"ducklake:sqlite:{tmp_path}/newsdw.ducklake"
    assert lake.extensions == ("ducklake", "sqlite")
    assert lake.state_url == f"{tmp_path}/lake.state/"


def test_a_lake_on_postgres_and_s3():
    lake = Lake(Path("w"), "postgres:dbname=lake host=db user=newsdw", "s3://bucket/lake")
    assert lake.on_postgres and lake.catalog_file is None
    assert lake.data_on_s3 and lake.data_folder is None
    assert lake.attach_url == "ducklake:postgres:dbname=lake host=db user=newsdw"
    assert lake.data_url == "s3://bucket/lake/"
    assert lake.state_url == "s3://bucket/lake.state/"
    assert lake.extensions == ("ducklake", "postgres", "httpfs")
    assert lake.describe() == "postgres:dbname=lake host=db user=newsdw"


@pytest.mark.parametrize(
    "catalog",
    [
        "postgres:dbname=lake host=db password=hunter2",
        "postgres:dbname=lake PASSWORD = hunter2",
        "postgres:postgresql://newsdw:hunter2@db/lake",
    ],
)
def test_a_password_in_the_catalog_is_refused_without_repeating_it(catalog):
    with pytest.raises(SettingError) as refused:
        Lake(Path("w"), catalog)
    assert "PGPASSWORD" in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_keys_in_the_data_url_and_unknown_catalogs_are_refused():
    with pytest.raises(SettingError, match="AWS_ACCESS_KEY_ID"):
        Lake(Path("w"), "", "s3://key:secret@bucket/lake/")
    with pytest.raises(SettingError, match="neither sqlite"):
        Lake(Path("w"), "mysql:db=lake")


def test_the_s3_secret_comes_from_the_aws_variables_and_is_temporary(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIA'quoted")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    con = duckdb.connect()
    from pipelines.store.extensions import load_extensions

    load_extensions(con, ("httpfs",))
    con.execute(s3_secret_sql())
    name, persistent, secret = con.execute(
        "select name, persistent, secret_string from duckdb_secrets()"
    ).fetchone()
    assert name == "newsdw_s3" and persistent is False
    assert "key_id=AKIA'quoted" in secret
    assert "endpoint=127.0.0.1:9000" in secret and "use_ssl=false" in secret
    assert "url_style=path" in secret and "region=eu-west-3" in secret
    assert "s3cr3t" not in secret  # DuckDB redacts the secret itself
