"""One incremental ingest: scan the content root, re-read what changed, commit the manifest."""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .batch import parse_batch
from .compact import compact_if_needed
from .manifest import load_manifest, parts_dir, save_manifest
from .scan import Entry, scan

# Below this many files to read, worker start-up costs more than it saves.
PARALLEL_THRESHOLD = 4_000
# Small enough that the processes finish together; large enough to amortise each part file.
BATCH_FILES = 1_000

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    """What one ingest saw and did."""

    files_seen: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    files_deleted: int = 0
    articles: int = 0
    quarantined: int = 0
    quarantine_by_kind: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """Whether the manifest (and so the raw tables) changed."""
        return self.files_parsed > 0 or self.files_deleted > 0


def ingest(
    content: Path, warehouse: Path, *, workers: int | None = None, progress: Progress | None = None
) -> IngestResult:
    """Bring the warehouse's raw Parquet up to date with the content folder."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    content, warehouse = Path(content).resolve(), Path(warehouse).resolve()
    entries = scan(content)
    previous = load_manifest(warehouse)
    say(f"scanned {len(entries):,} files under {content} ({len(previous):,} in the manifest)")

    kept, to_read, touched = _diff(entries, previous)
    kept.extend(_confirm_touched(content, touched, previous, to_read))
    result = IngestResult(files_seen=len(entries), files_unchanged=len(kept))
    result.files_deleted = len(previous.keys() - {entry.path for entry in entries})
    result.files_parsed = len(to_read)

    fresh = _parse(content, warehouse, to_read, workers, say) if to_read else []
    rows = kept + fresh
    if result.changed or len(rows) != len(previous) or _metadata_changed(kept, previous):
        frame = save_manifest(warehouse, rows)
        compact_if_needed(warehouse, frame, say)
    statuses = Counter(row[4] for row in rows)
    result.articles = statuses["article"]
    result.quarantined = statuses["quarantine"]
    result.quarantine_by_kind = dict(
        sorted(Counter(row[6] for row in rows if row[4] == "quarantine").items())
    )
    result.seconds = time.perf_counter() - started
    return result


def _diff(entries: list[Entry], previous: dict[str, tuple]):
    """Split entries into unchanged manifest rows, files to read, and files only touched."""
    kept, to_read, touched = [], [], []
    for entry in entries:
        old = previous.get(entry.path)
        if old is None or (entry.kind == "file" and old[6] == "unreadable"):
            # New files, and files we could not read before (permissions may have been fixed).
            to_read.append(entry)
        elif old[1] == entry.size and old[2] == entry.mtime_ns:
            kept.append(old)
        elif entry.kind == "file" and old[1] == entry.size and old[3] is not None:
            touched.append(entry)
        else:
            to_read.append(entry)
    return kept, to_read, touched


def _confirm_touched(content: Path, touched: list[Entry], previous, to_read: list[Entry]):
    """Files with a new mtime but the same size: keep their rows when the bytes are the same."""
    kept = []
    for entry in touched:
        try:
            digest = hashlib.sha256((content / entry.os_path).read_bytes()).hexdigest()
        except OSError:
            digest = None
        old = previous[entry.path]
        if digest == old[3]:
            kept.append((entry.path, entry.size, entry.mtime_ns) + old[3:])
        else:
            to_read.append(entry)
    return kept


def _metadata_changed(kept: list[tuple], previous: dict[str, tuple]) -> bool:
    return any(previous[row[0]] is not row for row in kept)


def _parse(content: Path, warehouse: Path, entries: list[Entry], workers, say: Progress):
    """Parse entries into new part files, across processes for large batches."""
    out = parts_dir(warehouse)
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    if len(entries) < PARALLEL_THRESHOLD or workers == 1:
        say(f"parsing {len(entries):,} new or changed files")
        return parse_batch(str(content), entries, str(out))
    say(f"parsing {len(entries):,} new or changed files in {workers} processes")
    queue = deque(entries[i : i + BATCH_FILES] for i in range(0, len(entries), BATCH_FILES))
    progress = _Progress(len(entries), say)
    # forkserver: this process may hold Polars/DuckDB threads, which fork would copy mid-lock.
    context = get_context("forkserver")
    context.set_forkserver_preload([parse_batch.__module__])
    with ProcessPoolExecutor(workers - 1, mp_context=context) as pool:
        in_flight: set[Future] = set()

        def collect(futures) -> None:
            for future in futures:
                progress.add(future.result())
                in_flight.discard(future)
            # Two batches per worker, so a worker never waits for this busy process to feed it.
            while queue and len(in_flight) < 2 * (workers - 1):
                in_flight.add(pool.submit(parse_batch, str(content), queue.popleft(), str(out)))

        collect(())
        # This process parses too: it starts at once, while the workers are still starting.
        while queue:
            progress.add(parse_batch(str(content), queue.popleft(), str(out)))
            collect([future for future in in_flight if future.done()])
        while in_flight:
            collect(wait(in_flight, return_when=FIRST_COMPLETED).done)
    return progress.rows


class _Progress:
    """Collects manifest rows and says how far parsing got, every few seconds."""

    def __init__(self, total: int, say: Progress):
        self.rows: list[tuple] = []
        self.total = total
        self.say = say
        self.last = time.perf_counter()

    def add(self, rows: list[tuple]) -> None:
        self.rows.extend(rows)
        if time.perf_counter() - self.last > 2 or len(self.rows) == self.total:
            self.say(f"parsed {len(self.rows):,}/{self.total:,} files")
            self.last = time.perf_counter()
