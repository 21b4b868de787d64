"""The version of the parsing and normalisation rules that made a raw row.

It changes with the source of the parser (pipelines/frontmatter/), of the batch that turns
its records into part files, and with the versions of the YAML and JSON libraries; the
manifest keeps it per file, so a changed rule re-derives every row the old one made.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

_HERE = Path(__file__).parent
_SOURCES = [
    *sorted((_HERE.parent / "frontmatter").glob("*.py")),
    _HERE / "batch.py",
    _HERE / "schema.py",
]
_LIBRARIES = ("pyyaml", "yaml-rs", "orjson")


def _rules_version() -> str:
    digest = hashlib.sha256()
    for source in _SOURCES:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()[:16]


RULES_VERSION = _rules_version()
