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

from .. import versions
from ..store.lock import writer_lock
from .batch import parse_batch
from .leftovers import remove_leftovers
from .manifest import (
    FileState,
    file_states,
    full_read_mark,
    load_manifest,
    manifest_path,
    next_manifest,
    parts_dir,
    save_manifest,
)
from .s3 import is_s3, scan_s3
from .scan import Entry, scan
from .shards import Shard

# Below this many files to read, worker start-up costs more than it saves.
PARALLEL_THRESHOLD = 4_000
# Small enough that the processes finish together; large enough to amortise each part file.
BATCH_FILES = 2_000

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
    manifest_digest: str = ""  # the data version of the raw layer

    @property
    def changed(self) -> bool:
        """Whether the manifest (and so the raw tables) changed."""
        return self.files_parsed > 0 or self.files_deleted > 0


def ingest(
    content: Path | str,
    warehouse: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    full: bool = False,
    shard: Shard | None = None,
) -> IngestResult:
    """Bring the warehouse's raw Parquet up to date with the content folder (or S3 prefix).

    `full` (or a full read requested in the warehouse) re-reads every file, changed or not.
    `shard`: only the files of that shard are seen; the manifest is that shard's.
    """
    say = progress or (lambda message: None)
    content = content if is_s3(content) else Path(content).resolve()
    warehouse = Path(warehouse).resolve()
    with writer_lock(warehouse, say):
        remove_leftovers(warehouse)
        mark = full_read_mark(warehouse)
        full = full or mark.exists()
        if full:
            say("reading every content file again (full read)")
        result = _ingest(content, warehouse, workers, say, full, shard)
        # Only once the manifest is committed: a killed full read is still owed.
        mark.unlink(missing_ok=True)
        return result


def _ingest(
    content: Path | str,
    warehouse: Path,
    workers: int | None,
    say: Progress,
    full: bool,
    shard: Shard | None,
) -> IngestResult:
    started = time.perf_counter()
    states = file_states(warehouse)
    seen = matched = 0
    kept: list[str] = []
    moved: dict[str, tuple[int, int, int]] = {}
    touched: list[Entry] = []
    with _Parser(content, warehouse, workers or os.cpu_count() or 1, say) as parser:
        # Parsing starts while the scan goes on: a large first build keeps both going.
        entries = scan_s3(content) if is_s3(content) else scan(content)
        for entry in entries:
            if shard is not None and not shard.holds(entry.path):
                continue
            seen += 1
            old = states.get(entry.path)
            matched += old is not None
            verdict = "read" if full else _compare(entry, old)
            if verdict == "same":
                kept.append(entry.path)
            elif verdict == "touched":
                touched.append(entry)
            else:
                parser.add(entry)
        of = f" of shard {shard.key}" if shard is not None else ""
        say(f"scanned {seen:,} files{of} under {content} ({len(states):,} in the manifest)")
        for entry in touched:
            # An object's ETag (its "ctime") moved: new bytes.
            if not is_s3(content) and _same_bytes(content, entry, states[entry.path].sha256):
                kept.append(entry.path)
                moved[entry.path] = (entry.size, entry.mtime_ns, entry.ctime_ns)
            else:
                parser.add(entry)
        # The states are a Python object per file (about half a GB at a million files): let
        # them go before the parse and the new manifest need memory.
        known = len(states)
        kinds = [state.error_kind for state in states.values()]
        del states
        fresh = parser.finish()

    result = IngestResult(files_seen=seen, files_unchanged=len(kept))
    result.files_deleted = known - matched
    result.files_parsed = len(fresh)
    if fresh or moved or result.files_deleted:
        manifest = next_manifest(load_manifest(warehouse), kept, moved, fresh)
        save_manifest(warehouse, manifest)
        remove_leftovers(warehouse)
        kinds = manifest["error_kind"].to_list()
    # A manifest row is an article exactly when it has no error kind.
    by_kind = Counter(kinds)
    result.articles = by_kind.pop(None, 0)
    result.quarantined = sum(by_kind.values())
    result.quarantine_by_kind = dict(sorted(by_kind.items()))
    result.manifest_digest = versions.file_digest(manifest_path(warehouse))
    result.seconds = time.perf_counter() - started
    return result


def _compare(entry: Entry, old: FileState | None) -> str:
    """ "same" (keep the manifest row), "touched" (only the ctime moved) or "read"."""
    if (
        old is None
        or (entry.kind == "file" and old.error_kind == "unreadable")
        or old.rules_version != versions.RULES_VERSION
    ):
        # New files, files we could not read before (permissions may have been fixed), and
        # rows made by other parsing rules.
        return "read"
    if old.size != entry.size or old.mtime_ns != entry.mtime_ns:
        # A new mtime is read again even when the bytes held: raw.articles carries the mtime
        # (it picks an article's winning file), and a re-read row replaces the old one as a
        # changed file's does, with no update of the lake's wide rows.
        return "read"
    if old.ctime_ns == entry.ctime_ns:
        return "same"
    # The same size and mtime with a new ctime may be new bytes (an edit, then `touch -r`);
    # or a chmod, a backup restoring times. The bytes tell. A manifest from before ctime was
    # kept (null) has each file hashed once.
    if entry.kind == "file" and old.sha256 is not None:
        return "touched"
    return "read"


def _same_bytes(content: Path, entry: Entry, digest: str) -> bool:
    """Whether a file whose ctime alone moved still has the bytes it was read with."""
    try:
        return hashlib.sha256((content / entry.os_path).read_bytes()).hexdigest() == digest
    except OSError:
        return False


class _Parser:
    """Parses entries in batches as they arrive: here, and in worker processes once many."""

    def __init__(self, content: Path, warehouse: Path, workers: int, say: Progress):
        self.root = str(content)
        self.out = parts_dir(warehouse)
        self.workers = workers
        self.say = say
        self.batch: list[Entry] = []
        self.queue: deque[list[Entry]] = deque()
        self.added = 0
        self.pool: ProcessPoolExecutor | None = None
        self.in_flight: set[Future] = set()
        self.rows: list[tuple] = []
        self.last_report = time.perf_counter()

    def __enter__(self) -> _Parser:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def add(self, entry: Entry) -> None:
        """Queue one entry; start the workers once there is enough to share."""
        self.batch.append(entry)
        self.added += 1
        if len(self.batch) >= BATCH_FILES:
            self.queue.append(self.batch)
            self.batch = []
            if self.workers > 1 and self.added >= PARALLEL_THRESHOLD:
                self._feed()

    def finish(self) -> list[tuple]:
        """Parse what is left, here and in the workers; return every manifest row."""
        if self.batch:
            self.queue.append(self.batch)
            self.batch = []
        if self.queue or self.in_flight:
            where = f"in {self.workers} processes" if self.pool is not None else "in one process"
            self.say(f"parsing {self.added:,} new or changed files {where}")
        while self.queue:
            # This process parses too, rather than wait for the workers.
            self._collect(parse_batch(self.root, self.queue.popleft(), str(self.out)))
            if self.pool is not None:
                self._feed()
        while self.in_flight:
            done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                self.in_flight.discard(future)
                self._collect(future.result())
        return self.rows

    def _feed(self) -> None:
        if self.pool is None:
            self.out.mkdir(parents=True, exist_ok=True)
            # forkserver: this process holds Polars threads, which fork would copy mid-lock.
            context = get_context("forkserver")
            context.set_forkserver_preload([parse_batch.__module__])
            self.pool = ProcessPoolExecutor(self.workers - 1, mp_context=context)
        for future in [future for future in self.in_flight if future.done()]:
            self.in_flight.discard(future)
            self._collect(future.result())
        # Two batches per worker, so a worker never waits for this busy process to feed it.
        while self.queue and len(self.in_flight) < 2 * (self.workers - 1):
            batch = self.queue.popleft()
            self.in_flight.add(self.pool.submit(parse_batch, self.root, batch, str(self.out)))

    def _collect(self, rows: list[tuple]) -> None:
        self.rows.extend(rows)
        if time.perf_counter() - self.last_report > 2:
            self.say(f"parsed {len(self.rows):,}/{self.added:,} files")
            self.last_report = time.perf_counter()
