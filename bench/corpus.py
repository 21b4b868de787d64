"""The benchmarks' corpus: generated once per size and seed, walked and warmed alike."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path


def walk(root: Path):
    """Every content file under `root`, skipping hidden paths as the ingest does."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in names:
            if not name.startswith("."):
                yield Path(folder) / name


def generate(content: Path, files: int, seed: int) -> None:
    """Write the corpus unless a complete one is already there."""
    marker = content / ".complete"
    if marker.exists():
        return
    from pipelines.generate import generate_corpus

    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    generate_corpus(content, files, seed)
    marker.write_text("ok")
    print(f"generated {files:,} files in {time.perf_counter() - started:.1f} s")


def warm(content: Path) -> None:
    """Read every file, so that the page cache holds the corpus."""
    for path in walk(content):
        path.read_bytes()
