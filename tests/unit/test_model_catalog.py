"""Models come from `sql/`: lineage from the SQL itself, docs and checks from the header."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.models import SQL_DIR, warehouse_tables
from pipelines.models import ModelError, load_models, materialise
from pipelines.models.catalog import read_model, upstream_tables

HEADER = """/*
description: Test model.
grain: [id]
columns:
  id: The id.
*/
"""


def write(folder: Path, name: str, sql: str, header: str = HEADER) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + sql)
    return path


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("select 1 as id from raw.articles", {"raw.articles"}),
        ("with a as (select * from raw.articles) select * from a", {"raw.articles"}),
        (
            "select * from staging.x join staging.y using (id)"
            " where exists (select 1 from marts.z) union all select * from marts.w",
            {"staging.x", "staging.y", "marts.z", "marts.w"},
        ),
        ("select unnest(topics) from raw.articles as r, (select 1) as t", {"raw.articles"}),
        ("select 1 as id", set()),
    ],
)
def test_upstream_tables_are_read_from_the_sql(sql, tables):
    assert upstream_tables(sql) == tables


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select * from articles", "schema.table"),
        ("selec 1", "does not parse"),
        ("select 1; select 2", "exactly one"),
    ],
)
def test_unusable_sql_is_refused_with_the_file_named(tmp_path, sql, message):
    path = write(tmp_path, "marts/m.sql", sql)
    with pytest.raises(ModelError, match=message) as error:
        read_model(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "must start with"),
        ("/* [a list] */\n", "YAML mapping"),
        ("/*\ndescription: x\ngrain: [id]\n*/\n", "needs `columns`"),
        ("/*\ndescription: x\ngrain: [id]\ncolumns: {id: x}\nowner: me\n*/\n", "unknown"),
        ("/*\ndescription: x\ngrain: [idd]\ncolumns: {id: x}\n*/\n", "no doc"),
    ],
)
def test_bad_headers_are_refused(tmp_path, header, message):
    path = write(tmp_path, "marts/m.sql", "select 1 as id", header=header)
    with pytest.raises(ModelError, match=message):
        read_model(path)


def test_models_come_in_dependency_order_and_cycles_are_refused(tmp_path):
    write(tmp_path, "marts/b.sql", "select id from staging.a")
    write(tmp_path, "staging/a.sql", "select 1 as id")
    write(tmp_path, "marts/c.sql", "select id from marts.b")
    assert [m.table for m in load_models(tmp_path)] == ["staging.a", "marts.b", "marts.c"]
    write(tmp_path, "staging/a.sql", "select id from marts.c")
    with pytest.raises(ModelError, match="cycle"):
        load_models(tmp_path)


def test_columns_of_the_select_must_all_be_documented(tmp_path):
    model = read_model(write(tmp_path, "marts/m.sql", "select 1 as id, 2 as extra"))
    with pytest.raises(ModelError, match=r"undocumented \['extra'\]"):
        materialise(duckdb.connect(), model)


def test_adding_a_sql_file_adds_a_documented_asset(tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    header = HEADER.replace("grain: [id]", "grain: [provider_domain]").replace(
        "  id: The id.", "  provider_domain: The provider.\n  top_articles: Articles of 100+."
    )
    write(
        sql_dir,
        "marts/provider_top.sql",
        "select provider_domain, count(*) filter (where quality_band = 'top') as top_articles"
        " from marts.fct_articles group by all",
        header=header,
    )
    assets = warehouse_tables(sql_dir)
    key = dg.AssetKey(["marts", "provider_top"])
    spec = next(spec for spec in assets.specs if spec.key == key)
    assert [dep.asset_key for dep in spec.deps] == [dg.AssetKey(["marts", "fct_articles"])]
    assert spec.group_name == "marts"
    assert spec.description == "Test model."
    assert {check.name for check in assets.check_specs if check.asset_key == key} == {
        "grain_unique",
        "not_null",
    }


@pytest.mark.parametrize("layout", ["missing", "empty", "no sql files"])
def test_a_folder_without_models_is_an_error(tmp_path, layout):
    sql_dir = tmp_path / "sql"
    if layout != "missing":
        (sql_dir / "marts").mkdir(parents=True)
    if layout == "no sql files":
        (sql_dir / "marts" / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError, match="no models") as error:
        load_models(sql_dir)
    assert str(sql_dir) in str(error.value)


def test_a_misspelt_upstream_table_is_an_error_naming_the_file_and_the_known_tables(tmp_path):
    write(tmp_path, "staging/a.sql", "select 1 as id from raw.articles")
    path = write(tmp_path, "marts/b.sql", "select id from staging.aa")
    with pytest.raises(ModelError) as error:
        load_models(tmp_path)
    message = str(error.value)
    assert f"unknown table staging.aa in {path}" in message
    assert "known: " in message
    for table in ("raw.articles", "raw.quarantine", "staging.a", "marts.b"):
        assert table in message.split("known: ")[1]


@pytest.mark.parametrize("key", ["grain", "unique", "not_null"])
def test_a_column_list_without_brackets_says_what_it_should_look_like(tmp_path, key):
    header = HEADER.replace("*/", f"{key}: id\n*/") if key != "grain" else HEADER
    if key == "grain":
        header = header.replace("grain: [id]", "grain: id")
    path = write(tmp_path, "marts/m.sql", "select 1 as id", header=header)
    with pytest.raises(ModelError) as error:
        read_model(path)
    message = str(error.value)
    assert str(path) in message
    assert f"`{key}` must be a list of column names" in message
    assert f"{key}: [id]" in message


@pytest.mark.parametrize("missing", ["sql", "description"])
def test_a_reconcile_entry_missing_a_key_names_the_entry_and_the_file(tmp_path, missing):
    entry = {"sql": "sql: select 1 as id", "description": "description: Always one row."}
    entry.pop(missing)
    header = HEADER.replace(
        "*/", "reconcile:\n  always_one:\n    " + "\n    ".join(entry.values()) + "\n*/"
    )
    path = write(tmp_path, "marts/m.sql", "select 1 as id", header=header)
    with pytest.raises(ModelError) as error:
        read_model(path)
    message = str(error.value)
    assert str(path) in message
    assert f"reconcile entry `always_one` needs `{missing}`" in message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace("*/", "reconcile: [a, b]\n*/"), "`reconcile` must be a mapping"),
        (HEADER.replace("*/", "reconcile:\n  x: select 1\n*/"), "reconcile entry `x` must be"),
        (HEADER.replace("*/", "accepted_values: [a]\n*/"), "`accepted_values` must be"),
        (HEADER.replace("*/", "accepted_values:\n  id: a\n*/"), "accepted_values: {id: [a]}"),
        ("/*\ndescription: x\ngrain: [id]\ncolumns: [id]\n*/\n", "`columns` must be a mapping"),
    ],
    ids=["reconcile-list", "reconcile-entry-text", "values-list", "values-text", "columns-list"],
)
def test_other_malformed_header_values_are_refused_clearly(tmp_path, header, message):
    path = write(tmp_path, "marts/m.sql", "select 1 as id", header=header)
    with pytest.raises(ModelError, match=re.escape(message)) as error:
        read_model(path)
    assert str(path) in str(error.value)


INCREMENTAL = HEADER.replace("*/", "incremental_by: id\n*/")
CHANGED_SQL = (
    "select article_id as id from raw.articles semi join temp.changed_articles using (article_id)"
)


@pytest.mark.parametrize(
    ("header", "sql", "message"),
    [
        (INCREMENTAL, "select 1 as id from raw.articles", "select from temp.changed_articles"),
        (HEADER, CHANGED_SQL, "has no `incremental_by` column"),
        (HEADER.replace("*/", "incremental_by: [id]\n*/"), CHANGED_SQL, "names one column"),
        (HEADER.replace("*/", "incremental_by: day\n*/"), CHANGED_SQL, "no doc: ['day']"),
        (HEADER.replace("*/", "changes: select 1\n*/"), "select 1 as id", "name its article"),
        (INCREMENTAL.replace("*/", "changes: [a]\n*/"), CHANGED_SQL, "`changes` is one select"),
    ],
    ids=[
        "without-changed",
        "changed-without-key",
        "key-list",
        "key-undocumented",
        "changes-without-key",
        "changes-list",
    ],
)
def test_an_incremental_model_names_its_article_column_and_reads_the_changed_articles(
    tmp_path, header, sql, message
):
    path = write(tmp_path, "staging/m.sql", sql, header=header)
    with pytest.raises(ModelError, match=re.escape(message)) as error:
        read_model(path)
    assert str(path) in str(error.value)


def test_the_changed_articles_are_no_upstream_table(tmp_path):
    model = read_model(write(tmp_path, "staging/m.sql", CHANGED_SQL, header=INCREMENTAL))
    assert (model.incremental_by, model.upstream) == ("id", frozenset({"raw.articles"}))
