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


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """A warehouse built through Dagster from corpora of both profiles and a few edge cases."""
    import dagster as dg

    from pipelines.defs.ingest import raw_files
    from pipelines.defs.models import warehouse_tables
    from pipelines.generate import generate_corpus
    from pipelines.resources import NewsdwPaths

    root = tmp_path_factory.mktemp("generated")
    content = root / "content"
    generate_corpus(content, 1500, seed=97)
    # A site's history beside it: articles republished in many files, with the other outlets'
    # coverage of their news in their related lists, so the story marts have shared stories.
    generate_corpus(content / "site-history", 4000, seed=97, profile="real")
    # Cases the generator makes rarely: a same-time duplicate and offsets across a month.
    (content / "extra").mkdir()
    for name, when in [("a.txt", "2023-01-31T23:30:00-05:00"), ("b.txt", "2023-02-01T01:00+03:00")]:
        (content / "extra" / name).write_text(
            article(name, "https://Extra.example.com/same/", publishedDateTime=when, quality="50")
        )
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    assert dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths}).success
    return paths
