"""The raw layer in DuckDB: `raw.articles` and `raw.quarantine`, loaded from the Parquet files.

Column documentation lives here once and becomes the tables' DDL and COMMENTs.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .ingest.manifest import manifest_path, parts_dir
from .ingest.schema import NESTED_JSON_COLUMNS

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
]

_FROM_MANIFEST = {
    "source_path": "m.source_path",
    "file_size": "m.file_size",
    "file_mtime": "make_timestamp(m.file_mtime_ns // 1000)",
    "content_sha256": "m.content_sha256",
}


def _article_column(name: str, kind: str) -> str:
    if name in _FROM_MANIFEST:
        return _FROM_MANIFEST[name]
    if name in NESTED_JSON_COLUMNS or kind == "JSON":
        return f"p.{name}::json::{kind}"
    return f"p.{name}"


_SELECT_ARTICLES = f"""
select
    {", ".join(f"{_article_column(name, kind)} as {name}" for name, kind, _ in ARTICLES)}
from read_parquet($parts, filename = true) as p
join read_parquet($manifest) as m
    on m.source_path = p.source_path and m.part = parse_filename(p.filename)
where m.status = 'article'
order by m.source_path
"""

_SELECT_QUARANTINE = """
select
    source_path, error_kind, message, line, file_size,
    make_timestamp(file_mtime_ns // 1000) as file_mtime, content_sha256
from read_parquet($manifest)
where status = 'quarantine'
order by source_path
"""


def load_raw(con: duckdb.DuckDBPyConnection, warehouse: Path) -> dict[str, int]:
    """Replace raw.articles and raw.quarantine from the Parquet files; return row counts."""
    manifest = str(manifest_path(warehouse))
    parts = sorted(str(path) for path in parts_dir(warehouse).glob("part-*.parquet"))
    con.execute("create schema if not exists raw")
    _create(con, "raw.articles", ARTICLES, ARTICLES_DOC)
    _create(con, "raw.quarantine", QUARANTINE, QUARANTINE_DOC)
    if Path(manifest).exists():
        if parts:
            bound = {"parts": parts, "manifest": manifest}
            con.execute(f"insert into raw.articles {_SELECT_ARTICLES}", bound)
        con.execute(f"insert into raw.quarantine {_SELECT_QUARANTINE}", {"manifest": manifest})
    return {
        table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        for table in ("articles", "quarantine")
    }


def _create(con: duckdb.DuckDBPyConnection, table: str, columns, doc: str) -> None:
    ddl = ",\n    ".join(f"{name} {kind}" for name, kind, _ in columns)
    con.execute(f"create or replace table {table} (\n    {ddl}\n)")
    con.execute(f"comment on table {table} is {_quote(doc)}")
    for name, _, comment in columns:
        con.execute(f"comment on column {table}.{name} is {_quote(comment)}")


def _quote(text: str) -> str:
    # COMMENT ON takes a literal, not a parameter; these texts are our own constants.
    return "'" + text.replace("'", "''") + "'"
