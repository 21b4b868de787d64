"""Versions of what made the warehouse: the parsing rules, and the code and models.

Each is a digest of source files and library versions. The manifest keeps the rules version
per file, so a changed rule or parser re-derives every row the old one made. The others are
the Dagster code versions of the assets: with the raw layer's data version, they tell a build
that finds nothing new whether there is anything to do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

_PIPELINES = Path(__file__).resolve().parent
_ROOT = _PIPELINES.parent


def digest(files: Iterable[Path], libraries: Iterable[str] = ()) -> str:
    """A short digest of the files' names and bytes and of the libraries' versions."""
    hasher = hashlib.sha256()
    for path in files:
        hasher.update(f"{path.relative_to(_ROOT)}\0".encode() + path.read_bytes() + b"\0")
    for library in libraries:
        hasher.update(f"{library}=={version(library)}\0".encode())
    return hasher.hexdigest()[:16]


RULES_VERSION = digest(
    [
        *sorted((_PIPELINES / "frontmatter").glob("*.py")),
        _PIPELINES / "ingest" / "batch.py",
        _PIPELINES / "ingest" / "schema.py",
    ],
    ("pyyaml", "yaml-rs", "orjson"),
)


# The code that turns raw rows into tables: the store and the model runner, and DuckDB.
ENGINE_VERSION = digest(
    [
        *sorted((_PIPELINES / "store").glob("*.py")),
        *sorted((_PIPELINES / "models").glob("*.py")),
    ],
    ("duckdb", "duckdb-extension-ducklake"),
)


def model_version(sql_file: Path) -> str:
    """The code version of a model's table: its SQL file and the engine that builds it."""
    hasher = hashlib.sha256(f"{ENGINE_VERSION}\0".encode())
    hasher.update(Path(sql_file).read_bytes())
    return hasher.hexdigest()[:16]


@cache
def dashboards_version() -> str:
    """The code version of the pages: every file of `dashboards/`, and Plotly."""
    files = [path for path in sorted((_ROOT / "dashboards").rglob("*")) if path.is_file()]
    files = [path for path in files if "__pycache__" not in path.parts]
    return digest(files, ("plotly", "jinja2"))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (of nothing when it does not exist)."""
    if not path.exists():
        return hashlib.sha256().hexdigest()
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
