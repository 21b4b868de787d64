"""Content trees that try to break the scan: odd names, unreadable folders, deep nesting."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.ingest import ingest
from tests.conftest import article
from tests.helpers import publish


def test_file_name_that_is_not_utf8_is_ingested_under_an_escaped_path(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    name = os.fsencode(root) + b"/caf\xe9.txt"
    with open(name, "wb") as handle:
        handle.write(article("Cafe", "https://x.com/cafe").encode())
    (root / "plain.txt").write_text(article("Plain", "https://x.com/plain"))

    result = ingest(root, tmp_path / "wh")
    assert (result.files_seen, result.articles) == (2, 2)
    con = publish(tmp_path / "wh")
    assert con.execute("select source_path, title from raw.articles order by 1").fetchall() == [
        ("caf\\xe9.txt", "Cafe"),
        ("plain.txt", "Plain"),
    ]
    assert ingest(root, tmp_path / "wh").files_parsed == 0


def test_folder_that_cannot_be_listed_is_quarantined(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "content"
    (root / "locked").mkdir(parents=True)
    (root / "ok.txt").write_text(article("Ok", "https://x.com/ok"))
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = ingest(root, tmp_path / "wh")
    monkeypatch.undo()
    con = publish(tmp_path / "wh")
    assert result.files_seen == 2
    assert con.execute(
        "select source_path, error_kind from raw.quarantine order by 1"
    ).fetchall() == [("locked", "unreadable")]
    message = con.execute("select message from raw.quarantine order by 1").fetchone()[0]
    assert "Permission denied" in message
