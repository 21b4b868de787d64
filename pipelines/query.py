"""SQL against the published warehouse in a sandbox, formatted for a terminal or a pipe."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb

from .warehouse import database_path

# DuckDB's own sandbox: the file is the only database, opened read-only, so no statement can
# write it, and attaching a second copy of it read-write or an in-memory database is refused.
# With external access off, no statement reads or writes another file (`copy … to`,
# `export database`, `read_text`, `read_csv`, `attach`) nor installs or loads an extension;
# no temp directory, so nothing spills beside the warehouse; and the configuration is locked
# so that no `set` can undo any of it.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "temp_directory": "",
    "lock_configuration": True,
}


class QueryError(ValueError):
    """The warehouse cannot be opened or the SQL failed; the message says why."""


def connect_sandboxed(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection to the published warehouse that can neither change it nor reach any file."""
    folder = Path(warehouse)
    if folder.exists() and not folder.is_dir():
        raise QueryError(f"the warehouse {folder} is not a folder")
    path = database_path(folder)
    if not path.is_file():
        raise QueryError(f"no warehouse at {path}; run `newsdw build` first")
    try:
        # Opened by path, not attached to an in-memory database as `connect_read_only` does:
        # an attached file can be detached and attached again read-write.
        return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))
    except duckdb.Error as exc:
        raise QueryError(f"cannot open the warehouse {path}: {_first_line(exc)}") from None


def run_query(warehouse: Path, sql: str, fmt: str = "table") -> str:
    """Run `sql` in the sandbox and render the result as table, csv or json text."""
    con = connect_sandboxed(warehouse)
    try:
        relation = con.sql(sql)
        if relation is None:
            return ""
        columns = relation.columns
        rows = relation.fetchall()
    except duckdb.Error as exc:
        # The whole message: DuckDB's later lines carry "Did you mean …" and the candidates.
        raise QueryError(f"SQL error: {str(exc).rstrip()}") from None
    finally:
        con.close()
    if fmt == "json":
        records = [
            {name: _plain(value) for name, value in zip(columns, row, strict=True)} for row in rows
        ]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)
        return out.getvalue()
    return _table(columns, rows)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _plain(value: object) -> object:
    """A JSON value: lists and structs nested, timestamps ISO-8601 with a zone."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        # The warehouse's zone-less timestamps are UTC (the contract turns every date to UTC).
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, float) and (value != value or abs(value) == float("inf")):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in bytes(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _cell(value: object) -> str:
    """One CSV or table cell: text as it is, nested values as JSON, NULL empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    plain = _plain(value)
    if isinstance(plain, (dict, list)):
        return json.dumps(plain, ensure_ascii=False, default=str)
    if isinstance(value, Decimal):
        return str(value)
    return str(plain)


def _escape(text: str) -> str:
    """Text safe for a terminal: control and format characters written as escapes."""
    out = []
    for char in text:
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char) or _code(char))
        else:
            out.append(char)
    return "".join(out)


def _code(char: str) -> str:
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def _table(columns: list[str], rows: list[tuple]) -> str:
    names = [_escape(name) for name in columns]
    cells = [
        [("NULL" if value is None else _escape(_cell(value))) for value in row] for row in rows
    ]
    widths = [
        min(60, max([len(name)] + [len(row[i]) for row in cells])) for i, name in enumerate(names)
    ]

    def line(values: list[str]) -> str:
        return " | ".join(
            value[:width].ljust(width) for value, width in zip(values, widths, strict=True)
        )

    rule = "-+-".join("-" * width for width in widths)
    body = [line(names), rule, *(line(row) for row in cells)]
    body.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(body) + "\n"
