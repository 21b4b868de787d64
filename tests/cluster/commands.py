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
