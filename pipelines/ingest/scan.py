"""Listing a content root: every entry that must end up as an article or in quarantine."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Entry:
    """One non-hidden entry under the content root, as `lstat` saw it."""

    path: str  # relative to the root, with "/" separators
    size: int
    mtime_ns: int
    kind: str  # "file", "symlink" or "special"


def scan(root: Path) -> list[Entry]:
    """Every entry below `root`, skipping hidden paths and never following symbolic links."""
    if not root.is_dir():
        raise FileNotFoundError(f"content folder {root} does not exist or is not a folder")
    entries: list[Entry] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith("."):
                    continue
                info = item.stat(follow_symlinks=False)
                relpath = prefix + item.name
                if stat.S_ISDIR(info.st_mode):
                    stack.append((item.path, relpath + "/"))
                    continue
                if stat.S_ISREG(info.st_mode):
                    kind = "file"
                elif stat.S_ISLNK(info.st_mode):
                    kind = "symlink"
                else:
                    kind = "special"
                entries.append(Entry(relpath, info.st_size, info.st_mtime_ns, kind))
    entries.sort(key=lambda entry: entry.path)
    return entries
