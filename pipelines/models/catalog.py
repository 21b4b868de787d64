"""The models of a `sql/` folder: one table per file, its docs, checks and upstream tables.

A model file starts with a `/* ... */` block of YAML (description, grain, column docs,
checks) followed by one `select`. Upstream tables are read from the select with DuckDB's
own parser, so lineage is never declared twice.
"""

from __future__ import annotations

import difflib
import graphlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

_HEADER = re.compile(r"\A\s*/\*(?P<yaml>.*?)\*/\s*(?P<sql>.*)\Z", re.DOTALL)
_NAME = re.compile(r"\A[a-z][a-z0-9_]*\Z")
_HEADER_KEYS = {
    "description",
    "grain",
    "unique",
    "not_null",
    "accepted_values",
    "reconcile",
    "columns",
    "incremental_by",
    "changes",
}

_PACKAGE = Path(__file__).resolve().parents[1]
# A wheel carries the models inside the package (pyproject's force-include puts `sql/` at
# `pipelines/sql`); a checkout keeps them at the repository's top, where they are edited.
SQL_DIR = _PACKAGE / "sql" if (_PACKAGE / "sql").is_dir() else _PACKAGE.parent / "sql"


# The tables models read besides each other: the raw layer, which the store loads.
SOURCES = ("raw.articles", "raw.quarantine")
# The articles a build changed: (canonical_url, article_id) of every raw.articles row the build
# deleted or added, old and new. The store makes it for each build (every article when a table
# is built whole); an incremental model reads its changed articles' rows through it.
CHANGED = "temp.changed_articles"
# What CHANGED shows a model built incrementally (the build's delta) or whole (every article).
DELTA_ARTICLES = "temp.delta_articles"
EVERY_ARTICLE = "temp.every_article"
# The URLs named by the related lists of the raw rows a build deleted (before they went).
DELETED_RELATED = "temp.deleted_related"


class ModelError(ValueError):
    """A model file that cannot be used, with the file named in the message."""


@dataclass(frozen=True)
class Check:
    """A check of a table: a name, what it asserts, and a query for the rows that break it."""

    name: str
    description: str
    sql: str


@dataclass(frozen=True)
class Model:
    """One `sql/<schema>/<table>.sql` file."""

    schema: str
    name: str
    path: Path
    sql: str
    description: str
    columns: dict[str, str]
    grain: tuple[str, ...]
    unique: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    accepted_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reconciliations: tuple[Check, ...] = ()
    upstream: frozenset[str] = frozenset()
    # The article column of an incremental model: a build replaces the rows of the articles it
    # changed (those in CHANGED) and keeps the others; None: the table is built whole. A column
    # named canonical_url holds CHANGED's canonical_url, any other its article_id.
    incremental_by: str | None = None
    # A select of (canonical_url, article_id): the articles whose rows in this table change
    # besides the delta's, read from the tables as the last build left them. A build by the
    # delta adds them to CHANGED for this model and every model built after it.
    changes: str | None = None

    @property
    def table(self) -> str:
        """The qualified table name, `schema.table`."""
        return f"{self.schema}.{self.name}"


def load_models(sql_dir: Path = SQL_DIR, sources: Iterable[str] = SOURCES) -> list[Model]:
    """Every model under `sql_dir`, in an order where each comes after its upstream models.

    `sources` are the tables a model may read besides other models (the raw tables by default).
    """
    paths = sorted(Path(sql_dir).glob("*/*.sql"))
    if not paths:
        # An empty list would build a warehouse of raw tables only and say nothing.
        state = "is not a folder" if not Path(sql_dir).is_dir() else "holds no <schema>/*.sql"
        raise ModelError(f"no models: {sql_dir} {state}")
    models = {}
    for path in paths:
        model = read_model(path)
        models[model.table] = model
    known = sorted({*models, *sources})
    for model in models.values():
        for table in sorted(model.upstream - set(known)):
            close = difflib.get_close_matches(table, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ModelError(
                f"unknown table {table} in {model.path}{hint}; known: {', '.join(known)}"
            )
    order = graphlib.TopologicalSorter(
        {table: sorted(m.upstream & models.keys()) for table, m in models.items()}
    )
    try:
        return [models[table] for table in order.static_order()]
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise ModelError(f"models depend on each other in a cycle: {cycle}") from None


def read_model(path: Path) -> Model:
    """Parse one model file: its header and the tables its select reads."""
    schema, name = path.parent.name, path.stem
    for part in (schema, name):
        if not _NAME.match(part):
            raise ModelError(f"{path}: {part!r} is not a lowercase SQL name")
    match = _HEADER.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise ModelError(f"{path}: must start with a /* ... */ block of YAML documenting it")
    try:
        header = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as exc:
        hint = " (text with ': ' in it needs quotes, or `key: >-` and the text below)"
        raise ModelError(f"{path}: header is not valid YAML{hint}: {exc}") from None
    if not isinstance(header, dict):
        raise ModelError(f"{path}: header must be a YAML mapping")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise ModelError(f"{path}: unknown header keys {sorted(unknown)}")
    for key in ("description", "grain", "columns"):
        if not header.get(key):
            raise ModelError(f"{path}: header needs `{key}`")
    sql = match["sql"].strip().rstrip(";")
    columns = {
        str(column): str(doc).strip()
        for column, doc in _mapping(header, "columns", path, "{column: its doc, ...}").items()
    }
    reads = upstream_tables(sql, path)
    model = Model(
        schema=schema,
        name=name,
        path=path,
        sql=sql,
        description=str(header["description"]).strip(),
        columns=columns,
        grain=_column_list(header, "grain", path),
        unique=_column_list(header, "unique", path),
        not_null=_column_list(header, "not_null", path),
        accepted_values=_accepted_values(header, path),
        reconciliations=_reconciliations(header, path),
        upstream=frozenset(reads - {CHANGED}),
        incremental_by=_incremental_by(header, path, CHANGED in reads),
        changes=_changes(header, path),
    )
    named = {*model.grain, *model.unique, *model.not_null, *model.accepted_values}
    if model.incremental_by:
        named.add(model.incremental_by)
    undocumented = sorted(named - columns.keys())
    if undocumented:
        raise ModelError(f"{path}: checks name columns with no doc: {undocumented}")
    return model


def _incremental_by(header: dict, path: Path, reads_changed: bool) -> str | None:
    """The header's `incremental_by` column; a model reads CHANGED exactly when it has one."""
    column = header.get("incremental_by")
    if column is not None and not isinstance(column, str):
        raise ModelError(
            f"{path}: `incremental_by` names one column, e.g. `incremental_by: article_id`"
        )
    if column and not reads_changed:
        raise ModelError(
            f"{path}: an incremental model reads only its changed articles: select from"
            f" {CHANGED} (the articles a build changed) in its select"
        )
    if reads_changed and not column:
        raise ModelError(
            f"{path}: reads {CHANGED} but has no `incremental_by` column; name the article"
            " column its rows are replaced by, e.g. `incremental_by: article_id`"
        )
    return column or None


def _changes(header: dict, path: Path) -> str | None:
    """The header's `changes` select, which only an incremental model may have."""
    sql = header.get("changes")
    if sql is None:
        return None
    if not isinstance(sql, str) or not sql.strip():
        raise ModelError(f"{path}: `changes` is one select of (canonical_url, article_id)")
    if not header.get("incremental_by"):
        raise ModelError(
            f"{path}: `changes` widens the changed articles of an incremental model; name its"
            " article column too, e.g. `incremental_by: article_id`"
        )
    return sql.strip().rstrip(";")


def _mapping(header: dict, key: str, path: Path, shape: str) -> dict:
    value = header.get(key) or {}
    if not isinstance(value, dict):
        raise ModelError(f"{path}: `{key}` must be a mapping, e.g. `{key}: {shape}`")
    return value


def _column_list(header: dict, key: str, path: Path) -> tuple[str, ...]:
    value = header.get(key) or []
    # `grain: a` is a string, and a string is a sequence of letters: name the shape instead.
    if not isinstance(value, list) or not all(isinstance(column, str) for column in value):
        example = value if isinstance(value, str) else "a, b"
        raise ModelError(
            f"{path}: `{key}` must be a list of column names in brackets,"
            f" e.g. `{key}: [{example}]`, not {value!r}"
        )
    return tuple(value)


def _accepted_values(header: dict, path: Path) -> dict[str, tuple[str, ...]]:
    values = _mapping(header, "accepted_values", path, "{column: [value, ...]}")
    for column, allowed in values.items():
        if not isinstance(allowed, list):
            raise ModelError(
                f"{path}: `accepted_values` of {column} must be a list in brackets,"
                f" e.g. `accepted_values: {{{column}: [{allowed}]}}`"
            )
    return {column: tuple(str(value) for value in allowed) for column, allowed in values.items()}


def _reconciliations(header: dict, path: Path) -> tuple[Check, ...]:
    entries = _mapping(header, "reconcile", path, "{name: {description: ..., sql: ...}}")
    checks = []
    for name, spec in entries.items():
        if not isinstance(spec, dict):
            raise ModelError(
                f"{path}: reconcile entry `{name}` must be a mapping of `description` and `sql`"
            )
        for key, what in (
            ("description", "what it asserts"),
            ("sql", "a query for the rows that break it"),
        ):
            if not spec.get(key):
                raise ModelError(f"{path}: reconcile entry `{name}` needs `{key}`: {what}")
        checks.append(
            Check(
                name=f"reconcile_{name}",
                description=str(spec["description"]).strip(),
                sql=str(spec["sql"]).strip().rstrip(";"),
            )
        )
    return tuple(checks)


def upstream_tables(sql: str, path: Path | str = "<sql>") -> set[str]:
    """The `schema.table` names a select reads, from DuckDB's parse tree."""
    con = duckdb.connect()
    try:
        serialised = con.execute("select json_serialize_sql($sql)", {"sql": sql}).fetchone()[0]
        tree = json.loads(serialised)
    finally:
        con.close()
    if tree.get("error"):
        raise ModelError(f"{path}: SQL does not parse: {tree.get('error_message')}")
    if len(tree["statements"]) != 1:
        raise ModelError(f"{path}: must hold exactly one select statement")
    tables: set[str] = set()
    ctes: set[str] = set()
    _walk(tree, tables, ctes)
    bare = {table for table in tables if "." not in table} - ctes
    if bare:
        raise ModelError(f"{path}: name tables with their schema (schema.table): {sorted(bare)}")
    return {table for table in tables if "." in table}


def _walk(node, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            schema, table = node.get("schema_name"), node.get("table_name")
            tables.add(f"{schema}.{table}" if schema else table)
        for entry in (node.get("cte_map") or {}).get("map", []):
            ctes.add(entry["key"])
        for value in node.values():
            _walk(value, tables, ctes)
    elif isinstance(node, list):
        for value in node:
            _walk(value, tables, ctes)
