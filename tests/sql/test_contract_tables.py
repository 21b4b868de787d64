"""The built warehouse has exactly the contract's tables, columns, grains and comments.

The contract's table is read from `tests/fixtures/warehouse-contract.md`, a copy of the
public interface (`shared/spec/warehouse-contract.md`).
"""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.generate import generate_corpus
from pipelines.resources import NewsdwPaths
from pipelines.store.lake import connect_read_only
from tests.conftest import article, write_corpus

CONTRACT = Path(__file__).parents[1] / "fixtures" / "warehouse-contract.md"


def contract_tables() -> dict[str, tuple[list[str], list[str]]]:
    """table -> (grain tokens, required columns), from section 2's table."""
    tables = {}
    for line in CONTRACT.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\w+\.\w+`", cells[0]):
            tables[cells[0].strip("`")] = (
                re.findall(r"`(\w+)`", cells[1]),
                # Parentheses explain a column and may name others: `a` (... `b` ...).
                re.findall(r"`(\w+)`", re.sub(r"\([^()]*\)", "", cells[2])),
            )
    return tables


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse built from the hostile fixture corpus plus 300 generated articles."""
    corpus = write_corpus(tmp_path_factory.mktemp("corpus") / "content")
    generate_corpus(corpus / "generated", 300, seed=11)
    # One event covered by two outlets, so every story table has rows.
    (corpus / "story.txt").write_text(
        article(
            "AI system beats experts at spotting breast cancer",
            "https://a.example/ai",
            publishedDateTime="2021-03-05T10:00:00Z",
            provider="{name: A, domain: a.example}",
            related="[{title: AI beats experts at spotting breast cancer,"
            " sourceUrl: 'https://b.example/ai', publishedDateTime: '2021-03-05T14:00:00Z',"
            " provider: {name: B, domain: b.example}}]",
        )
    )
    paths = NewsdwPaths(
        content_dir=str(corpus), warehouse_dir=str(tmp_path_factory.mktemp("warehouse"))
    )
    result = dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths})
    assert result.success
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == []
    con = connect_read_only(paths.warehouse)
    yield con
    con.close()


def test_contract_lists_every_table():
    assert len(contract_tables()) == 21


def test_tables_and_columns_are_the_contracts(built):
    tables = dict(
        built.execute(
            "select schema_name || '.' || table_name, comment from duckdb_tables()"
            " where database_name = current_database()"
        ).fetchall()
    )
    assert set(tables) == set(contract_tables())
    assert all(comment and comment.strip() for comment in tables.values()), tables
    columns = {}
    for table, column, comment in built.execute(
        "select schema_name || '.' || table_name, column_name, comment from duckdb_columns()"
        " where database_name = current_database()"
    ).fetchall():
        assert comment and comment.strip(), f"{table}.{column} has no comment"
        columns.setdefault(table, set()).add(column)
    for table, (_, required) in contract_tables().items():
        assert set(required) <= columns[table], f"{table} lacks {set(required) - columns[table]}"


@pytest.mark.parametrize("table", sorted(contract_tables()))
def test_grain_is_unique(built, table):
    grain, _ = contract_tables()[table]
    columns = {
        name
        for (name,) in built.execute(
            "select column_name from duckdb_columns() where database_name = current_database()"
            " and schema_name || '.' || table_name = $table",
            {"table": table},
        ).fetchall()
    }
    # A grain such as "one `related` entry" names the source list, not a key column.
    key = [token for token in grain if token in columns] or ["article_id", "position"]
    total, distinct = built.execute(
        f"select count(*), count(distinct ({', '.join(key)})) from {table}"
    ).fetchone()
    assert total == distinct
    assert total > 0
