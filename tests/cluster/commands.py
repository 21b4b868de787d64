"""Running `newsdw` as a user runs it, and looking for what must not be written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NEWSDW = [sys.executable, "-c", "from pipelines.cli import main; main()"]


def newsdw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """One `newsdw` command, its output captured."""
    return subprocess.run([*NEWSDW, *args], capture_output=True, text=True, env=env, timeout=600)


def files_holding(folder: Path, needle: bytes) -> list[Path]:
    """The files under `folder` whose bytes contain `needle`."""
    return [path for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


def places_holding(secret: str, *, pg, s3, lake, folders: list[Path], databases: tuple = ()):
    """Where a secret is kept: the lake's catalog and the other databases named (a Dagster
    instance's runs and events), the objects of the lake's bucket (content, data files,
    manifests) and the local files (warehouse, logs) whose bytes contain it."""
    needle = secret.encode()
    bucket = lake.data[len("s3://") :].split("/", 1)[0]
    names = [database_of(lake.catalog), *databases]
    found = [f"database {name}" for name in names if needle in pg.dump(name)]
    found += [f"s3://{bucket}/{key}" for key, data in s3.objects(bucket) if needle in data]
    return found + [str(path) for folder in folders for path in files_holding(folder, needle)]


def database_of(catalog: str) -> str:
    """The database a `postgres:` catalog setting names."""
    return catalog.split("dbname=")[1].split()[0]
