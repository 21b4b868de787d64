"""Polars schemas of the raw Parquet files: article parts and the manifest."""

from __future__ import annotations

import polars as pl

# What the parse stores per article: checked required fields, text that needed HTML
# entities decoded, and the whole front matter as JSON. The typed columns of raw.articles
# are derived from it by the DuckDB load, set-wise (pipelines/ingest/normalise.sql).
ARTICLE_PART = pl.Schema(
    {
        "source_path": pl.String,
        "title": pl.String,
        "excerpt": pl.String,
        "category": pl.String,
        "type": pl.String,
        "source_url": pl.String,
        "source_url_key": pl.String,
        "related_titles": pl.Binary,  # UTF-8 JSON list, entities decoded
        "body_words": pl.Int64,
        "secured_sha256": pl.String,
        "front_matter": pl.Binary,  # UTF-8 JSON of every key but `secured`
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
