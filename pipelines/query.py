"""SQL against the committed warehouse in a sandbox, formatted for a terminal or a pipe."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb

from .models.materialise import sql_literal
from .store import lake

# DuckDB's own sandbox, set once the lake is attached read-only: external access off, so no
# statement reads or writes a file outside the lake's data folder (`read_text`, `copy … to`
# elsewhere) nor installs or loads an extension; no temp directory, so nothing spills beside
# the warehouse; and the configuration locked, so that no `set` can undo any of it.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}
# The lake's files must stay readable, and DuckDB's allow-list of folders allows writing
# there too: so the statements that write files (`copy`, `export`) or could attach the lake
# again read-write (`attach`, `detach`) are refused before they reach DuckDB, as are the
# lake's maintenance functions, which a select could call. Everything else that writes meets
# the read-only lake; scratch work in temp tables stays the analyst's right.
_REFUSED = {"ATTACH", "DETACH", "COPY", "COPY_DATABASE", "EXPORT", "LOAD", "EXTENSION"}
_TEMPORARY = re.compile(r"\s*create\s+(or\s+replace\s+)?temp(orary)?\s", re.IGNORECASE)
_MAINTENANCE = re.compile(
    r"ducklake_(add_data_files|cleanup_old_files|delete_orphaned_files|expire_snapshots"
    r"|flush_inlined_data|merge_adjacent_files|rewrite_data_files|set_\w+)",
    re.IGNORECASE,
)


class QueryError(ValueError):
    """The warehouse cannot be opened or the SQL failed; the message says why."""


def connect_sandboxed(where: Path | lake.Lake) -> duckdb.DuckDBPyConnection:
    """A connection to the committed warehouse that can neither change it nor reach any file."""
    where = lake.located(where)
    folder = where.warehouse
    if folder.exists() and not folder.is_dir():
        raise QueryError(f"the warehouse {folder} is not a folder")
    path = where.describe()
    try:
        con = lake.connect_read_only(where, config={"temp_directory": ""})
    except lake.LakeMissing as exc:
        raise QueryError(str(exc)) from None
    except duckdb.Error as exc:
        raise QueryError(f"cannot open the warehouse {path}: {_first_line(exc)}") from None
    try:
        con.execute("set allowed_directories = [" + sql_literal(where.data_url) + "]")
        for name, value in SANDBOX.items():
            con.execute(f"set {name} = {str(value).lower()}")
    except duckdb.Error as exc:
        raise QueryError(f"cannot open the warehouse {path}: {_first_line(exc)}") from None
    return con


def _refusal(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """Why `sql` may not run in the sandbox, or None when it only asks questions."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error:
        return None  # DuckDB reports the syntax error itself, with its position
    for statement in statements:
        kind = statement.type.name
        if kind == "CREATE" and not _TEMPORARY.match(statement.query):
            return (
                "newsdw query creates temporary objects only (create temp table …):"
                " the warehouse is read-only"
            )
        if kind in _REFUSED:
            return (
                f"newsdw query does not run {kind.lower().replace('_', ' ')} statements:"
                " the warehouse is read-only and no other file may be reached"
            )
    found = _MAINTENANCE.search(sql)
    if found:
        return f"{found.group(0)} changes the lake; newsdw query is read-only"
    return None


def run_query(where: Path | lake.Lake, sql: str, fmt: str = "table") -> str:
    """Run `sql` in the sandbox and render the result as table, csv or json text."""
    con = connect_sandboxed(where)
    refusal = _refusal(con, sql)
    if refusal:
        con.close()
        raise QueryError(refusal)

    def ask() -> tuple[list[str], list[tuple]] | None:
        relation = con.sql(sql)
        return None if relation is None else (relation.columns, relation.fetchall())

    try:
        # One statement is one transaction: the answer comes from one committed build.
        answer = lake.retry(ask)
    except duckdb.Error as exc:
        # The whole message: DuckDB's later lines carry "Did you mean …" and the candidates.
        raise QueryError(f"SQL error: {str(exc).rstrip()}") from None
    finally:
        con.close()
    if answer is None:
        return ""
    columns, rows = answer
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
