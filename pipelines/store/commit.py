"""One build of the lake: raw tables, then models and their checks, committed as one snapshot.

The whole build is one DuckLake transaction. Nothing is visible until its commit; a build
that fails, is killed or has a blocking check fail leaves the last committed build in place
(its own data files become orphans, which the next build removes).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import duckdb

from ..models import Model, ModelRun, build_models
from ..models.checks import CheckOutcome, run_check
from . import lake
from .built import (
    commit_info,
    incremental_tables,
    last_built,
    set_commit_info,
    widen_limit,
)
from .lock import writer_lock
from .maintenance import GRACE, KEEP_BUILDS, KEEP_DAYS, expire_and_clean
from .raw import RAW_CHECKS, RAW_TABLES, load_raw, remove_loaded_parts
from .upgrade import remove_old_layout

_LOG = logging.getLogger("newsdw")


@dataclass
class TablesBuild:
    """What one build did: raw row counts, each model's run, and the committed snapshot."""

    raw_rows: dict[str, int] = field(default_factory=dict)
    raw_outcomes: dict[str, list[CheckOutcome]] = field(default_factory=dict)
    runs: list[ModelRun] = field(default_factory=list)
    published: str | None = None  # the lake's catalog, once the build is committed
    snapshot: int | None = None  # the lake snapshot the build committed

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        """Failed checks that kept the build from being committed."""
        return [outcome for run in self.runs for outcome in run.blocking_failures]


def build_and_publish(
    where: Path | lake.Lake,
    models: Iterable[Model],
    selected: set[str] | None = None,
    log: logging.Logger | logging.LoggerAdapter = _LOG,
    memory: str = lake.DEFAULT_MEMORY,
    keep_days: int = KEEP_DAYS,
    keep_builds: int = KEEP_BUILDS,
    grace: timedelta = GRACE,
    whole: bool = False,
) -> TablesBuild:
    """Build the `selected` tables (default: all) in one transaction; commit if checks pass.

    `where`: the warehouse folder, or a Lake whose catalog or data files are elsewhere.

    `whole`: build every model whole, none by the delta (`newsdw build --full`).

    After the commit, the builds past the lake's window (`keep_days`, `keep_builds`) expire.
    """
    where = lake.located(where)
    with writer_lock(where.warehouse, log.info):
        con = lake.open_writer(where, memory)
        try:
            result = _build(con, where, list(models), selected, log, whole)
            if result.published is not None:
                expired = expire_and_clean(
                    con, keep_days, keep_builds, grace, shared=where.on_postgres
                )
                if expired:
                    log.info(f"expired {expired} old builds of the lake")
            return result
        finally:
            con.close()


def _build(
    con: duckdb.DuckDBPyConnection,
    where: lake.Lake,
    models: list[Model],
    selected: set[str] | None,
    log: logging.Logger | logging.LoggerAdapter,
    whole: bool,
) -> TablesBuild:
    warehouse_dir = where.warehouse
    every_table = {*RAW_TABLES, *(model.table for model in models)}
    selected = every_table if selected is None else selected
    result = TablesBuild()
    started = time.perf_counter()
    raw: tuple[str, ...] = ()
    con.execute("begin")
    try:
        for table in drop_tables_except(con, every_table):
            log.info(f"dropped {table}: no model builds it any more")
        previous = {} if whole else last_built(con)
        raw = tuple(sorted(selected & set(RAW_TABLES)))
        articles = _articles(con)
        load = load_raw(
            con,
            warehouse_dir,
            raw,
            progress=log.info,
            related_limit=widen_limit(articles),
        )
        result.raw_rows = load.rows
        if raw:
            log.info(
                "loaded "
                + ", ".join(f"{table} {rows:,} rows" for table, rows in result.raw_rows.items())
                + f" in {time.perf_counter() - started:.1f} s"
            )
        for table in raw:
            result.raw_outcomes[table] = [run_check(con, c) for c in RAW_CHECKS[table]]
            for outcome in result.raw_outcomes[table]:
                if not outcome.passed:
                    log.warning(
                        f"{table}: check {outcome.check.name} failed on"
                        f" {outcome.failing_rows:,} rows, e.g. {outcome.sample[:2]}"
                    )
        incremental = incremental_tables(
            models, selected, previous, load.changed, articles, load.related_kept
        )
        if incremental:
            log.info(
                f"{load.changed:,} {'article' if load.changed == 1 else 'articles'} changed:"
                f" {', '.join(sorted(incremental))}"
                " replace only their rows"
            )
        model_started = time.perf_counter()
        for run in build_models(con, models, selected, incremental):
            _log(log, run, time.perf_counter() - model_started)
            result.runs.append(run)
            model_started = time.perf_counter()
        failures = result.blocking_failures
        if failures:
            con.execute("rollback")
            log.error(
                "warehouse NOT published, the last good one stays in place: "
                + "; ".join(f"{o.check.name} failed on {o.failing_rows} rows" for o in failures)
            )
            return result
        committing = time.perf_counter()
        set_commit_info(con, commit_info(models, result.runs, previous, raw_loaded=bool(raw)))
        con.execute("commit")
    except BaseException:
        _rollback(con)
        raise
    result.snapshot = con.execute(
        f"select max(snapshot_id) from {lake.LAKE}.snapshots()"
    ).fetchone()[0]
    result.published = where.describe()
    log.info(
        f"committed snapshot {result.snapshot} of {result.published}"
        f" in {time.perf_counter() - committing:.1f} s"
    )
    if "raw.articles" in raw:
        remove_loaded_parts(warehouse_dir)
    remove_old_layout(warehouse_dir, log.info)
    return result


def _articles(con: duckdb.DuckDBPyConnection) -> int:
    """The articles of the last build (0 before the first): what the changed ones are out of."""
    found = con.execute(
        "select estimated_size from duckdb_tables() where database_name = current_database()"
        " and schema_name = 'staging' and table_name = 'stg_articles'"
    ).fetchone()
    return found[0] if found else 0


def drop_tables_except(con: duckdb.DuckDBPyConnection, keep: set[str]) -> list[str]:
    """Drop every table of the lake not named in `keep` (`schema.table`); return them."""
    tables = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables()"
        " where database_name = current_database() and not temporary"
    ).fetchall()
    stale = sorted(table for (table,) in tables if table not in keep)
    for table in stale:
        con.execute(f"drop table {table}")
    return stale


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    # No transaction may be left to undo: the failure may have ended it.
    with contextlib.suppress(duckdb.Error):
        con.execute("rollback")


def _log(log, run: ModelRun, seconds: float) -> None:
    """One line per model: its rows, its checks, and the seconds its build and checks took."""
    if run.built is None:
        log.warning(f"skipped {run.model.table}: {run.skipped_because}")
        return
    failed = [outcome.check.name for outcome in run.outcomes if not outcome.passed]
    log.info(
        f"built {run.model.table}: {run.built.rows:,} rows; "
        f"checks {len(run.outcomes) - len(failed)}/{len(run.outcomes)} passed"
        + (f", FAILED: {', '.join(failed)}" if failed else "")
        + f"; {seconds:.2f} s"
    )
