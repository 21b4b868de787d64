"""Incremental ingest into Parquet and the raw DuckDB tables, on a corpus with every kind."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import versions
from pipelines.frontmatter import fields
from pipelines.ingest import ingest, run
from pipelines.ingest.manifest import load_manifest
from pipelines.ingest.scan import fingerprint
from pipelines.store import lake
from pipelines.store.raw import load_raw
from tests.conftest import article
from tests.helpers import publish

EXPECTED_QUARANTINE = [
    ("broken/badurl.txt", "invalid_field", None),
    ("broken/dupe.txt", "yaml_error", 3),
    ("broken/empty.txt", "no_front_matter", None),
    ("broken/huge.txt", "too_large", None),
    ("broken/latin1.txt", "encoding", 2),
    ("broken/link.txt", "symlink", None),
    ("broken/list.txt", "not_a_mapping", 2),
    ("broken/no_fm.txt", "no_front_matter", 1),
    ("broken/notitle.txt", "missing_field", None),
    ("broken/pipe", "unreadable", None),
    ("broken/tag.txt", "yaml_error", 2),
    ("broken/unclosed.txt", "unclosed_front_matter", 1),
]


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_every_file_is_an_article_or_quarantined(corpus: Path, tmp_path: Path) -> None:
    result = ingest(corpus, tmp_path / "wh")
    con = publish(tmp_path / "wh")

    assert result.files_seen == result.articles + result.quarantined == 15
    assert rows(con, "select source_path, error_kind, line from raw.quarantine order by 1") == (
        EXPECTED_QUARANTINE
    )
    assert rows(
        con,
        "select source_path, title, canonical_url, quality, provider_domain, body_words "
        "from raw.articles order by 1",
    ) == [
        ("2020/a.txt", "Alpha & Omega", "https://example.com/a?id=1", None, "example.com", 4),
        ("2020/b.txt", "Beta", "https://news.example.org/b", 120, "news.example.org", 4),
        ("2020/crlf.txt", "Gamma", "https://c.example.net/c", None, "c.example.net", 4),
    ]
    assert result.quarantine_by_kind["no_front_matter"] == 2
    messages = dict(rows(con, "select source_path, message from raw.quarantine order by 1"))
    assert "title" in messages["broken/notitle.txt"]
    assert "sourceUrl" in messages["broken/badurl.txt"]
    assert "python/object" in messages["broken/tag.txt"]


def test_rebuild_reads_only_new_or_changed_files(corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)

    again = ingest(corpus, warehouse)
    assert (again.files_parsed, again.files_unchanged) == (0, 15)

    (corpus / "2020/b.txt").write_text(article("Beta, revised", "https://news.example.org/b"))
    (corpus / "2020/a.txt").unlink()
    (corpus / "broken/notitle.txt").write_text(article("Fixed", "https://x.com/fixed"))
    (corpus / "2020/new.txt").write_text(article("New", "https://x.com/new"))
    stat = (corpus / "2020/crlf.txt").stat()
    os.utime(corpus / "2020/crlf.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))

    changed = ingest(corpus, warehouse)
    # crlf.txt was only touched, and is read again: its row carries the new mtime.
    assert (changed.files_parsed, changed.files_deleted) == (4, 1)
    assert changed.files_unchanged == 15 - 1 - 3
    con = publish(warehouse)
    assert rows(con, "select source_path, title from raw.articles order by 1") == [
        ("2020/b.txt", "Beta, revised"),
        ("2020/crlf.txt", "Gamma"),
        ("2020/new.txt", "New"),
        ("broken/notitle.txt", "Fixed"),
    ]
    assert ("broken/notitle.txt",) not in rows(
        con, "select source_path from raw.quarantine order by 1"
    )
    mtime = rows(
        con, "select epoch_us(file_mtime) from raw.articles where source_path like '%crlf%'"
    )
    assert mtime == [((stat.st_mtime_ns + 10**9) // 1000,)]


def test_fixed_file_can_break_again(corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    (corpus / "2020/b.txt").write_text("---\ntitle: [unclosed\n---\n")
    result = ingest(corpus, warehouse)
    con = publish(warehouse)
    assert result.articles == 2
    assert rows(con, "select error_kind from raw.quarantine where source_path = '2020/b.txt'") == [
        ("yaml_error",)
    ]


def test_parallel_ingest_matches_serial(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    for i in range(40):
        (corpus / "2020" / f"bulk{i:02}.txt").write_text(article(f"Bulk {i}", f"https://b.io/{i}"))
    ingest(corpus, tmp_path / "serial", workers=1)
    monkeypatch.setattr(run, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(run, "BATCH_FILES", 7)
    ingest(corpus, tmp_path / "parallel", workers=2)
    tables = {}
    for name in ("serial", "parallel"):
        con = publish(tmp_path / name)
        tables[name] = (
            rows(con, "select * exclude (file_mtime) from raw.articles order by 1"),
            rows(con, "select * exclude (file_mtime) from raw.quarantine order by 1"),
        )
    assert tables["serial"] == tables["parallel"]
    assert len(tables["parallel"][0]) == 43


def test_crash_while_writing_keeps_previous_version(corpus: Path, tmp_path: Path, monkeypatch):
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    before = load_manifest(warehouse)
    (corpus / "2020/b.txt").write_text(article("Half written", "https://news.example.org/b"))

    def crash(self, file, *args, **kwargs):
        Path(file).write_bytes(b"PAR1 torn")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", crash)
    with pytest.raises(OSError, match="disk full"):
        ingest(corpus, warehouse)
    monkeypatch.undo()

    assert load_manifest(warehouse).equals(before)
    con = publish(warehouse)
    assert rows(con, "select title from raw.articles where source_path = '2020/b.txt'") == [
        ("Beta",)
    ]
    assert not [p for p in (warehouse / "raw").rglob("*") if p.name.endswith(".tmp")]
    assert ingest(corpus, warehouse).files_parsed == 1


def test_committed_rows_are_stored_once_in_the_lake(corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    parts = warehouse / "raw" / "articles"
    for i in range(10):
        (corpus / "2020" / f"bulk{i}.txt").write_text(article(f"Bulk {i}", f"https://b.io/{i}"))
    ingest(corpus, warehouse)
    assert len(list(parts.glob("part-*.parquet"))) == 1
    publish(warehouse).close()
    assert list(parts.glob("part-*.parquet")) == []  # the lake holds the rows now
    for i in range(8):
        (corpus / "2020" / f"bulk{i}.txt").unlink()
    (corpus / "2020/b.txt").write_text(article("Beta again", "https://news.example.org/b"))
    ingest(corpus, warehouse)
    (written,) = parts.glob("part-*.parquet")
    assert pl.read_parquet(written)["source_path"].to_list() == ["2020/b.txt"]
    con = publish(warehouse)
    assert rows(con, "select source_path, title from raw.articles order by 1") == [
        ("2020/a.txt", "Alpha & Omega"),
        ("2020/b.txt", "Beta again"),
        ("2020/bulk8.txt", "Bulk 8"),
        ("2020/bulk9.txt", "Bulk 9"),
        ("2020/crlf.txt", "Gamma"),
    ]
    assert list(parts.glob("part-*.parquet")) == []
    assert ingest(corpus, warehouse).files_parsed == 0


def test_every_raw_column_is_documented(corpus: Path, tmp_path: Path) -> None:
    ingest(corpus, tmp_path / "wh")
    con = publish(tmp_path / "wh")
    undocumented = rows(
        con,
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'raw' and (comment is null or comment = '')",
    )
    assert undocumented == []
    tables = rows(con, "select table_name, comment from duckdb_tables() where schema_name = 'raw'")
    assert {name for name, comment in tables if comment} == {"articles", "quarantine"}


def test_a_rebuild_loads_only_the_delta_and_leaves_no_stale_rows(
    corpus: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    publish(warehouse).close()

    (corpus / "2020/b.txt").write_text(article("Beta again", "https://news.example.org/b"))
    (corpus / "2020/crlf.txt").unlink()
    (corpus / "2020/new.txt").write_text(article("New", "https://new.example.org/n"))
    os.utime(corpus / "2020/a.txt", ns=(1_000_000_000, 1_000_000_000))  # touched: same bytes
    ingest(corpus, warehouse)
    said: list[str] = []
    with lake.writing(warehouse) as con:
        load_raw(con, warehouse, progress=said.append)
    # Only the part the last ingest wrote was read; the touched file's row took its new mtime.
    assert said == ["loaded 1/1 part files"]
    con = lake.connect_read_only(warehouse)
    assert rows(
        con, "select source_path, title, epoch(file_mtime) from raw.articles order by 1"
    ) == [
        ("2020/a.txt", "Alpha & Omega", 1.0),
        ("2020/b.txt", "Beta again", (corpus / "2020/b.txt").stat().st_mtime_ns // 1000 / 1e6),
        ("2020/new.txt", "New", (corpus / "2020/new.txt").stat().st_mtime_ns // 1000 / 1e6),
    ]
    assert rows(con, "select count(*) from raw.quarantine") == [(len(EXPECTED_QUARANTINE),)]

    assert ingest(corpus, warehouse).files_parsed == 0
    said.clear()
    with lake.writing(warehouse) as con:
        load_raw(con, warehouse, progress=said.append)
        assert con.execute("select count(*) from raw.articles").fetchone() == (3,)
    assert said == []  # nothing changed: no part file is read


def test_a_new_rules_version_re_derives_every_old_row(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "2020/q.txt").write_text(article("Rated", "https://q.example.org/q", quality="40"))
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    con = publish(warehouse)
    assert rows(con, "select quality from raw.articles where source_path = '2020/q.txt'") == [(40,)]
    con.close()

    # A changed quality rule, released as a new version of the rules.
    rule = fields.non_negative_int
    monkeypatch.setattr(fields, "non_negative_int", lambda value: 2 * (rule(value) or 0))
    monkeypatch.setattr(versions, "RULES_VERSION", "next-rules")
    result = ingest(corpus, warehouse)
    assert result.files_parsed == result.files_seen  # every row, quarantined ones included
    con = publish(warehouse)
    assert rows(con, "select quality from raw.articles where source_path = '2020/q.txt'") == [(80,)]
    assert rows(con, "select distinct rules_version from raw.articles") == [("next-rules",)]
    assert rows(con, "select distinct rules_version from raw.quarantine") == [("next-rules",)]


def same_size_edit_with_mtime_set_back(path: Path, old: str, new: str) -> None:
    """An edit that keeps the size, then `touch -r`: size and mtime are as they were."""
    before = path.stat()
    text = path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths an ingest hashes to tell a touched file from a changed one."""
    paths: list[str] = []
    same_bytes = run._same_bytes

    def counting(content: Path, entry, digest: str) -> bool:
        paths.append(entry.path)
        return same_bytes(content, entry, digest)

    monkeypatch.setattr(run, "_same_bytes", counting)
    return paths


def test_a_same_size_edit_with_the_mtime_set_back_is_read_again(
    corpus: Path, tmp_path: Path, hashed: list[str]
) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    publish(warehouse).close()
    mtime = (corpus / "2020/b.txt").stat().st_mtime_ns

    same_size_edit_with_mtime_set_back(corpus / "2020/b.txt", "Beta", "Zeta")
    result = ingest(corpus, warehouse)
    assert (result.files_parsed, result.files_unchanged) == (1, 14)
    assert hashed == ["2020/b.txt"]  # hashed, the bytes differ: read again
    con = publish(warehouse)
    assert rows(
        con, "select title, epoch_us(file_mtime) from raw.articles where source_path = '2020/b.txt'"
    ) == [("Zeta", mtime // 1000)]
    con.close()

    hashed.clear()
    assert ingest(corpus, warehouse).files_parsed == 0
    assert hashed == []  # the manifest holds the new ctime


def test_a_file_whose_ctime_alone_moved_is_hashed_once_and_keeps_its_rows(
    corpus: Path, tmp_path: Path, hashed: list[str]
) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    con = publish(warehouse)
    before = (
        rows(con, "select * from raw.articles order by 1"),
        rows(con, "select * from raw.quarantine order by 1"),
    )
    con.close()
    assert list((warehouse / "raw" / "articles").glob("part-*.parquet")) == []

    for name in ("2020/a.txt", "broken/dupe.txt"):  # an article and a quarantined file
        path = corpus / name
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # `touch -r` on itself
        assert (
            path.stat().st_ctime_ns
            != load_manifest(warehouse)
            .filter(pl.col("source_path") == name)["file_ctime_ns"]
            .item()
        )
    result = ingest(corpus, warehouse)
    assert (result.files_parsed, result.files_unchanged) == (0, 15)
    assert sorted(hashed) == ["2020/a.txt", "broken/dupe.txt"]
    manifest = load_manifest(warehouse).filter(pl.col("source_path") == "2020/a.txt")
    assert manifest["file_ctime_ns"].item() == (corpus / "2020/a.txt").stat().st_ctime_ns

    # Its raw row still matches: it is kept, not deleted to be loaded from a part file gone.
    con = publish(warehouse)
    assert (
        rows(con, "select * from raw.articles order by 1"),
        rows(con, "select * from raw.quarantine order by 1"),
    ) == before
    con.close()
    hashed.clear()
    assert ingest(corpus, warehouse).files_parsed == 0
    assert hashed == []


def test_a_manifest_from_before_ctime_has_each_file_hashed_once_not_parsed(
    corpus: Path, tmp_path: Path, hashed: list[str]
) -> None:
    warehouse = tmp_path / "wh"
    ingest(corpus, warehouse)
    publish(warehouse).close()
    manifest = warehouse / "raw" / "manifest.parquet"
    old = pl.read_parquet(manifest).drop("file_ctime_ns")
    old.write_parquet(manifest)
    digested = old.filter(pl.col("content_sha256").is_not_null())["source_path"].to_list()

    result = ingest(corpus, warehouse)
    # Every file with a known digest is hashed, and none parsed. The link, the pipe and the
    # file too large have no digest: they are refused again, none of them read.
    assert sorted(hashed) == sorted(digested) and len(digested) == 12
    assert (result.files_parsed, result.files_unchanged) == (3, 12)
    assert load_manifest(warehouse)["file_ctime_ns"].null_count() == 0
    con = publish(warehouse)
    assert rows(con, "select count(*) from raw.articles") == [(3,)]
    con.close()
    hashed.clear()
    assert ingest(corpus, warehouse).files_parsed == 0
    assert hashed == []


def test_the_listing_fingerprint_sees_a_same_size_edit_with_the_mtime_set_back(
    corpus: Path,
) -> None:
    before = fingerprint(corpus)
    same_size_edit_with_mtime_set_back(corpus / "2020/b.txt", "Beta", "Zeta")
    assert fingerprint(corpus) != before
