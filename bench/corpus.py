"""The benchmarks' corpus: generated once per size, seed and profile, walked and warmed alike."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

# Present only while the corpus is complete and unedited; see `CorpusEdits`.
_MARKER = ".complete"


def arguments(
    description: str,
    *,
    files: int = 100_000,
    repeat: int = 3,
    json_output: bool = False,
    extra: tuple[tuple[tuple[str, ...], dict], ...] = (),
) -> argparse.Namespace:
    """The options every benchmark takes: corpus size, seed and profile, runs, where to work."""
    from pipelines.generate import PROFILES

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--files", type=int, default=files)
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="default",
        help="corpus shape: default, or real (a site's export history; see newsdw generate)",
    )
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-bench"
    )
    if json_output:
        parser.add_argument("--json", type=Path, help="also write every figure to this file")
    for flags, options in extra:
        parser.add_argument(*flags, **options)
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> Path:
    """The corpus the options name, generated on first use."""
    # The default profile keeps its historical folder name, so existing corpora are reused.
    suffix = "" if args.profile == "default" else f"-{args.profile}"
    content = args.workdir / f"content-{args.files}-{args.seed}{suffix}"
    generate(content, args.files, args.seed, args.profile)
    return content


def walk(root: Path):
    """Every content file under `root`, skipping hidden paths as the ingest does."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in names:
            if not name.startswith("."):
                yield Path(folder) / name


def generate(content: Path, files: int, seed: int, profile: str = "default") -> None:
    """Write the corpus unless a complete one is already there."""
    marker = content / _MARKER
    if marker.exists():
        return
    from pipelines.generate import generate_corpus

    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    generate_corpus(content, files, seed, profile=profile)
    marker.write_text("ok")
    print(f"generated {files:,} files ({profile} profile) in {time.perf_counter() - started:.1f} s")


def warm(content: Path) -> None:
    """Read every file, so that the page cache holds the corpus."""
    for path in walk(content):
        path.read_bytes()


class CorpusEdits:
    """Edits to a generated corpus, undone on exit: original bytes and times put back.

    The completeness marker is removed while edits may be in place, so a run that dies
    before restoring makes the next run generate the corpus afresh instead of measuring an
    edited one.
    """

    def __init__(self, content: Path) -> None:
        self.content = content
        self.originals: dict[Path, tuple[bytes, int, int]] = {}

    def __enter__(self) -> CorpusEdits:
        (self.content / _MARKER).unlink(missing_ok=True)
        return self

    def rewrite(self, path: Path, data: bytes) -> None:
        """Replace a file's bytes, remembering the first original of each file."""
        if path not in self.originals:
            stat = path.stat()
            self.originals[path] = (path.read_bytes(), stat.st_atime_ns, stat.st_mtime_ns)
        path.write_bytes(data)

    def __exit__(self, *exc_info: object) -> None:
        for path, (data, atime_ns, mtime_ns) in self.originals.items():
            path.write_bytes(data)
            os.utime(path, ns=(atime_ns, mtime_ns))
        self.originals.clear()
        (self.content / _MARKER).write_text("ok")
