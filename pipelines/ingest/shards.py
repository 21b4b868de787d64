"""Shards of the content: a fixed number of hash buckets of the files' relative paths.

A shard is a Dagster partition of the raw ingest (`raw/shards`): its run reads the files
whose path hashes to it, and commits their rows to the lake. Hash buckets, not folders: an
archive grows mostly in its newest folder, and by hash those new files spread over every
shard, so an incremental build is as parallel as a full one. The count is fixed for a
warehouse (`NEWSDW_SHARDS`); a file's shard depends on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

DEFAULT_SHARDS = 8


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count`."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index} is not one of 0..{self.count - 1}")

    @property
    def key(self) -> str:
        """The shard's partition key."""
        return partition_key(self.index, self.count)

    def holds(self, path: str) -> bool:
        """Whether the file at this relative path (as the warehouse shows it) is this shard's."""
        return shard_of(path, self.count) == self.index

    def sql(self, column: str = "source_path") -> str:
        """A SQL condition true for the rows of this shard (the same hash as `holds`)."""
        return f"((('0x' || left(md5({column}), 8))::bigint % {self.count}) = {self.index})"

    @classmethod
    def from_key(cls, key: str) -> Shard:
        """The shard of a partition key (`3-of-8`)."""
        index, _, count = key.partition("-of-")
        return cls(int(index), int(count))


def shard_of(path: str, count: int) -> int:
    """The shard of a relative path: the first 32 bits of its MD5, modulo the count."""
    return int(hashlib.md5(path.encode("utf-8", "surrogateescape")).hexdigest()[:8], 16) % count


def partition_key(index: int, count: int) -> str:
    """A shard's partition key, as the Dagster UI lists it: `03-of-08`."""
    width = len(str(count - 1))
    return f"{index:0{width}d}-of-{count:0{width}d}"


def partition_keys(count: int) -> list[str]:
    """Every shard's partition key, in order."""
    return [partition_key(index, count) for index in range(count)]
