"""The raw layer in DuckDB: `raw.articles` and `raw.quarantine`, loaded from the Parquet files.

Column documentation lives here once and becomes the tables' DDL and COMMENTs.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from .frontmatter import QUARANTINE_KINDS
from .ingest.manifest import manifest_path, parts_dir
from .models.catalog import Check
from .models.materialise import sql_literal, write_comments

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

Progress = Callable[[str], None]
# Parts normalised per query: enough rows for DuckDB's threads, few enough to bound memory.
_NORMALISE_BATCH = 16

NORMALISE_SQL = (Path(__file__).parent / "ingest" / "normalise.sql").read_text()

# Part files' rows, normalised. A file may have versions in several parts, so rows are
# keyed by (part, source_path) until the manifest picks the live one.
_NORMALISE_PARTS = """
with parsed as (
    select
        parse_filename(p.filename) as part,
        p.source_path,
        p.title, p.excerpt, p.category, p.type, p.source_url, p.source_url_key,
        coalesce(p.related_titles::json::varchar[], []) as related_titles,
        p.body_words, p.secured_sha256,
        p.front_matter::json as fm,
        iso_parts(text_value(p.front_matter::json -> '$.publishedDateTime')) as published_parts
    from read_parquet($parts, filename = true) as p
),

related_entries as (
    select
        part,
        source_path,
        unnest(as_list(fm -> '$.related')) as entry,
        unnest(related_titles) as title,
        generate_subscripts(as_list(fm -> '$.related'), 1) as position
    from parsed
),

related_fields as (
    select
        part,
        source_path,
        position,
        title,
        text_url(entry_url(entry)) as source_url,
        iso_parts(text_value(entry -> '$.publishedDateTime')) as published_parts,
        non_negative_int(entry -> '$.quality') as quality,
        nullif(strip_ws(fm_text(entry -> '$.provider.name')), '') as provider_name,
        domain_value(entry -> '$.provider.domain') as provider_domain
    from related_entries
),

-- Each distinct URL is made canonical once: related lists repeat the same articles.
urls as (
    select source_url as url from parsed
    union
    select source_url from related_fields where source_url is not null
),

url_parts as (
    select url, url_parts(url) as parts from urls
),

url_hosts as (
    select url, parts, host_port(parts.netloc) as hp, bare_host(host_port(parts.netloc)) as host
    from url_parts
),

canonical as (
    select
        url,
        canonical_from(parts, hp, host) as canonical_url,
        case when canonical_from(parts, hp, host) is not null then host end as host
    from url_hosts
),

related as (
    select
        f.part,
        f.source_path,
        list({
            'title': f.title,
            'source_url': f.source_url,
            'canonical_url': c.canonical_url,
            'published_at': utc_from_parts(f.published_parts),
            'quality': f.quality,
            'provider_name': f.provider_name,
            'provider_domain': coalesce(f.provider_domain, c.host)
        } order by f.position) as related
    from related_fields as f
    left join canonical as c on c.url = f.source_url
    group by f.part, f.source_path
)

select
    p.part,
    p.source_path,
    p.title, p.excerpt, p.category, p.type, p.source_url, p.source_url_key,
    c.canonical_url,
    utc_from_parts(p.published_parts) as published_at,
    non_negative_int(p.fm -> '$.quality') as quality,
    heat_value(p.fm -> '$.heat') as heat,
    boolean_value(p.fm -> '$.published') as is_published,
    nullif(strip_ws(fm_text(p.fm -> '$.provider.name')), '') as provider_name,
    coalesce(domain_value(p.fm -> '$.provider.domain'), c.host) as provider_domain,
    topic_labels(p.fm -> '$.topics') as topics,
    image_list(p.fm -> '$.images') as images,
    coalesce(r.related, []) as related,
    p.body_words, p.secured_sha256,
    p.fm as front_matter
from parsed as p
left join canonical as c on c.url = p.source_url
left join related as r on r.part = p.part and r.source_path = p.source_path
"""

# The live rows: the manifest names, for each file, the part that holds its current version.
_SELECT_ARTICLES = """
select
    m.source_path,
    m.file_size,
    make_timestamp(m.file_mtime_ns // 1000) as file_mtime,
    m.content_sha256,
    n.* exclude (source_path, filename)
from read_parquet($normalised, filename = true) as n
join read_parquet($manifest) as m
    on m.source_path = n.source_path and m.part = parse_filename(n.filename)
where m.status = 'article'
"""

_SELECT_QUARANTINE = """
select
    source_path, error_kind, message, line, file_size,
    make_timestamp(file_mtime_ns // 1000) as file_mtime, content_sha256
from read_parquet($manifest)
where status = 'quarantine'
"""


RAW_TABLES = ("raw.articles", "raw.quarantine")

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


def normalised_dir(warehouse: Path) -> Path:
    """The cache of normalised part files, one per part file of the ingest."""
    return warehouse / "raw" / "normalised"


def normalise_parts(
    con: duckdb.DuckDBPyConnection, warehouse: Path, progress: Progress | None = None
) -> list[Path]:
    """Normalise the part files not normalised yet, drop stale ones; return the live cache.

    The cache holds one file per part file, under the part's name; parts never change once
    written, so a rebuild normalises only the parts the last ingest wrote.
    """
    parts = sorted(parts_dir(warehouse).glob("part-*.parquet"))
    cache = normalised_dir(warehouse)
    cache.mkdir(parents=True, exist_ok=True)
    missing = [part for part in parts if not (cache / part.name).exists()]
    if missing:
        con.execute(NORMALISE_SQL)
    for start in range(0, len(missing), _NORMALISE_BATCH):
        batch = missing[start : start + _NORMALISE_BATCH]
        _normalise_batch(con, batch, cache)
        if progress:
            done = start + len(batch)
            progress(f"normalised {done:,}/{len(missing):,} new part files")
    live = {part.name for part in parts}
    for cached in cache.glob("part-*.parquet"):
        if cached.name not in live:
            cached.unlink(missing_ok=True)
    return [cache / part.name for part in parts if (cache / part.name).exists()]


def _normalise_batch(con: duckdb.DuckDBPyConnection, parts: list[Path], cache: Path) -> None:
    """One query over several parts (DuckDB parallelises it), written out one file per part."""
    staging = cache / f".batch-{uuid.uuid4().hex}"
    try:
        con.execute(
            f"copy ({_NORMALISE_PARTS}) to {sql_literal(str(staging))}"
            " (format parquet, compression lz4, partition_by (part))",
            {"parts": [str(part) for part in parts]},
        )
        for part in parts:
            written = sorted((staging / f"part={part.name}").glob("*.parquet"))
            if len(written) > 1:  # DuckDB may split a large partition; keep one file per part
                merged = staging / f"{part.name}.merged"
                con.execute(
                    f"copy (from read_parquet($files)) to {sql_literal(str(merged))}"
                    " (format parquet, compression lz4)",
                    {"files": [str(path) for path in written]},
                )
                written = [merged]
            if written:
                os.replace(written[0], cache / part.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def load_raw(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    tables: tuple[str, ...] = RAW_TABLES,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Replace the given raw tables from the Parquet files; return their row counts."""
    manifest = str(manifest_path(warehouse))
    has_manifest = Path(manifest).exists()
    con.execute("create schema if not exists raw")
    con.execute("create or replace temp table manifest_files (source_path varchar)")
    if has_manifest:
        con.execute(
            "insert into temp.manifest_files select source_path from read_parquet($manifest)",
            {"manifest": manifest},
        )
    counts = {}
    if "raw.articles" in tables:
        _create(con, "raw.articles", ARTICLES, ARTICLES_DOC)
        normalised = normalise_parts(con, warehouse, progress)
        if has_manifest and normalised:
            con.execute(
                f"insert into raw.articles by name {_SELECT_ARTICLES}",
                {"normalised": [str(path) for path in normalised], "manifest": manifest},
            )
        counts["raw.articles"] = con.execute("select count(*) from raw.articles").fetchone()[0]
    if "raw.quarantine" in tables:
        _create(con, "raw.quarantine", QUARANTINE, QUARANTINE_DOC)
        if has_manifest:
            con.execute(f"insert into raw.quarantine {_SELECT_QUARANTINE}", {"manifest": manifest})
        counts["raw.quarantine"] = con.execute("select count(*) from raw.quarantine").fetchone()[0]
    return counts


def _create(con: duckdb.DuckDBPyConnection, table: str, columns, doc: str) -> None:
    ddl = ",\n    ".join(f"{name} {kind}" for name, kind, _ in columns)
    con.execute(f"create or replace table {table} (\n    {ddl}\n)")
    write_comments(con, table, doc, {name: comment for name, _, comment in columns})
