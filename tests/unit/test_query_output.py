"""`newsdw query`'s output: nested values as JSON, ISO timestamps, data kept, terminals safe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pipelines.query import run_query
from pipelines.store import lake

ESC_TITLE = "\x1b[31mred\x1b[0m\x07"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse whose one table holds a list, a struct, timestamps and control characters."""
    folder = tmp_path / "warehouse"
    with lake.writing(folder) as con:
        con.execute(
            "create table t as select"
            " ['a', 'b\"c'] as topics,"
            " {'name': 'x', 'at': timestamptz '2024-01-02 03:04:05+00'} as source,"
            " timestamptz '2024-01-02 03:04:05.5+00' as published_at,"
            " timestamp '2024-01-02 03:04:05' as naive_at,"
            " date '2024-01-02' as published_date,"
            " $t$" + ESC_TITLE + "$t$ as title"
        )
    return folder


def test_csv_writes_lists_and_structs_as_json_and_keeps_control_characters(warehouse: Path):
    header, row = list(csv.reader(io.StringIO(run_query(warehouse, "from t", "csv"))))
    record = dict(zip(header, row, strict=True))
    assert json.loads(record["topics"]) == ["a", 'b"c']
    assert json.loads(record["source"]) == {"name": "x", "at": "2024-01-02T03:04:05+00:00"}
    assert record["published_at"] == "2024-01-02T03:04:05.500000+00:00"
    assert record["published_date"] == "2024-01-02"
    assert record["title"] == ESC_TITLE


def test_json_writes_timestamps_as_iso_8601_with_t_and_a_zone(warehouse: Path):
    (record,) = json.loads(run_query(warehouse, "from t", "json"))
    assert record["published_at"] == "2024-01-02T03:04:05.500000+00:00"
    assert record["naive_at"] == "2024-01-02T03:04:05+00:00"
    assert record["source"] == {"name": "x", "at": "2024-01-02T03:04:05+00:00"}
    assert record["topics"] == ["a", 'b"c']
    assert record["title"] == ESC_TITLE


def test_table_escapes_control_characters_and_nothing_else(warehouse: Path):
    table = run_query(warehouse, "select title, 'é ü' as plain from t", "table")
    assert "\x1b" not in table and "\x07" not in table
    assert "\\x1b[31mred\\x1b[0m\\x07" in table
    assert "é ü" in table


def test_sql_error_keeps_every_line_of_duckdb_s_message(warehouse: Path):
    with pytest.raises(ValueError) as failed:
        run_query(warehouse, "select publishd_at from t")
    lines = str(failed.value).splitlines()
    assert len(lines) > 1
    assert any("published_at" in line for line in lines[1:])  # the candidate binding
