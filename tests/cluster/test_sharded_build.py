"""A sharded build of content on S3 into a lake on PostgreSQL and S3 equals the build of the
same files in a folder on one machine, table by table and row by row, also after changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.generate import generate_corpus
from pipelines.store.lake import Lake
from tests.cluster.commands import files_holding, newsdw
from tests.helpers import lake_differences


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


@pytest.fixture
def mirror(tmp_path, shared, s3) -> Mirror:
    where, _ = shared
    bucket = where.data[len("s3://") :].split("/", 1)[0]
    generated = tmp_path / "generated"
    generate_corpus(generated, 240, seed=5, profile="real")
    (generated / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    (generated / "notes" / "empty.md").parent.mkdir()
    (generated / "notes" / "empty.md").write_bytes(b"")
    (generated / ".hidden.md").write_bytes(b"never read")
    copy = Mirror(s3, bucket, tmp_path / "content")
    copy.upload(generated)
    return copy


def test_a_sharded_build_from_s3_equals_the_build_of_the_same_files_in_a_folder(
    tmp_path, shared, mirror, pg, s3
):
    where, env = shared
    env = {**env, "NEWSDW_SHARDS": "3"}
    flags = ["--catalog", where.catalog, "--data", where.data]
    lake = Lake(tmp_path / "w2", where.catalog, where.data)

    def both() -> tuple[str, str]:
        one = newsdw(
            "build", "--content", str(mirror.folder), "--warehouse", str(tmp_path / "w1"), env=env
        )
        assert one.returncode == 0, one.stderr
        sharded = newsdw(
            "build", "--content", mirror.url, "--warehouse", str(tmp_path / "w2"), *flags,
            "--sharded", env=env,
        )  # fmt: skip
        assert sharded.returncode == 0, sharded.stderr
        return one.stdout, sharded.stdout

    one, sharded = both()
    assert lake_differences(tmp_path / "w1", lake) == {}
    # The summaries count the same files: the hidden one is in neither.
    assert _figures(one) == _figures(sharded)
    visible = [path for path in mirror.folder.rglob("*") if path.is_file()]
    visible = [path for path in visible if not path.name.startswith(".")]
    assert f"files seen          {len(visible):>7,}" in sharded

    # Changes: one object deleted, one rewritten, one added; the shards see only theirs.
    names = sorted(path.relative_to(mirror.folder).as_posix() for path in visible)
    mirror.delete(names[0])
    mirror.put(names[1], (mirror.folder / names[2]).read_bytes())
    added = (mirror.folder / names[3]).read_bytes().replace(b"title:", b"title: New", 1)
    mirror.put("added/new.txt", added)
    one, sharded = both()
    assert lake_differences(tmp_path / "w1", lake) == {}
    assert "parsed                  2" in sharded, sharded

    # Nothing changed: no shard commits, and the models are not built again.
    again = newsdw(
        "build", "--content", mirror.url, "--warehouse", str(tmp_path / "w2"), *flags,
        "--sharded", env=env,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last build" in again.stdout
    for secret in (pg.password, s3.secret):
        assert secret not in again.stdout + again.stderr
        assert not files_holding(tmp_path / "w2", secret.encode())


def _figures(summary: str) -> list[str]:
    """The summary's counting lines."""
    counting = ("files", "parsed", "unchanged", "quarantined", "articles")
    return [line for line in summary.splitlines() if line.lstrip().startswith(counting)]
