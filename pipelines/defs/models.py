"""The warehouse's tables: the raw tables and every SQL model, built and committed as one step.

One asset per table, made from the `sql/` folder. They share a step because they share one
lake transaction, which is committed only when every selected table is built and no blocking
check failed.
"""

from pathlib import Path

import dagster as dg

from ..models import BLOCKING_LAYERS, ModelRun, load_models
from ..models.catalog import SQL_DIR
from ..models.checks import model_checks
from ..resources import NewsdwPaths
from ..store.commit import TablesBuild, build_and_publish
from ..store.lock import WRITER_POOL
from ..store.raw import ARTICLES_DOC, QUARANTINE_DOC, RAW_CHECKS, RAW_TABLES
from ..versions import ENGINE_VERSION, model_version
from .automation import FOLLOW_UPSTREAM, MARTS_FRESHNESS
from .ingest import FULL_TAG, OWNERS, RAW_FILES

_RAW_DOCS = {"raw.articles": ARTICLES_DOC, "raw.quarantine": QUARANTINE_DOC}


def table_key(table: str) -> dg.AssetKey:
    """The asset key of a `schema.table` name."""
    return dg.AssetKey(table.split("."))


def warehouse_tables(sql_dir: Path = SQL_DIR) -> dg.AssetsDefinition:
    """The multi-asset that builds the raw tables and the models of `sql_dir`."""
    models = load_models(sql_dir, sources=RAW_TABLES)
    specs = [
        dg.AssetSpec(
            table_key(table),
            description=_RAW_DOCS[table],
            code_version=ENGINE_VERSION,
            group_name="raw",
            kinds={"ducklake"},
            deps=[RAW_FILES],
            skippable=True,
            owners=OWNERS,
            automation_condition=FOLLOW_UPSTREAM,
        )
        for table in RAW_TABLES
    ]
    specs += [
        dg.AssetSpec(
            table_key(model.table),
            description=model.description,
            code_version=model_version(model.path),
            group_name=model.schema,
            kinds={"ducklake", "sql"},
            deps=[table_key(table) for table in sorted(model.upstream)],
            skippable=True,
            owners=OWNERS,
            automation_condition=FOLLOW_UPSTREAM,
            freshness_policy=MARTS_FRESHNESS if model.schema == "marts" else None,
            metadata={
                "dagster/table_name": model.table,
                "sql_file": dg.MetadataValue.path(str(model.path)),
            },
        )
        for model in models
    ]
    check_specs = [
        dg.AssetCheckSpec(check.name, asset=table_key(table), description=check.description)
        for table, checks in RAW_CHECKS.items()
        for check in checks
    ]
    check_specs += [
        dg.AssetCheckSpec(
            check.name,
            asset=table_key(model.table),
            description=check.description,
            blocking=model.schema in BLOCKING_LAYERS,
        )
        for model in models
        for check in model_checks(model)
    ]

    @dg.multi_asset(
        name="warehouse_tables",
        specs=specs,
        check_specs=check_specs,
        can_subset=True,
        pool=WRITER_POOL,
    )
    def _warehouse_tables(context: dg.AssetExecutionContext, paths: NewsdwPaths):
        """Load the raw tables, build the models in order, check them, publish atomically."""
        selected = {".".join(key.path) for key in context.selected_asset_keys}
        build = build_and_publish(
            paths.lake,
            models,
            selected,
            log=context.log,
            memory=paths.duckdb_memory,
            keep_days=paths.lake_keep_days,
            keep_builds=paths.lake_keep_builds,
            whole=context.run.tags.get(FULL_TAG) == "true",
        )
        if build.published is not None:
            for table, rows in build.raw_rows.items():
                yield dg.MaterializeResult(
                    asset_key=table_key(table),
                    metadata={
                        "dagster/row_count": rows,
                        "lake_catalog": dg.MetadataValue.path(build.published),
                        "lake_snapshot": build.snapshot,
                    },
                )
            for run in build.runs:
                if run.built is not None:
                    yield _materialization(run, build)
        for table, outcomes in build.raw_outcomes.items():
            for outcome in outcomes:
                yield _check_result(table, outcome)
        for run in build.runs:
            for outcome in run.outcomes:
                yield _check_result(run.model.table, outcome)

    return _warehouse_tables


def _materialization(run: ModelRun, build: TablesBuild) -> dg.MaterializeResult:
    columns = [
        dg.TableColumn(name, type=kind, description=doc) for name, kind, doc in run.built.columns
    ]
    return dg.MaterializeResult(
        asset_key=table_key(run.model.table),
        metadata={
            "dagster/row_count": run.built.rows,
            "dagster/column_schema": dg.TableSchema(columns=columns),
            "dagster/table_name": run.model.table,
            # "delta": only the changed articles' rows were selected again; "whole": all.
            "built_by": "delta" if run.incremental else "whole",
            "lake_catalog": dg.MetadataValue.path(build.published),
            "lake_snapshot": build.snapshot,
        },
    )


def _check_result(table: str, outcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=table_key(table),
        check_name=outcome.check.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.check.description,
        metadata={
            "failing_rows": outcome.failing_rows,
            "sample": dg.MetadataValue.json(outcome.sample),
            "query": dg.MetadataValue.md(f"```sql\n{outcome.check.sql}\n```"),
        },
    )
