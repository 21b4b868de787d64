"""One build of the DuckDB file: raw tables, then models and their checks, then publication.

Nothing is published when a blocking check fails: analysts and dashboards keep the last
warehouse that passed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import warehouse
from .ingest.manifest import manifest_path
from .models import Model, ModelRun, build_models
from .models.checks import CheckOutcome, run_check
from .raw_tables import RAW_CHECKS, RAW_TABLES, load_raw
from .versions import build_key, file_digest

_LOG = logging.getLogger("newsdw")


@dataclass
class TablesBuild:
    """What one build did: raw row counts, each model's run, and the published file."""

    raw_rows: dict[str, int] = field(default_factory=dict)
    raw_outcomes: dict[str, list[CheckOutcome]] = field(default_factory=dict)
    runs: list[ModelRun] = field(default_factory=list)
    published: Path | None = None
    built_from: str = ""  # the build key of the manifest and code it was built from

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        """Failed checks that kept the build from being published."""
        return [outcome for run in self.runs for outcome in run.blocking_failures]


def build_and_publish(
    warehouse_dir: Path,
    models: Iterable[Model],
    selected: set[str] | None = None,
    log: logging.Logger | logging.LoggerAdapter = _LOG,
) -> TablesBuild:
    """Build the `selected` tables (default: all) into a draft and publish it if checks pass."""
    with warehouse.writer_lock(warehouse_dir, log.info):
        return _build_and_publish(warehouse_dir, list(models), selected, log)


def _build_and_publish(
    warehouse_dir: Path,
    models: list[Model],
    selected: set[str] | None,
    log: logging.Logger | logging.LoggerAdapter,
) -> TablesBuild:
    every_table = {*RAW_TABLES, *(model.table for model in models)}
    selected = every_table if selected is None else selected
    result = TablesBuild()
    # The draft starts from the published file: raw.articles is brought up to date by the
    # delta, the selected models are replaced, and a deleted model's table is dropped.
    with warehouse.draft(warehouse_dir) as draft:
        started = time.perf_counter()
        result.built_from = build_key(file_digest(manifest_path(warehouse_dir)))
        for table in warehouse.drop_tables_except(draft.con, every_table):
            log.info(f"dropped {table}: no model builds it any more")
        raw = tuple(sorted(selected & set(RAW_TABLES)))
        result.raw_rows = load_raw(draft.con, warehouse_dir, raw, progress=log.info)
        if raw:
            log.info(
                "loaded "
                + ", ".join(f"{table} {rows:,} rows" for table, rows in result.raw_rows.items())
                + f" in {time.perf_counter() - started:.1f} s"
            )
        for table in raw:
            result.raw_outcomes[table] = [run_check(draft.con, c) for c in RAW_CHECKS[table]]
            for outcome in result.raw_outcomes[table]:
                if not outcome.passed:
                    log.warning(
                        f"{table}: check {outcome.check.name} failed on"
                        f" {outcome.failing_rows:,} rows, e.g. {outcome.sample[:2]}"
                    )
        model_started = time.perf_counter()
        for run in build_models(draft.con, models, selected):
            _log(log, run, time.perf_counter() - model_started)
            result.runs.append(run)
            model_started = time.perf_counter()
        failures = result.blocking_failures
        if failures:
            log.error(
                "warehouse NOT published, the last good one stays in place: "
                + "; ".join(f"{o.check.name} failed on {o.failing_rows} rows" for o in failures)
            )
        else:
            result.published = draft.publish()
            log.info(f"published {result.published}")
    return result


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
