"""The cluster tests' servers, started once per test process and shared by its tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pipelines.store.lake import Lake

from .servers import S3, Postgres, postgres, s3_server


@pytest.fixture(scope="session")
def pg() -> Postgres:
    """A PostgreSQL server on 127.0.0.1."""
    # Not under pytest's own folder, which only its owner may enter: the server may run as
    # another user.
    folder = Path(tempfile.mkdtemp(prefix="newsdw-postgres-"))
    try:
        with postgres(folder) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> S3:
    """An S3 API server (moto) on 127.0.0.1."""
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def shared(pg, s3, monkeypatch, request) -> tuple[Lake, dict[str, str]]:
    """A new database and bucket prefix for one test: its Lake (warehouse folder still to be
    set) and the environment that holds the credentials."""
    name = "lake_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    pg.create_database(name)
    s3.client().create_bucket(Bucket=name.replace("_", "-"))
    env = {**os.environ, **s3.environment(), "PGPASSWORD": pg.password}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    lake = Lake(Path("."), "postgres:" + pg.conninfo(name), f"s3://{name.replace('_', '-')}/lake/")
    return lake, env
