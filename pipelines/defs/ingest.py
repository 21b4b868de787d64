"""The raw layer: content files -> Parquet -> `raw.articles` and `raw.quarantine`."""

import dagster as dg

from .. import warehouse
from ..ingest import ingest
from ..raw_tables import ARTICLES_DOC, QUARANTINE_DOC, load_raw
from ..resources import NewsdwPaths

RAW_ARTICLES = dg.AssetKey(["raw", "articles"])
RAW_QUARANTINE = dg.AssetKey(["raw", "quarantine"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RAW_ARTICLES, description=ARTICLES_DOC, group_name="raw", kinds={"parquet", "duckdb"}
        ),
        dg.AssetSpec(
            RAW_QUARANTINE, description=QUARANTINE_DOC, group_name="raw", kinds={"duckdb"}
        ),
    ],
    can_subset=False,
)
def raw_content(context: dg.AssetExecutionContext, paths: NewsdwPaths):
    """Parse new and changed content files incrementally, then publish the raw tables."""
    result = ingest(paths.content, paths.warehouse, progress=context.log.info)
    context.log.info(
        f"files seen {result.files_seen:,}: parsed {result.files_parsed:,}, "
        f"unchanged {result.files_unchanged:,}, quarantined {result.quarantined:,}"
    )
    counts = {}
    database = warehouse.build(
        paths.warehouse, lambda con: counts.update(load_raw(con, paths.warehouse))
    )
    shared = {
        "files_seen": result.files_seen,
        "files_parsed": result.files_parsed,
        "files_unchanged": result.files_unchanged,
        "files_deleted": result.files_deleted,
        "files_quarantined": result.quarantined,
        "ingest_seconds": round(result.seconds, 3),
        "duckdb_file": dg.MetadataValue.path(str(database)),
    }
    yield dg.MaterializeResult(
        asset_key=RAW_ARTICLES,
        metadata={**shared, "dagster/row_count": counts["articles"]},
    )
    yield dg.MaterializeResult(
        asset_key=RAW_QUARANTINE,
        metadata={
            **shared,
            "dagster/row_count": counts["quarantine"],
            "quarantine_by_kind": dg.MetadataValue.json(result.quarantine_by_kind),
        },
    )
