"""The raw layer's first step: content files -> Parquet, incrementally."""

import dagster as dg

from ..ingest.isolated import ingest_isolated
from ..ingest.manifest import manifest_path, request_full_read
from ..ingest.run import IngestResult
from ..resources import NewsdwPaths
from ..store.lock import WRITER_POOL
from ..store.upgrade import full_read_reason
from ..versions import RULES_VERSION

RAW_FILES = dg.AssetKey(["raw", "files"])
# The raw ingest in shards, for builds on many machines (`shards.py`); not part of a build on one.
RAW_SHARDS = dg.AssetKey(["raw", "shards"])
# The last asset a build makes.
DASHBOARDS = dg.AssetKey("dashboards")
# Who answers for the assets, as the Dagster UI shows it.
OWNERS = ["team:newsdw"]
# Tags Dagster writes on every materialisation: the code version it ran, and the event of
# each upstream asset it read (Dagster's own record of staleness; not exported as names).
CODE_VERSION_TAG = "dagster/code_version"
INPUT_DATA_VERSION_TAG = "dagster/input_data_version/"
INPUT_EVENT_TAG = "dagster/input_event_pointer/"
# A run tagged so rebuilds the tables and pages even when nothing changed (the daily safety net).
REBUILD_TAG = "newsdw/rebuild"
# A run tagged so (`newsdw build --full`) re-reads every content file, whatever the manifest
# says, and rebuilds all.
FULL_TAG = "newsdw/full"


@dg.asset(
    key=RAW_FILES,
    code_version=RULES_VERSION,
    group_name="raw",
    kinds={"parquet"},
    owners=OWNERS,
    pool=WRITER_POOL,
    output_required=False,
    description=(
        "Every content file under the content root, parsed into Parquet under `warehouse/raw/` "
        "(one row per file: an article, or a quarantine reason). Only new and changed files "
        "are read again. When nothing changed since the last complete build, it is observed, "
        "not materialised, and nothing downstream runs."
    ),
)
def raw_files(context: dg.AssetExecutionContext, paths: NewsdwPaths):
    """Parse new and changed content files and commit the Parquet manifest."""
    full = context.run.tags.get(FULL_TAG) == "true"
    reason = full_read_reason(paths.lake)
    if reason:
        context.log.info(reason)
    if full or reason:
        request_full_read(paths.warehouse)
    result = ingest_isolated(paths.content, paths.warehouse, progress=context.log.info)
    context.log.info(
        f"files seen {result.files_seen:,}: parsed {result.files_parsed:,}, "
        f"unchanged {result.files_unchanged:,}, deleted {result.files_deleted:,}, "
        f"quarantined {result.quarantined:,}"
    )
    metadata = {
        **ingest_metadata(result),
        "content_root": dg.MetadataValue.path(str(paths.content)),
        "manifest": dg.MetadataValue.path(str(manifest_path(paths.warehouse))),
        "data_version": result.manifest_digest,
    }
    forced = full or context.run.tags.get(REBUILD_TAG) == "always"
    if not forced and not result.changed and downstream_current(context, result.manifest_digest):
        context.log.info("nothing changed since the last complete build; nothing to rebuild")
        context.log_event(
            dg.AssetObservation(asset_key=RAW_FILES, metadata={**metadata, "nothing_changed": True})
        )
        return
    yield dg.MaterializeResult(
        data_version=dg.DataVersion(result.manifest_digest), metadata=metadata
    )


def ingest_metadata(result: IngestResult) -> dict:
    """What an ingest saw and did, as an asset's metadata (the build's summary reads it)."""
    return {
        "dagster/row_count": result.files_seen,
        "files_seen": result.files_seen,
        "files_parsed": result.files_parsed,
        "files_unchanged": result.files_unchanged,
        "files_deleted": result.files_deleted,
        "articles": result.articles,
        "files_quarantined": result.quarantined,
        "quarantine_by_kind": dg.MetadataValue.json(result.quarantine_by_kind),
        "ingest_seconds": round(result.seconds, 3),
    }


def downstream_current(context: dg.AssetExecutionContext, data_version: str) -> bool:
    """Whether every asset downstream of the raw files is current, as Dagster records it.

    Each one's latest materialisation ran today's code version and read the latest
    materialisation of each of its upstream assets, and the tables read this raw data version.
    """
    graph = context.job_def.asset_layer.asset_graph
    latest: dict[dg.AssetKey, dg.EventLogRecord | None] = {}

    def event(key: dg.AssetKey) -> dg.EventLogRecord | None:
        if key not in latest:
            records = context.instance.fetch_materializations(key, limit=1).records
            latest[key] = records[0] if records else None
        return latest[key]

    seen, todo = set(), list(graph.get(RAW_FILES).child_keys)
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(graph.get(key).child_keys)
        found = event(key)
        if found is None or found.asset_materialization is None:
            return False
        tags = found.asset_materialization.tags or {}
        if tags.get(CODE_VERSION_TAG) != graph.get(key).code_version:
            return False
        for parent in graph.get(key).parent_keys:
            name = parent.to_user_string()
            if parent == RAW_FILES:
                if tags.get(INPUT_DATA_VERSION_TAG + name) != data_version:
                    return False
                continue
            upstream = event(parent)
            if upstream is None or tags.get(INPUT_EVENT_TAG + name) != str(upstream.storage_id):
                return False
    return True
