"""Shards: every path in exactly one, the same in Python (the scan) and in SQL (the lake)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.ingest.shards import Shard, partition_key, partition_keys, shard_of

PATHS = [
    "2024/01/a.md",
    "2024/01/b.md",
    "ünïcode/日本語.md",
    "spaces in name.txt",
    "a_\\xff.txt",  # a name that was not UTF-8, as the warehouse shows it
    "deep/" * 20 + "leaf.md",
    *(f"bulk/{n:05d}.md" for n in range(2000)),
]


@pytest.mark.parametrize("count", [1, 3, 8, 64])
def test_python_and_sql_put_each_path_in_the_same_single_shard(count):
    con = duckdb.connect()
    con.execute("create table files as select unnest($paths) as source_path", {"paths": PATHS})
    seen: dict[str, int] = {}
    for index in range(count):
        shard = Shard(index, count)
        rows = con.execute(f"select source_path from files where {shard.sql()}").fetchall()
        in_sql = {path for (path,) in rows}
        in_python = {path for path in PATHS if shard.holds(path)}
        assert in_sql == in_python
        for path in in_python:
            assert path not in seen, (path, seen.get(path), index)
            seen[path] = index
    assert set(seen) == set(PATHS)


def test_shards_are_balanced_on_many_paths():
    counts = [0] * 8
    for path in PATHS:
        counts[shard_of(path, 8)] += 1
    assert min(counts) > len(PATHS) / 8 * 0.8, counts


def test_partition_keys_name_the_shard_and_the_count_and_sort_in_order():
    keys = partition_keys(12)
    assert keys[0] == "00-of-12" and keys[-1] == "11-of-12"
    assert keys == sorted(keys)
    assert [Shard.from_key(key) for key in keys] == [Shard(n, 12) for n in range(12)]
    assert partition_key(3, 8) == "3-of-8"


def test_a_shard_outside_its_count_is_refused():
    with pytest.raises(ValueError, match="not one of 0..3"):
        Shard(4, 4)
