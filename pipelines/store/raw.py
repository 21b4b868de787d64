"""The raw layer: `raw.articles` and `raw.quarantine`, brought up to date from the ingest.

The ingest writes the parsed rows of new and changed files as part files; a build inserts
them into the lake and deletes the rows of changed and deleted files, then the part files
go: the raw rows are stored once, in the lake. Column documentation lives here once and
becomes the tables' DDL and COMMENTs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..frontmatter import QUARANTINE_KINDS
from ..ingest.manifest import manifest_path, parts_dir
from ..ingest.shards import Shard
from ..models.catalog import DELETED_RELATED, DELTA_ARTICLES, EVERY_ARTICLE, SOURCES, Check
from ..models.materialise import sql_literal, write_comments

IMAGE_TYPE = "STRUCT(url VARCHAR, width BIGINT, height BIGINT, title VARCHAR)"
RELATED_TYPE = (
    "STRUCT(title VARCHAR, source_url VARCHAR, canonical_url VARCHAR, published_at TIMESTAMP,"
    " quality BIGINT, provider_name VARCHAR, provider_domain VARCHAR)"
)

ARTICLES_DOC = "One parsed content file per row (grain: source_path). Files that could not be parsed are in raw.quarantine."
ARTICLES = [
    (
        "source_path",
        "VARCHAR",
        "Path of the content file relative to the content root, with / separators (unique).",
    ),
    ("file_size", "BIGINT", "Size of the file in bytes when it was read."),
    ("file_mtime", "TIMESTAMP", "Modification time of the file, UTC."),
    ("content_sha256", "VARCHAR", "SHA-256 of the file's bytes, hex."),
    (
        "rules_version",
        "VARCHAR",
        "Version of the parsing and normalisation rules that made this row; a new version re-derives every row.",
    ),
    ("title", "VARCHAR", "Article title: HTML entities decoded, whitespace trimmed; never blank."),
    (
        "excerpt",
        "VARCHAR",
        "Article excerpt: HTML entities decoded, whitespace trimmed; NULL when absent.",
    ),
    ("category", "VARCHAR", "The file's category field as text, e.g. news; NULL when absent."),
    ("type", "VARCHAR", "The file's type field as text, e.g. article; NULL when absent."),
    (
        "source_url",
        "VARCHAR",
        "The article's URL as written (sourceUrl, else originalUrl, else webUrl), trimmed.",
    ),
    (
        "source_url_key",
        "VARCHAR",
        "Which front-matter key gave source_url: sourceUrl, originalUrl or webUrl.",
    ),
    (
        "canonical_url",
        "VARCHAR",
        "source_url in canonical form (https, lowercase host without www., no default port, fragment or utm_* parameters, no trailing slash, spaces as %20); identifies the article.",
    ),
    (
        "published_at",
        "TIMESTAMP",
        "publishedDateTime converted to UTC; NULL when absent or not a date/time.",
    ),
    ("quality", "BIGINT", "Quality score, a non-negative integer; NULL when absent or invalid."),
    ("heat", "BIGINT", "Heat score; NULL when absent, invalid or -1 (unknown)."),
    ("is_published", "BOOLEAN", "The published flag when it is a YAML boolean, else NULL."),
    ("provider_name", "VARCHAR", "provider.name, trimmed; NULL when absent or blank."),
    (
        "provider_domain",
        "VARCHAR",
        "provider.domain lowercased without www.; the host of canonical_url when absent or blank.",
    ),
    (
        "topics",
        "VARCHAR[]",
        "Topic labels as written, trimmed with inner whitespace collapsed; blanks dropped. May repeat a label.",
    ),
    (
        "images",
        f"{IMAGE_TYPE}[]",
        "The images list: url, width, height, title (invalid sizes are NULL).",
    ),
    (
        "related",
        f"{RELATED_TYPE}[]",
        "The related coverage list, each entry normalised like the article: canonical_url, published_at in UTC, quality, provider.",
    ),
    (
        "body_words",
        "BIGINT",
        "Number of whitespace-separated words in the body after the front matter.",
    ),
    (
        "secured_sha256",
        "VARCHAR",
        "SHA-256 of the opaque secured payload (the payload itself is never stored); NULL when absent.",
    ),
    (
        "front_matter",
        "JSON",
        "Every front-matter key except secured, losslessly as JSON (dates as ISO-8601 text).",
    ),
]

QUARANTINE_DOC = "One refused content file per row (grain: source_path), with the reason."
QUARANTINE = [
    (
        "source_path",
        "VARCHAR",
        "Path of the content file relative to the content root, with / separators (unique).",
    ),
    (
        "error_kind",
        "VARCHAR",
        "Why it was refused: encoding, no_front_matter, unclosed_front_matter, yaml_error, not_a_mapping, missing_field, invalid_field, too_large, symlink or unreadable.",
    ),
    ("message", "VARCHAR", "A readable explanation naming the field or the YAML problem."),
    ("line", "BIGINT", "Line of the file the problem is on, when known; NULL otherwise."),
    ("file_size", "BIGINT", "Size of the file (or link) in bytes."),
    ("file_mtime", "TIMESTAMP", "Modification time of the file (or link), UTC."),
    ("content_sha256", "VARCHAR", "SHA-256 of the file's bytes when it could be read, else NULL."),
    (
        "rules_version",
        "VARCHAR",
        "Version of the parsing rules that refused the file; a new version reads it again.",
    ),
]

Progress = Callable[[str], None]

# The rows of raw.articles a build must add are the manifest rows that no loaded row
# matches, read from the part files that hold them. A loaded row matches when path, bytes,
# mtime and rules version are all the same, so a changed, touched or re-derived file is
# replaced (the ingest reads a file whose mtime moved again, so its part holds the new mtime;
# rows are never updated in place, which would rewrite whole wide rows). The manifest's ctime
# is not compared: a file whose ctime alone moved (a chmod, `touch -r` on the same bytes)
# keeps its row, whose part file is gone once committed.
_MATCHES = """
    a.source_path = m.source_path
    and a.content_sha256 = m.content_sha256
    and a.file_mtime = make_timestamp(m.file_mtime_ns // 1000)
    and a.rules_version = m.rules_version
"""

_STALE = f"""
not exists (from manifest_files as m where m.status = 'article' and {_MATCHES})
"""
# Deleted by path, once found: a second anti join of every row to the manifest would cost
# as much again (0.9 s at a million rows).
_STALE_ARTICLES = (
    "delete from raw.articles where source_path in (select source_path from stale_rows)"
)

# The articles a build changes: the canonical URLs of the rows it deletes (before they go)
# and of the rows it adds (once they are in). Models incremental by article read them.
_STALE_ROWS = f"""
create or replace temp table stale_rows as
select a.source_path, a.canonical_url from raw.articles as a where {_STALE}
"""
_CHANGED_BEFORE = "insert into temp.changed_urls select canonical_url from stale_rows"
# What the deleted rows' related lists named: a story holding one of those URLs may change
# (the entry may have been the one its related-only item took its title from). A few rows'
# paths go into the scan as a list, which reads the wide column of those rows only; a join
# would read it for every row.
_DELETED_RELATED = f"""
insert into {DELETED_RELATED}
select distinct entry.canonical_url
from (select unnest(related) as entry from raw.articles where {{rows}})
where entry.canonical_url is not null
"""
_FEW_ROWS = 500
_CHANGED_AFTER = """
insert into temp.changed_urls
select canonical_url from raw.articles semi join rows_to_load using (source_path)
"""
_DELTA_ARTICLES = f"""
create or replace temp table {DELTA_ARTICLES.split(".")[1]} as
select distinct canonical_url, left(sha256(canonical_url), 16) as article_id
from temp.changed_urls
"""
# Every article, for a model built whole: what its select reads through CHANGED.
_EVERY_ARTICLE = f"""
create or replace temp view {EVERY_ARTICLE.split(".")[1]} as
select canonical_url, left(sha256(canonical_url), 16) as article_id
from raw.articles
group by canonical_url
"""

# Computed once per load, after the stale rows went: joining each batch against the growing
# raw.articles would make a first load quadratic. Every row left matches its manifest row,
# so the path alone tells which manifest rows are not loaded.
_ROWS_TO_LOAD = """
create or replace temp table rows_to_load as
select m.source_path, m.part
from manifest_files as m
where m.status = 'article'
    and not exists (from raw.articles as a where a.source_path = m.source_path)
"""

# A part's rows are raw.articles rows as they are: no join, whose copies of rows tens of KB
# wide ran a real site's history out of memory. A part whose every row is wanted (the usual
# case) is inserted whole; one holding rows of files changed again since, only its wanted rows.
_INSERT_ARTICLES = """
insert into raw.articles by name
select * from read_parquet($parts)
"""
_INSERT_SOME_ARTICLES = """
insert into raw.articles by name
select * from read_parquet($parts) where list_contains($paths, source_path)
"""

_INSERT_QUARANTINE = """
insert into raw.quarantine by name
select
    source_path, error_kind, message, line, file_size,
    make_timestamp(file_mtime_ns // 1000) as file_mtime, content_sha256, rules_version
from manifest_files
where status = 'quarantine'
"""

# Parquet loaded per statement: enough rows for DuckDB's threads, few enough that one
# statement's memory stays bounded. By bytes, not files: a real site's files are several
# times larger than a generated corpus's, and 64 such part files ran out of memory.
_LOAD_BYTES = 128 * 1024 * 1024


RAW_TABLES = SOURCES

# Checks of the raw tables: one row per file, and every file of the manifest in exactly one
# of the two tables (`manifest_files` is a temporary table of the load).
RAW_CHECKS = {
    "raw.articles": [
        Check(
            "grain_unique",
            "One row per (source_path).",
            "select source_path, count(*) as rows from raw.articles group by all"
            " having count(*) > 1",
        ),
        Check(
            "not_null",
            "No NULL in source_path, title, source_url, canonical_url, provider_domain.",
            "select source_path from raw.articles where source_path is null or title is null"
            " or source_url is null or canonical_url is null or provider_domain is null",
        ),
        Check(
            "reconcile_every_file_accounted",
            "Every file the ingest saw is in raw.articles or raw.quarantine, exactly once.",
            """
            select source_path, m.source_path is not null as in_manifest, t.tables
            from temp.manifest_files as m
            full join (
                select source_path, count(*) as tables
                from (
                    select source_path from raw.articles
                    union all
                    select source_path from raw.quarantine
                )
                group by source_path
            ) as t using (source_path)
            where m.source_path is null or t.source_path is null or t.tables <> 1
            """,
        ),
    ],
    "raw.quarantine": [
        Check(
            "grain_unique",
            "One row per (source_path).",
            "select source_path, count(*) as rows from raw.quarantine group by all"
            " having count(*) > 1",
        ),
        Check(
            "accepted_values_error_kind",
            "error_kind is one of the contract's quarantine kinds.",
            "select error_kind, count(*) as rows from raw.quarantine where error_kind not in ("
            + ", ".join(sql_literal(kind) for kind in sorted(QUARANTINE_KINDS))
            + ") or error_kind is null group by all",
        ),
    ],
}


@dataclass
class RawLoad:
    """What a load did: each raw table's rows, and how many articles it changed.

    `changed` is None when raw.articles was made anew (every article changed). The articles
    themselves are in DELTA_ARTICLES for the rest of the transaction.
    """

    rows: dict[str, int] = field(default_factory=dict)
    changed: int | None = 0
    # Whether DELETED_RELATED holds the deleted rows' related URLs (not when too many went).
    related_kept: bool = True


def load_raw(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    tables: tuple[str, ...] = RAW_TABLES,
    progress: Progress | None = None,
    related_limit: int | None = None,
    shard: Shard | None = None,
) -> RawLoad:
    """Bring the given raw tables in line with the manifest.

    `shard`: the manifest is that shard's, and only the rows of that shard's files are
    compared with it, deleted or replaced; the other shards' rows stay as they are.

    raw.articles keeps the rows that still match the manifest and loads only the others
    from the part files, so a rebuild reads what the last ingest wrote and no more.
    raw.quarantine, which the manifest holds whole, is replaced. The related URLs of the
    deleted rows are kept only while their articles number at most `related_limit`.
    """
    say = progress or (lambda message: None)
    manifest = manifest_path(warehouse)
    con.execute("create schema if not exists raw")
    con.execute(f"create or replace temp table manifest_files as from {_MANIFEST_EMPTY}")
    if manifest.exists():
        con.execute(
            "insert into temp.manifest_files by name from read_parquet($manifest)",
            {"manifest": str(manifest)},
        )
    load = RawLoad()
    con.execute("create or replace temp table changed_urls (canonical_url varchar)")
    con.execute(
        f"create or replace temp table {DELETED_RELATED.split('.')[1]} (related_url varchar)"
    )
    if "raw.articles" in tables:
        if not _has_columns(con, "raw.articles", ARTICLES):
            _create(con, "raw.articles", ARTICLES, ARTICLES_DOC)
            load.changed = None
        if load.changed is not None:
            load.related_kept = _capture_stale(con, related_limit, shard)
            con.execute(_STALE_ARTICLES)
            con.execute("drop table stale_rows")
        con.execute(_ROWS_TO_LOAD)
        parts = [
            part
            for (part,) in con.execute(
                "select distinct part from rows_to_load order by 1"
            ).fetchall()
        ]
        loaded = 0
        missing = [part for part in parts if not (parts_dir(warehouse) / part).is_file()]
        if missing:
            raise FileNotFoundError(
                f"{len(missing):,} part files of the ingest are gone (e.g. {missing[0]}) though"
                " their rows are not in the lake; run `newsdw build --full` to read every file"
                " again"
            )
        folder = parts_dir(warehouse)
        wanted = dict(
            con.execute("select part, list(source_path) from rows_to_load group by part").fetchall()
        )
        stored = _part_rows(con, [folder / part for part in parts])
        whole = [folder / part for part in parts if stored[part] == len(wanted[part])]
        # One thread: casting each batch of front matter to JSON costs memory per thread.
        con.execute("set threads = 1")
        for batch in _batches(whole, _LOAD_BYTES):
            con.execute(_INSERT_ARTICLES, {"parts": [str(path) for path in batch]})
            loaded += len(batch)
            say(f"loaded {loaded:,}/{len(parts):,} part files")
        for part in parts:
            if stored[part] != len(wanted[part]):
                con.execute(
                    _INSERT_SOME_ARTICLES, {"parts": [str(folder / part)], "paths": wanted[part]}
                )
                loaded += 1
                say(f"loaded {loaded:,}/{len(parts):,} part files")
        con.execute("reset threads")
        con.execute(_CHANGED_AFTER)
        load.rows["raw.articles"] = con.execute("select count(*) from raw.articles").fetchone()[0]
    con.execute(_DELTA_ARTICLES)
    if _has_table(con, "raw.articles"):
        con.execute(_EVERY_ARTICLE)
    else:  # no articles yet: a model that reads raw.articles fails on its own, naming it
        con.execute(
            f"create or replace temp view {EVERY_ARTICLE.split('.')[1]} as from {DELTA_ARTICLES}"
        )
    if load.changed is not None:
        load.changed = con.execute(f"select count(*) from {DELTA_ARTICLES}").fetchone()[0]
    if "raw.quarantine" in tables:
        if shard is None or not _has_columns(con, "raw.quarantine", QUARANTINE):
            _create(con, "raw.quarantine", QUARANTINE, QUARANTINE_DOC)
        else:
            con.execute(f"delete from raw.quarantine where {shard.sql()}")
        con.execute(_INSERT_QUARANTINE)
        load.rows["raw.quarantine"] = con.execute("select count(*) from raw.quarantine").fetchone()[
            0
        ]
    return load


# The manifest's columns, for a build that has none yet.
_MANIFEST_EMPTY = """(
    select
        null::varchar as source_path, null::bigint as file_size, null::bigint as file_mtime_ns,
        null::bigint as file_ctime_ns, null::varchar as content_sha256, null::varchar as status,
        null::varchar as part, null::varchar as error_kind, null::varchar as message,
        null::bigint as line, null::varchar as rules_version
    limit 0
)"""


def _part_rows(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> dict[str, int]:
    """{part file name: rows it holds}, from the files' Parquet footers."""
    if not paths:
        return {}
    rows = con.execute(
        "select file_name, num_rows from parquet_file_metadata($paths)",
        {"paths": [str(path) for path in paths]},
    ).fetchall()
    return {Path(name).name: count for name, count in rows}


def _batches(paths: list[Path], limit: int) -> Iterator[list[Path]]:
    """The paths in order, in runs whose files add up to about `limit` bytes (one at least)."""
    batch: list[Path] = []
    size = 0
    for path in paths:
        batch.append(path)
        size += path.stat().st_size
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database()"
            " and schema_name = $schema and table_name = $table",
            {"schema": schema, "table": name},
        ).fetchone()[0]
    )


def _capture_stale(
    con: duckdb.DuckDBPyConnection, related_limit: int | None, shard: Shard | None = None
) -> bool:
    """Before the stale rows go: their paths (`stale_rows`), their articles' URLs, and the
    URLs their related lists name unless those articles number over `related_limit`; whether
    the related URLs were kept. `shard`: only rows of that shard's files are stale."""
    con.execute(_STALE_ROWS + (f" and {shard.sql('a.source_path')}" if shard else ""))
    con.execute(_CHANGED_BEFORE)
    articles, rows = con.execute(
        "select count(distinct canonical_url), count(*) from stale_rows"
    ).fetchone()
    kept = related_limit is None or articles <= related_limit
    if kept and rows > _FEW_ROWS:
        con.execute(
            _DELETED_RELATED.format(rows="source_path in (select source_path from stale_rows)")
        )
    elif kept and rows:
        paths = [path for (path,) in con.execute("select source_path from stale_rows").fetchall()]
        rows_sql = "list_contains($paths, source_path)"
        con.execute(_DELETED_RELATED.format(rows=rows_sql), {"paths": paths})
    return kept


def _has_columns(con: duckdb.DuckDBPyConnection, table: str, columns) -> bool:
    """Whether `table` exists with exactly these columns and types (else it is made anew)."""
    schema, name = table.split(".")
    found = con.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = current_database() and schema_name = $schema"
        " and table_name = $table order by column_index",
        {"schema": schema, "table": name},
    ).fetchall()
    return found == [(column, kind) for column, kind, _ in columns]


def _create(con: duckdb.DuckDBPyConnection, table: str, columns, doc: str) -> None:
    ddl = ",\n    ".join(f"{name} {kind}" for name, kind, _ in columns)
    con.execute(f"create or replace table {table} (\n    {ddl}\n)")
    write_comments(con, table, doc, {name: comment for name, _, comment in columns})


def remove_loaded_parts(warehouse: Path) -> None:
    """Delete the part files once their rows are committed to the lake: they are stored once.

    Called under the writer lock, right after a commit that loaded raw.articles: every row of
    the manifest is then in the lake, so no part file is needed any more.
    """
    folder = parts_dir(warehouse)
    if folder.is_dir():
        for part in folder.glob("part-*.parquet"):
            part.unlink(missing_ok=True)
