"""The benchmarks' corpus: generated once per size and seed, walked and warmed alike."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path


def arguments(description: str) -> argparse.Namespace:
    """The options every benchmark takes: corpus size and seed, runs, and where to work."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-bench"
    )
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> Path:
    """The corpus the options name, generated on first use."""
    content = args.workdir / f"content-{args.files}-{args.seed}"
    generate(content, args.files, args.seed)
    return content


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
