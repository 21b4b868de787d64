"""Shared fixtures: a small content corpus that exercises every quarantine kind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def article(title: str, url: str, **fields: str) -> str:
    """A small valid content file."""
    lines = ["---", f'title: "{title}"', f"sourceUrl: {url}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n---\nSome body words here.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A content root with good files, one broken file per quarantine kind, and hidden files."""
    return write_corpus(tmp_path / "content")


def write_corpus(root: Path) -> Path:
    """Write the `corpus` fixture's files under `root`."""
    (root / "2020").mkdir(parents=True)
    (root / "broken").mkdir()
    (root / ".git").mkdir()
    files = {
        "2020/a.txt": article("Alpha &amp; Omega", "https://www.Example.com/a/?utm_source=x&id=1"),
        "2020/b.txt": article("Beta", "http://news.example.org/b#top", quality="120"),
        "2020/crlf.txt": article("Gamma", "https://c.example.net/c").replace("\n", "\r\n"),
        "broken/empty.txt": "",
        "broken/no_fm.txt": "just text\n",
        "broken/unclosed.txt": "---\ntitle: x\n",
        "broken/dupe.txt": "---\ntitle: x\ntitle: y\nsourceUrl: https://x.com/\n---\n",
        "broken/tag.txt": "---\ntitle: !!python/object/apply:os.system ['ls']\n---\n",
        "broken/list.txt": "---\n- a\n- b\n---\n",
        "broken/notitle.txt": "---\nsourceUrl: https://x.com/\n---\n",
        "broken/badurl.txt": '---\ntitle: "x"\nsourceUrl: ftp://x.com/\n---\n',
        ".git/config": "ignored",
        "2020/.draft.md": "ignored too",
    }
    for name, text in files.items():
        (root / name).write_bytes(text.encode("utf-8"))
    (root / "broken/latin1.txt").write_bytes(
        b'---\ntitle: "caf\xe9"\nsourceUrl: https://x.com\n---\n'
    )
    with open(root / "broken/huge.txt", "wb") as handle:
        handle.truncate(8 * 1024 * 1024 + 1)
    (root / "broken/link.txt").symlink_to("../2020/a.txt")
    os.mkfifo(root / "broken/pipe")
    return root
