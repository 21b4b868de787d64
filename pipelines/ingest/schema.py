"""Polars schemas of the raw Parquet files: article parts and the manifest."""

from __future__ import annotations

import polars as pl

# Lists travel through the part files as JSON text: building nested Polars columns from
# Python objects costs more than the parse itself. The DuckDB load gives them their types
# (see raw_tables.ARTICLES) with DuckDB's JSON reader.
NESTED_JSON_COLUMNS = ("topics", "images", "related")

ARTICLE_PART = pl.Schema(
    {
        "source_path": pl.String,
        "title": pl.String,
        "excerpt": pl.String,
        "category": pl.String,
        "type": pl.String,
        "source_url": pl.String,
        "source_url_key": pl.String,
        "canonical_url": pl.String,
        "published_at": pl.Datetime("us"),
        "quality": pl.Int64,
        "heat": pl.Int64,
        "is_published": pl.Boolean,
        "provider_name": pl.String,
        "provider_domain": pl.String,
        "topics": pl.String,
        "images": pl.String,
        "related": pl.String,
        "body_words": pl.Int64,
        "secured_sha256": pl.String,
        "front_matter": pl.String,
    }
)

# One row per file seen: how it looked on disk, what became of it, and where its row lives.
MANIFEST = pl.Schema(
    {
        "source_path": pl.String,
        "file_size": pl.Int64,
        "file_mtime_ns": pl.Int64,
        "content_sha256": pl.String,
        "status": pl.String,  # "article" or "quarantine"
        "part": pl.String,  # article part file holding the row
        "error_kind": pl.String,
        "message": pl.String,
        "line": pl.Int64,
    }
)
