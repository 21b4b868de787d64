"""Content on S3-compatible storage: `s3://bucket/prefix` as a content root.

Listing gives each object's size, last-modified time and ETag where a folder gives size,
mtime and ctime: the last-modified time stands for the mtime, and the ETag for the ctime, so
the incremental rules are the folder's (an object whose size, time and ETag held is not read
again). Objects are read by downloading a batch into a local folder, which the parser reads
as it reads content on disk. boto3 finds the credentials and the endpoint in the AWS SDK's
environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL`).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .scan import Entry, mtime_ns, shown_path

# Downloads in flight per batch: S3 answers each request in tens of milliseconds.
_DOWNLOADS = 16


def is_s3(root: str | Path) -> bool:
    """Whether a content root is on S3."""
    return str(root).startswith("s3://")


def bucket_and_prefix(url: str) -> tuple[str, str]:
    """`s3://bucket/a/b` -> ("bucket", "a/b/"): the prefix ends with a slash unless empty."""
    parts = urlsplit(url)
    prefix = parts.path.lstrip("/")
    return parts.netloc, (prefix.rstrip("/") + "/") if prefix else ""


@cache
def client():
    """A boto3 S3 client from the environment (one per process)."""
    import boto3

    return boto3.client("s3")


def scan_s3(url: str) -> Iterator[Entry]:
    """Every object under the prefix, skipping hidden paths (a part starting with a dot)."""
    bucket, prefix = bucket_and_prefix(url)
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    for page in pages:
        for item in page.get("Contents", []):
            relpath = item["Key"][len(prefix) :]
            if (
                not relpath
                or relpath.endswith("/")
                or any(part.startswith(".") for part in relpath.split("/"))
            ):
                continue
            shown = shown_path(relpath)
            # S3 keeps times to the second or millisecond: the float is exact at that grain.
            mtime = mtime_ns(round(item["LastModified"].timestamp() * 1_000_000) * 1000)
            yield Entry(
                shown,
                item["Size"],
                mtime,
                etag_number(item.get("ETag", "")),
                "file",
                relpath if shown != relpath else "",
            )


def etag_number(etag: str) -> int:
    """An ETag as a number that fits the manifest's ctime column (60 bits of its hex)."""
    digits = "".join(ch for ch in etag.lower() if ch in "0123456789abcdef")
    return int(digits[:15] or "0", 16)


def fetch(url: str, entries: list[Entry], folder: Path) -> None:
    """Download the entries' objects into `folder`, at their relative paths."""
    bucket, prefix = bucket_and_prefix(url)
    s3 = client()

    def download(entry: Entry) -> None:
        target = folder / entry.os_path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            s3.download_file(bucket, prefix + entry.os_path, str(target))
        except Exception:  # noqa: BLE001 - gone or unreadable: the parse finds no file
            target.unlink(missing_ok=True)

    with ThreadPoolExecutor(_DOWNLOADS) as pool:
        list(pool.map(download, [entry for entry in entries if entry.kind == "file"]))
