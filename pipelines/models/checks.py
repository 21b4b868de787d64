"""Data checks on a built model: each is a query for the offending rows, empty when it holds."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .catalog import Check, Model
from .materialise import sql_literal

_SAMPLE_ROWS = 5


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found: how many rows break it, and a few of them."""

    check: Check
    failing_rows: int
    sample: list[dict]

    @property
    def passed(self) -> bool:
        """True when no row breaks the check."""
        return self.failing_rows == 0


def model_checks(model: Model) -> list[Check]:
    """The checks a model's header asks for: grain, uniques, not-nulls, values, reconciliations."""
    table = model.table
    key = ", ".join(model.grain)
    checks = [
        Check(
            "grain_unique",
            f"One row per ({key}).",
            f"select {key}, count(*) as rows from {table} group by all having count(*) > 1",
        )
    ]
    checks += [
        Check(
            f"unique_{column}",
            f"{column} is unique.",
            f"select {column}, count(*) as rows from {table} "
            f"where {column} is not null group by all having count(*) > 1",
        )
        for column in model.unique
    ]
    not_null = list(dict.fromkeys([*model.grain, *model.not_null]))
    checks.append(
        Check(
            "not_null",
            f"No NULL in {', '.join(not_null)}.",
            f"select * from {table} where "
            + " or ".join(f"{column} is null" for column in not_null),
        )
    )
    for column, values in model.accepted_values.items():
        allowed = ", ".join(sql_literal(value) for value in values)
        checks.append(
            Check(
                f"accepted_values_{column}",
                f"{column} is NULL or one of {', '.join(values)}.",
                f"select {column}, count(*) as rows from {table} "
                f"where {column} not in ({allowed}) group by all",
            )
        )
    checks += model.reconciliations
    return checks


def run_checks(con: duckdb.DuckDBPyConnection, model: Model) -> list[CheckOutcome]:
    """Run every check of a built model."""
    return [run_check(con, check) for check in model_checks(model)]


def run_check(con: duckdb.DuckDBPyConnection, check: Check) -> CheckOutcome:
    """Count the rows that break a check and keep a few of them as a sample."""
    failing = con.execute(f"select count(*) from ({check.sql})").fetchone()[0]
    sample = []
    if failing:
        cursor = con.execute(f"select * from ({check.sql}) limit {_SAMPLE_ROWS}")
        names = [column[0] for column in cursor.description]
        sample = [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]
    return CheckOutcome(check, failing, sample)


def _plain(value):
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)
