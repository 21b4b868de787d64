"""Listing a content root: every entry that must end up as an article or in quarantine."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


class Entry(NamedTuple):
    """One non-hidden entry under the content root, as `lstat` saw it."""

    path: str  # relative to the root with "/" separators, as the warehouse shows it
    size: int
    mtime_ns: int
    # The inode's change time: no one can set it back (setting the mtime moves it), so an
    # edit that kept the size and had its mtime restored (`touch -r`) still shows here.
    ctime_ns: int
    # "file", "symlink", "special", "folder" (a folder that cannot be listed) or "unreadable"
    # (a name in a folder that can be listed but not searched, mode r--: it cannot be stat'ed)
    kind: str
    disk_path: str = ""  # relative path on disk, when `path` had to escape its name
    error: str = ""  # why a folder could not be listed, or a name stat'ed

    @property
    def os_path(self) -> str:
        """The relative path to open."""
        return self.disk_path or self.path


def scan(root: Path) -> Iterator[Entry]:
    """Every entry below `root`, skipping hidden paths and never following symbolic links."""
    if not root.is_dir():
        raise FileNotFoundError(f"content folder {root} does not exist or is not a folder")
    stack = [(str(root), "")]
    while stack:
        entries, folders = _list_folder(*stack.pop())
        stack.extend(folders)
        yield from entries


def _list_folder(folder: str, prefix: str) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The entries of one folder, and its sub-folders to list next."""
    entries: list[Entry] = []
    folders: list[tuple[str, str]] = []
    try:
        listing = list(os.scandir(folder))
    except FileNotFoundError:
        if not prefix:
            raise
        return [], []  # removed since its parent was listed: gone, like its files
    except OSError as exc:
        if not prefix:
            raise
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            return [], []
        except OSError:
            info = None
        return [_entry(prefix[:-1], info, "folder", exc.strerror or str(exc))], []
    for item in listing:
        if item.name.startswith("."):
            continue
        relpath = prefix + item.name
        try:
            info = item.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed since the folder was listed: gone
        except OSError as exc:
            entries.append(_entry(relpath, None, "unreadable", exc.strerror or str(exc)))
            continue
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            folders.append((item.path, relpath + "/"))
        elif stat.S_ISREG(mode):
            mtime, ctime = info.st_mtime_ns, info.st_ctime_ns
            if (
                relpath.isascii()
                and "\\" not in relpath
                and _MTIME_MIN <= mtime <= _MTIME_MAX
                and _MTIME_MIN <= ctime <= _MTIME_MAX
            ):
                # tuple.__new__ skips NamedTuple's Python-level constructor: this runs per file.
                entries.append(_new(Entry, (relpath, info.st_size, mtime, ctime, "file", "", "")))
            else:
                entries.append(_entry(relpath, info, "file"))
        elif stat.S_ISLNK(mode):
            entries.append(_entry(relpath, info, "symlink"))
        else:
            entries.append(_entry(relpath, info, "special"))
    return entries, folders


_new = tuple.__new__
# file_mtime_ns (and file_ctime_ns) is Int64 nanoseconds (1677-09-21 to 2262-04-11); DuckDB
# reads its extremes as infinities. A file dated outside is held at the nearest bound, the
# same in every scan, so it is ingested once and compares unchanged afterwards.
_MTIME_MAX = 2**63 - 2
_MTIME_MIN = -_MTIME_MAX


def mtime_ns(value: int) -> int:
    """A file's mtime (or ctime) in nanoseconds, held within what the manifest can store."""
    return min(max(value, _MTIME_MIN), _MTIME_MAX)


def shown_path(relpath: str) -> str:
    """The path as the warehouse shows it: undecodable bytes as \\xNN, a backslash as \\\\.

    Escaping the escape character keeps the mapping one-to-one: the raw byte name
    `a_<0xff>.txt` shows as `a_\\xff.txt`, the literal name `a_\\xff.txt` as `a_\\\\xff.txt`.
    """
    shown = relpath.replace("\\", "\\\\")
    if not shown.isascii():
        try:
            shown.encode("utf-8")
        except UnicodeEncodeError:
            # A name that is not UTF-8 keeps its bytes on disk; the warehouse shows them escaped.
            shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown


def _entry(relpath: str, info: os.stat_result | None, kind: str, error: str = "") -> Entry:
    shown = shown_path(relpath)
    disk = relpath if shown != relpath else ""
    if info is None:  # not stat'ed: nothing changes between scans until it can be
        return Entry(shown, 0, 0, 0, kind, disk, error)
    mtime, ctime = mtime_ns(info.st_mtime_ns), mtime_ns(info.st_ctime_ns)
    return Entry(shown, info.st_size, mtime, ctime, kind, disk, error)


class Fingerprint(NamedTuple):
    """What a content root looks like from its listing alone: no file is opened."""

    files: int
    bytes: int
    digest: str  # over every entry's path, size, mtime, ctime and kind, in path order

    def to_cursor(self) -> str:
        """The fingerprint as a sensor cursor."""
        return json.dumps(self._asdict())

    @classmethod
    def from_cursor(cls, cursor: str | None) -> Fingerprint | None:
        """The fingerprint a cursor holds, or None for no (or an unreadable) cursor."""
        try:
            return cls(**json.loads(cursor)) if cursor else None
        except (TypeError, ValueError):
            return None


def fingerprint(root: Path) -> Fingerprint:
    """The fingerprint of `root`: it changes when a file is added, changed or removed."""
    entries = sorted(scan(root))
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(
            f"{entry.path}\0{entry.size}\0{entry.mtime_ns}\0{entry.ctime_ns}\0{entry.kind}\n".encode()
        )
    return Fingerprint(len(entries), sum(entry.size for entry in entries), digest.hexdigest())
