"""Building models in dependency order, stopping what depends on a failed blocking check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import duckdb

from .catalog import Model
from .checks import CheckOutcome, run_checks
from .materialise import Built, materialise

# A failed check on these layers stops every model downstream of it: analysts and
# dashboards read the marts, so a mart that breaks its grain must never reach them.
BLOCKING_LAYERS = frozenset({"marts"})


@dataclass
class ModelRun:
    """One model's turn in a build: built and checked, or skipped with the reason."""

    model: Model
    built: Built | None = None
    outcomes: list[CheckOutcome] = field(default_factory=list)
    skipped_because: str | None = None
    incremental: bool = False  # only the changed articles' rows were built again

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        """Failed checks that stop downstream models (only on blocking layers)."""
        if self.model.schema not in BLOCKING_LAYERS:
            return []
        return [outcome for outcome in self.outcomes if not outcome.passed]


def build_models(
    con: duckdb.DuckDBPyConnection,
    models: Iterable[Model],
    selected: set[str] | None = None,
    incremental: frozenset[str] = frozenset(),
) -> Iterator[ModelRun]:
    """Build and check `models` (already in dependency order), or the `selected` tables.

    The `incremental` tables replace their changed articles' rows only (see `materialise`).
    """
    blocked: dict[str, str] = {}
    for model in models:
        if selected is not None and model.table not in selected:
            continue
        reasons = sorted({blocked[table] for table in model.upstream if table in blocked})
        if reasons:
            blocked[model.table] = reasons[0]
            yield ModelRun(model, skipped_because=f"upstream check failed: {'; '.join(reasons)}")
            continue
        run = ModelRun(model, built=materialise(con, model, model.table in incremental))
        run.incremental = model.table in incremental
        run.outcomes = run_checks(con, model)
        failures = run.blocking_failures
        if failures:
            names = ", ".join(outcome.check.name for outcome in failures)
            blocked[model.table] = f"{model.table} ({names})"
        yield run
