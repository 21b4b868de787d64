"""What each build left in the lake: the model version of every table that is current.

A build's commit carries, in DuckLake's commit info, the version of each model whose table
holds exactly what that model makes of the raw rows of the same snapshot. The next build
may then replace only the changed articles' rows of such a table (an incremental model);
any other table is built whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb

from ..models import Model, ModelRun
from ..versions import model_version
from . import lake

AUTHOR = "newsdw"
MESSAGE = "newsdw build"
# Above this share of the articles changed, an incremental model is built whole: copying the
# few unchanged rows and selecting again most of them costs more than selecting them all.
WHOLE_ABOVE = 0.5
# A model whose `changes:` widens the delta (the stories) takes it only below this share:
# finding the stories a delta touches reads the changed articles' wide related lists, which
# soon costs more than computing every story (at 150,000 real-profile files, 1% of files
# changed: 1.25 s by the delta, 0.38 s whole).
WIDEN_WHOLE_ABOVE = 0.05
# ... but always up to this many changed articles, which are few to read at any size.
WIDEN_ALWAYS = 100


def widen_limit(articles: int) -> int:
    """How many changed articles a model with `changes:` takes the delta for, out of `articles`."""
    return max(WIDEN_ALWAYS, int(WIDEN_WHOLE_ABOVE * articles))


def last_built(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{table: model version} as the last committed build left them; empty if none says."""
    found = con.execute(
        f"select commit_extra_info from {lake.LAKE}.snapshots()"
        " where commit_message = $message order by snapshot_id desc limit 1",
        {"message": MESSAGE},
    ).fetchone()
    if found is None or not found[0]:
        return {}
    try:
        info = json.loads(found[0])
    except ValueError:
        return {}
    current = info.get("current") if isinstance(info, dict) else None
    return {str(k): str(v) for k, v in current.items()} if isinstance(current, dict) else {}


def incremental_tables(
    models: Iterable[Model],
    selected: set[str],
    previous: dict[str, str],
    changed: int | None,
    articles: int,
    related_kept: bool = True,
) -> frozenset[str]:
    """The selected incremental models that may replace only their changed articles' rows.

    A table qualifies when the last build left it current with today's model, the raw rows
    were not made anew (`changed` is None then), fewer than WHOLE_ABOVE of the `articles`
    changed, and every model it reads qualifies too (one built whole may differ everywhere).
    A model with `changes:` also needs at most `widen_limit` changed, and the deleted rows'
    related URLs kept by the raw load (`related_kept`).
    """
    if changed is None or (articles and changed > WHOLE_ABOVE * articles):
        return frozenset()
    chosen: set[str] = set()
    models = list(models)
    tables = {model.table for model in models}
    for model in models:  # dependency order
        upstream_models = model.upstream & tables
        if (
            model.incremental_by
            and model.table in selected
            and previous.get(model.table) == model_version(model.path)
            and upstream_models <= chosen
            and (not model.changes or (related_kept and changed <= widen_limit(articles)))
        ):
            chosen.add(model.table)
    return frozenset(chosen)


def commit_info(
    models: Iterable[Model],
    runs: Iterable[ModelRun],
    previous: dict[str, str],
    raw_loaded: bool,
) -> str:
    """The commit info of a build: the tables it leaves current, with their model versions.

    A table built now is current. One not built now stays current only when neither the raw
    rows nor any table it reads were built now; otherwise it is left out, and built whole next.
    """
    models = list(models)
    tables = {model.table for model in models}
    built = {run.model.table for run in runs if run.built is not None}
    current: dict[str, str] = {}
    for model in models:  # dependency order
        reads = model.upstream & tables
        if model.table in built:
            current[model.table] = model_version(model.path)
        elif (
            not raw_loaded
            and model.table in previous
            and not reads & built
            and reads <= current.keys()
        ):
            current[model.table] = previous[model.table]
    return json.dumps({"current": current}, sort_keys=True)


def set_commit_info(con: duckdb.DuckDBPyConnection, info: str) -> None:
    """Record `info` in the commit the open transaction makes."""
    con.execute(
        f"call {lake.LAKE}.set_commit_message($author, $message, extra_info => $info)",
        {"author": AUTHOR, "message": MESSAGE, "info": info},
    )
