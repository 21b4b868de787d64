"""The README's example queries and its example model run against a built warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines.models import materialise
from pipelines.models.catalog import read_model
from pipelines.warehouse import connect_read_only, database_path

README = Path(__file__).parents[2] / "README.md"
BLOCKS = re.findall(r"```sql\n(.*?)```", README.read_text(), re.DOTALL)
QUERIES = [block for block in BLOCKS if not block.startswith("/*")]
MODELS = [block for block in BLOCKS if block.startswith("/*")]


def test_readme_has_three_queries_and_a_model():
    assert len(QUERIES) == 3 and len(MODELS) == 1


@pytest.mark.parametrize("sql", QUERIES)
def test_example_query_answers(generated_warehouse, sql):
    con = connect_read_only(generated_warehouse.warehouse)
    assert con.execute(sql).fetchall()


def test_example_model_builds(generated_warehouse, tmp_path):
    path = tmp_path / "marts" / "provider_top.sql"
    path.parent.mkdir()
    path.write_text(MODELS[0])
    model = read_model(path)
    assert model.upstream == {"marts.fct_articles"}
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(database_path(generated_warehouse.warehouse).read_bytes())
    built = materialise(duckdb.connect(str(copy)), model)
    assert built.rows > 0
