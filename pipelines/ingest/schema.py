"""Polars schemas of the raw Parquet files: article parts and the manifest."""

from __future__ import annotations

import polars as pl

_IMAGE = pl.Struct({"url": pl.String, "width": pl.Int64, "height": pl.Int64, "title": pl.String})
_RELATED = pl.Struct(
    {
        "title": pl.String,
        "source_url": pl.String,
        "canonical_url": pl.String,
        "published_at": pl.Datetime("us"),
        "quality": pl.Int64,
        "provider_name": pl.String,
        "provider_domain": pl.String,
    }
)

# The columns of raw.articles, typed and normalised by the parse, with the file's own.
# `front_matter` is UTF-8 JSON of every key but `secured`.
ARTICLE_PART = pl.Schema(
    {
        "source_path": pl.String,
        # The file as it was read: a part's rows are raw.articles rows as they are, so the
        # build inserts them with no join (a join over rows this wide ran out of memory).
        "file_size": pl.Int64,
        "file_mtime": pl.Datetime("us"),
        "content_sha256": pl.String,
        "rules_version": pl.String,
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
        "topics": pl.List(pl.String),
        "images": pl.List(_IMAGE),
        "related": pl.List(_RELATED),
        "body_words": pl.Int64,
        "secured_sha256": pl.String,
        "front_matter": pl.Binary,
    }
)

# One row per file seen: how it looked on disk, what became of it, where its row lives, and
# which version of the parsing rules made it.
MANIFEST = pl.Schema(
    {
        "source_path": pl.String,
        "file_size": pl.Int64,
        "file_mtime_ns": pl.Int64,
        "file_ctime_ns": pl.Int64,  # the inode's change time: an edit moves it, whatever mtime says
        "content_sha256": pl.String,
        "status": pl.String,  # "article" or "quarantine"
        "part": pl.String,  # article part file holding the row
        "error_kind": pl.String,
        "message": pl.String,
        "line": pl.Int64,
        "rules_version": pl.String,
    }
)
