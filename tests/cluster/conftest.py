"""The cluster tests' servers, started once per test process and shared by its tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pipelines.generate import generate_corpus
from pipelines.store.lake import Lake

from .servers import S3, Postgres, postgres, redis_server, s3_server


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
def redis(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Redis server on 127.0.0.1: its URL."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> S3:
    """An S3 API server (moto) on 127.0.0.1."""
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def shared(pg, s3, monkeypatch, request) -> tuple[Lake, dict[str, str]]:
    """A new database and bucket prefix for one test: its Lake (warehouse folder still to be
    set) and the environment that holds the credentials."""
    # Unique per test and parameter, and a valid database and bucket name.
    name = "lake_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
    pg.create_database(name)
    s3.client().create_bucket(Bucket=name.replace("_", "-"))
    env = {**os.environ, **s3.environment(), "PGPASSWORD": pg.password}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    lake = Lake(Path("."), "postgres:" + pg.conninfo(name), f"s3://{name.replace('_', '-')}/lake/")
    return lake, env


class Mirror:
    """Content kept twice: in a folder, and in an S3 bucket under `content/`, with each file's
    mtime set to its object's last-modified time (what a listing of S3 gives as the mtime)."""

    def __init__(self, s3, bucket: str, folder: Path) -> None:
        self.client, self.bucket, self.folder = s3.client(), bucket, folder

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/content"

    def put(self, relative: str, data: bytes) -> None:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.client.put_object(Bucket=self.bucket, Key=f"content/{relative}", Body=data)
        modified = self.client.head_object(Bucket=self.bucket, Key=f"content/{relative}")[
            "LastModified"
        ].timestamp()
        os.utime(path, (modified, modified))

    def delete(self, relative: str) -> None:
        (self.folder / relative).unlink()
        self.client.delete_object(Bucket=self.bucket, Key=f"content/{relative}")

    def upload(self, source: Path) -> None:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.put(path.relative_to(source).as_posix(), path.read_bytes())


# The corpora stored in S3: a generated one (mostly distinct articles), and one shaped like a
# real site's history (republished articles, long related lists).
PROFILES = ["default", "real"]


@pytest.fixture(params=PROFILES)
def mirror(request, tmp_path, shared, s3) -> Mirror:
    """A corpus of each profile with a few broken and hidden files, in S3 and in a folder."""
    where, _ = shared
    bucket = where.data[len("s3://") :].split("/", 1)[0]
    generated = tmp_path / "generated"
    generate_corpus(generated, 240, seed=5, profile=request.param)
    (generated / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    (generated / "notes" / "empty.md").parent.mkdir()
    (generated / "notes" / "empty.md").write_bytes(b"")
    (generated / ".hidden.md").write_bytes(b"never read")
    copy = Mirror(s3, bucket, tmp_path / "content")
    copy.upload(generated)
    return copy
