"""Running one file's bytes through the whole raw layer, as a build would."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb

from pipelines import warehouse as dw
from pipelines.frontmatter import parse_article
from pipelines.ingest import ingest
from pipelines.raw_tables import load_raw


def article_row(data: bytes) -> dict[str, Any]:
    """The `raw.articles` row these bytes become; raises `Refused` as the parser does."""
    parse_article(data)
    with tempfile.TemporaryDirectory() as folder:
        content, warehouse = Path(folder, "content"), Path(folder, "warehouse")
        content.mkdir()
        (content / "article.txt").write_bytes(data)
        ingest(content, warehouse)
        con = duckdb.connect()
        load_raw(con, warehouse)
        cursor = con.execute("select * from raw.articles")
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def publish(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Load the raw tables of a warehouse folder as a build does; a read-only connection to them."""
    dw.build(warehouse, lambda con: load_raw(con, warehouse))
    return dw.connect_read_only(warehouse)
