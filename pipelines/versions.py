"""Versions of what made the warehouse: the parsing rules, and the code and models.

Each is a digest of source files and library versions. The manifest keeps the rules version
per file, so a changed rule or parser re-derives every row the old one made; the build key
(manifest + code) tells a build that finds nothing new that there is nothing to do.
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


@cache
def code_version() -> str:
    """The digest of the code, models and pages that turn the manifest into the warehouse."""
    files = [
        path
        for folder in ("pipelines", "sql", "dashboards")
        for path in sorted((_ROOT / folder).rglob("*"))
        if path.is_file() and path.suffix in {".py", ".sql", ".html", ".js", ".css", ".svg"}
    ]
    return digest(files, ("dagster", "duckdb", "polars", "plotly"))


def build_key(manifest_digest: str) -> str:
    """What a warehouse built from this manifest by this code is keyed by."""
    return hashlib.sha256(f"{manifest_digest}\0{code_version()}".encode()).hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (of nothing when it does not exist)."""
    if not path.exists():
        return hashlib.sha256().hexdigest()
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
