"""Incremental ingestion of a content folder into Parquet (no Dagster here)."""

from .run import IngestResult, ingest

__all__ = ["IngestResult", "ingest"]
