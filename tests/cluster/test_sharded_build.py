"""A sharded build of content on S3 into a lake on PostgreSQL and S3 equals the build of the
same files in a folder on one machine, table by table and row by row, also after changes."""

from __future__ import annotations

import dagster as dg

from pipelines.store.lake import Lake
from tests.cluster.commands import newsdw, places_holding
from tests.helpers import lake_differences


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
    # Each shard is a partition of raw/shards, materialised: as `newsdw ui` shows them.
    with dg.DagsterInstance.from_config(str(tmp_path / "w2" / ".dagster")) as instance:
        assert instance.get_materialized_partitions(dg.AssetKey(["raw", "shards"])) == {
            "0-of-3",
            "1-of-3",
            "2-of-3",
        }
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
        kept = places_holding(secret, pg=pg, s3=s3, lake=where, folders=[tmp_path / "w2"])
        assert kept == []


def _figures(summary: str) -> list[str]:
    """The summary's counting lines."""
    counting = ("files", "parsed", "unchanged", "quarantined", "articles")
    return [line for line in summary.splitlines() if line.lstrip().startswith(counting)]
