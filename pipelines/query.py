"""Read-only SQL against the published warehouse, formatted for a terminal or a pipe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb

from .warehouse import connect_read_only


def run_query(warehouse: Path, sql: str, fmt: str = "table") -> str:
    """Run `sql` read-only and render the result as table, csv or json text."""
    con = connect_read_only(warehouse)
    try:
        relation = con.sql(sql)
        if relation is None:
            return ""
        columns = relation.columns
        rows = relation.fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"SQL error: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(records, default=str, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue()
    return _table(columns, rows)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("NULL" if value is None else str(value)) for value in row] for row in rows]
    widths = [
        min(60, max([len(name)] + [len(row[i]) for row in cells])) for i, name in enumerate(columns)
    ]

    def line(values: list[str]) -> str:
        return " | ".join(
            value[:width].ljust(width) for value, width in zip(values, widths, strict=True)
        )

    rule = "-+-".join("-" * width for width in widths)
    body = [line(columns), rule, *(line(row) for row in cells)]
    body.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(body) + "\n"
