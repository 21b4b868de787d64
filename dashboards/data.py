"""What the pages read: named SQL queries over the published warehouse, as Polars frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.models.catalog import upstream_tables
from pipelines.store.lake import Lake, begin_read, connect_read_only, located

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@cache
def query_sql(name: str) -> str:
    """The SQL of the named query, `dashboards/queries/<name>.sql`."""
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no dashboard query named {name!r} ({path})")
    return path.read_text(encoding="utf-8")


def query_tables() -> set[str]:
    """Every `schema.table` the pages read: the dashboards' upstream tables.

    The bundle's named queries, and every section query (`dashboards/queries/charts/`).
    """
    from .page import chart_queries, chart_sql

    tables: set[str] = set()
    for path in sorted(QUERY_DIR.glob("*.sql")):
        tables |= upstream_tables(query_sql(path.stem), path)
    for parts in chart_queries():
        tables |= upstream_tables(chart_sql(parts), "+".join(parts))
    return tables


@dataclass(frozen=True)
class Provenance:
    """Where the data came from, for the footer and the Data health page."""

    content_dir: str
    database: str
    data_built_at: datetime
    run_id: str | None = None
    build_counts: dict[str, object] = field(default_factory=dict)


class Warehouse:
    """A read-only view of the published warehouse that answers named queries."""

    def __init__(self, where: Path | Lake, provenance: Provenance) -> None:
        self.provenance = provenance
        self._con = connect_read_only(where)
        self._con.execute("set enable_progress_bar = false")
        # One transaction for every query of the pages: they all read one committed build.
        begin_read(self._con)
        self._frames: dict[tuple, pl.DataFrame] = {}

    def frame(self, name: str, **params: object) -> pl.DataFrame:
        """The result of the named query with bound `params`, as a Polars frame."""
        key = (name, *sorted(params.items()))
        if key not in self._frames:
            try:
                cursor = self._con.execute(query_sql(name), params or None)
            except duckdb.Error as exc:
                raise RuntimeError(f"dashboard query {name!r} failed: {exc}") from exc
            # Through Arrow, not Python tuples: at a million articles the bundle's largest
            # queries return some 400,000 rows each, and tuples cost seconds.
            frame = cursor.pl()
            # Sums of integers are HUGEINT in DuckDB, which Arrow carries as DECIMAL(38, 0): the
            # pages want the 64-bit integers (and floats) Python's values of them gave.
            self._frames[key] = frame.with_columns(
                pl.col(column).cast(pl.Int64 if kind.scale == 0 else pl.Float64)
                for column, kind in frame.schema.items()
                if isinstance(kind, pl.Decimal)
            ).with_columns(pl.col(pl.Int128).cast(pl.Int64))
        return self._frames[key]

    def execute(self, sql: str, params: dict[str, object]) -> list[tuple]:
        """The rows of `sql` with bound `params`."""
        try:
            return self._con.execute(sql, params or None).fetchall()
        except duckdb.Error as exc:
            raise RuntimeError(f"dashboard query failed: {exc}\n{sql}") from exc

    def row(self, name: str, **params: object) -> dict[str, object]:
        """The single row of a one-row named query."""
        return self.frame(name, **params).row(0, named=True)

    def close(self) -> None:
        """Close the connection."""
        self._con.close()


def provenance_of(
    where: Path | Lake,
    content_dir: Path | str,
    run_id: str | None = None,
    build_counts: dict[str, object] | None = None,
) -> Provenance:
    """The provenance of the committed warehouse: its catalog and when it was committed."""
    con = connect_read_only(where)
    try:
        _, built = begin_read(con)
    finally:
        con.close()
    return Provenance(
        content_dir=str(content_dir),
        database=located(where).describe(),
        data_built_at=built.astimezone(UTC),
        run_id=run_id,
        build_counts=dict(build_counts or {}),
    )
