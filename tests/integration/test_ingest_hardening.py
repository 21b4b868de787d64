"""Content trees and runs that once stopped every build: odd mtimes, vanishing files, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipelines.ingest import ingest, run, scan
from pipelines.ingest.manifest import load_manifest, request_full_read
from tests.conftest import article
from tests.helpers import publish

DEADLINE = 300  # seconds; generous, for a loaded two-core machine


def write(root: Path, name: str, title: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article(title, f"https://x.com/{title.lower()}"))
    return path


class _Listing(list):
    """A folder listing as os.scandir returns it: iterable, and a context manager."""

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def close(self) -> None:
        pass


def test_an_mtime_past_2262_is_ingested(tmp_path: Path) -> None:
    root = tmp_path / "content"
    late = write(root, "late.txt", "Late")
    write(root, "now.txt", "Now")
    year_2300 = 10_413_792_000 * 10**9  # past the Int64 nanosecond range (touch -d 2300-01-01)
    os.utime(late, ns=(year_2300, year_2300))

    result = ingest(root, tmp_path / "wh")
    assert (result.files_seen, result.articles) == (2, 2)
    con = publish(tmp_path / "wh")
    assert con.execute(
        "select source_path, year(file_mtime) >= 2262 from raw.articles order by 1"
    ).fetchall() == [("late.txt", True), ("now.txt", False)]
    assert ingest(root, tmp_path / "wh").files_parsed == 0


def test_mtimes_outside_int64_nanoseconds_are_held_at_its_bounds() -> None:
    # ext4 itself stops at 1901, so the early side is checked on the scan's rule alone.
    late, early = scan.mtime_ns(10**19), scan.mtime_ns(-(10**19))
    assert late == scan.mtime_ns(2**63) and -(2**63) < early == scan.mtime_ns(-(2**64))
    con = duckdb.connect()
    # Finite, not DuckDB's infinities, both as the load reads them and as nanoseconds.
    assert con.execute(
        "select year(make_timestamp(?::bigint // 1000)), year(make_timestamp(?::bigint // 1000)),"
        " isfinite(make_timestamp_ns(?)), isfinite(make_timestamp_ns(?))",
        [late, early, late, early],
    ).fetchone() == (2262, 1677, True, True)
    assert scan.mtime_ns(1_600_000_000 * 10**9) == 1_600_000_000 * 10**9


def test_a_file_deleted_between_listing_and_stat_is_gone(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "content"
    write(root, "stays.txt", "Stays")
    doomed = write(root, "sub/doomed.txt", "Doomed")
    real_scandir = os.scandir

    def scandir(path):
        listing = list(real_scandir(path))
        if Path(path) == doomed.parent:
            doomed.unlink()  # right after the listing saw it
        return _Listing(listing)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    result = ingest(root, tmp_path / "wh")
    assert (result.files_seen, result.articles, result.quarantined) == (1, 1, 0)


def test_a_folder_deleted_before_it_is_listed_is_gone(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "content"
    write(root, "stays.txt", "Stays")
    doomed = write(root, "sub/doomed.txt", "Doomed")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == doomed.parent:
            doomed.unlink()
            doomed.parent.rmdir()
        return real_scandir(path)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    result = ingest(root, tmp_path / "wh")
    assert (result.files_seen, result.articles, result.quarantined) == (1, 1, 0)


def test_a_file_deleted_between_scan_and_read_is_unreadable(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "content"
    write(root, "stays.txt", "Stays")
    doomed = write(root, "doomed.txt", "Doomed")
    real_scan = run.scan

    def scan_then_delete(folder):
        entries = list(real_scan(folder))
        doomed.unlink()  # after the scan, before the parse reads it
        yield from entries

    monkeypatch.setattr(run, "scan", scan_then_delete)
    result = ingest(root, tmp_path / "wh")
    monkeypatch.undo()
    assert (result.articles, result.quarantine_by_kind) == (1, {"unreadable": 1})
    con = publish(tmp_path / "wh")
    assert con.execute("select source_path, error_kind from raw.quarantine").fetchall() == [
        ("doomed.txt", "unreadable")
    ]
    # Next time it is simply gone.
    again = ingest(root, tmp_path / "wh")
    assert (again.files_deleted, again.quarantined) == (1, 0)


class _Unsearchable:
    """A directory entry of a folder listed but not searchable (mode r--): stat is refused."""

    def __init__(self, entry: os.DirEntry):
        self.name, self.path = entry.name, entry.path

    def stat(self, follow_symlinks: bool = True) -> os.stat_result:
        raise PermissionError(13, "Permission denied", self.path)


def test_a_folder_listable_but_not_searchable_gives_unreadable_rows(
    tmp_path: Path, monkeypatch
) -> None:
    # Tests run as root here, which chmod cannot lock out; the scan sees what r-- gives.
    root = tmp_path / "content"
    write(root, "ok.txt", "Ok")
    locked = root / "locked"
    write(locked, "a.txt", "A")
    (locked / "inner").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        listing = list(real_scandir(path))
        if Path(path) == locked:
            return _Listing(_Unsearchable(entry) for entry in listing)
        return _Listing(listing)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    result = ingest(root, tmp_path / "wh")
    assert result.quarantine_by_kind == {"unreadable": 2}
    again = ingest(root, tmp_path / "wh")
    assert again.files_parsed == 0  # unchanged: not re-read every build
    monkeypatch.undo()
    con = publish(tmp_path / "wh")
    quarantined = con.execute(
        "select source_path, error_kind, message from raw.quarantine order by 1"
    ).fetchall()
    assert [row[:2] for row in quarantined] == [
        ("locked/a.txt", "unreadable"),
        ("locked/inner", "unreadable"),
    ]
    assert all("Permission denied" in row[2] for row in quarantined)
    # Once the folder is searchable again, its files are read.
    fixed = ingest(root, tmp_path / "wh")
    assert (fixed.articles, fixed.quarantined) == (2, 0)


def test_undecodable_name_and_its_literal_escape_stay_distinct(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    raw_name = os.fsencode(root) + b"/a_\xff.txt"
    with open(raw_name, "wb") as handle:
        handle.write(article("Raw", "https://x.com/raw").encode())
    (root / "a_\\xff.txt").write_text(article("Literal", "https://x.com/literal"))
    (root / "plain.txt").write_text(article("Plain", "https://x.com/plain"))

    result = ingest(root, tmp_path / "wh")
    assert (result.files_seen, result.articles) == (3, 3)
    con = publish(tmp_path / "wh")
    assert con.execute("select source_path, title from raw.articles order by 1").fetchall() == [
        ("a_\\\\xff.txt", "Literal"),
        ("a_\\xff.txt", "Raw"),
        ("plain.txt", "Plain"),
    ]
    assert ingest(root, tmp_path / "wh").files_parsed == 0


def test_full_read_rereads_every_file_once(tmp_path: Path) -> None:
    root, warehouse = tmp_path / "content", tmp_path / "wh"
    write(root, "a.txt", "Aaaa")
    ingest(root, warehouse)
    publish(warehouse).close()

    request_full_read(warehouse)
    result = ingest(root, warehouse)
    assert (result.files_parsed, result.files_unchanged) == (1, 0)
    con = publish(warehouse)
    assert con.execute("select title from raw.articles").fetchall() == [("Aaaa",)]
    con.close()
    # A full read is asked for once: the next ingest is incremental again.
    assert ingest(root, warehouse).files_parsed == 0


_KILLED_INGEST = """
import os, sys, threading
from pathlib import Path
from pipelines.ingest import files, ingest

content, warehouse, ready = map(Path, sys.argv[1:4])
real_replace = os.replace

def replace(source, target):
    if Path(target).name == "manifest.parquet":
        ready.write_text("about to commit")
        threading.Event().wait()  # until the test kills this process
    real_replace(source, target)

files.os.replace = replace
ingest(content, warehouse)
"""


def test_temporary_files_left_by_a_killed_ingest_are_removed_by_the_next(tmp_path: Path) -> None:
    root, warehouse = tmp_path / "content", tmp_path / "wh"
    write(root, "a.txt", "A")
    ingest(root, warehouse)
    write(root, "b.txt", "B")
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_INGEST, str(root), str(warehouse), str(ready)],
        cwd=Path(__file__).parents[2],
    )
    try:
        deadline = time.monotonic() + DEADLINE
        while not ready.exists() and child.poll() is None:
            assert time.monotonic() < deadline, "the ingest never reached its commit"
            time.sleep(0.05)
        assert child.poll() is None, "the ingest ended before it was killed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert [p for p in (warehouse / "raw").rglob("*") if p.name.endswith(".tmp")]

    result = ingest(root, warehouse)
    assert result.articles == 2
    referenced = set(load_manifest(warehouse)["part"].drop_nulls())
    on_disk = {p.relative_to(warehouse / "raw").as_posix() for p in (warehouse / "raw").rglob("*")}
    assert on_disk == {"manifest.parquet", "articles"} | {f"articles/{p}" for p in referenced}


def test_leftovers_are_removed_even_when_nothing_changed(tmp_path: Path) -> None:
    root, warehouse = tmp_path / "content", tmp_path / "wh"
    write(root, "a.txt", "A")
    ingest(root, warehouse)
    raw = warehouse / "raw"
    # What a kill leaves: temporaries of the atomic writes, an uncommitted part, a batch folder.
    (raw / ".manifest.parquet.0123.tmp").write_bytes(b"PAR1")
    (raw / "articles" / ".part-0123.parquet.4567.tmp").write_bytes(b"PAR1")
    (raw / "articles" / "part-uncommitted.parquet").write_bytes(b"PAR1")
    (raw / "normalised" / ".batch-0123").mkdir(parents=True)

    assert ingest(root, warehouse).files_parsed == 0
    referenced = set(load_manifest(warehouse)["part"].drop_nulls())
    on_disk = {p.relative_to(raw).as_posix() for p in raw.rglob("*")}
    assert on_disk == {"manifest.parquet", "articles", "normalised"} | {
        f"articles/{p}" for p in referenced
    }
