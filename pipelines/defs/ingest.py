"""The raw layer's first step: content files -> Parquet, incrementally."""

import dagster as dg

from ..ingest.isolated import ingest_isolated
from ..ingest.manifest import manifest_path, request_full_read
from ..resources import NewsdwPaths
from ..store.lock import WRITER_POOL
from ..store.upgrade import full_read_reason
from ..versions import build_key

RAW_FILES = dg.AssetKey(["raw", "files"])
# The last asset a build makes: when its build key is today's, the whole warehouse is.
DASHBOARDS = dg.AssetKey("dashboards")
# Who answers for the assets, as the Dagster UI shows it.
OWNERS = ["team:newsdw"]
# Metadata key of the build key a table or page materialisation was made from.
BUILT_FROM = "built_from"
# A run tagged so rebuilds the tables and pages even when nothing changed (the daily safety net).
REBUILD_TAG = "newsdw/rebuild"
# A run tagged so (`newsdw build --full`) re-reads every content file, whatever the manifest
# says (a same-size edit whose mtime was set back is otherwise never seen), and rebuilds all.
FULL_TAG = "newsdw/full"


@dg.asset(
    key=RAW_FILES,
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
    reason = full_read_reason(paths.warehouse)
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
    key = build_key(result.manifest_digest)
    metadata = {
        "dagster/row_count": result.files_seen,
        "files_seen": result.files_seen,
        "files_parsed": result.files_parsed,
        "files_unchanged": result.files_unchanged,
        "files_deleted": result.files_deleted,
        "articles": result.articles,
        "files_quarantined": result.quarantined,
        "quarantine_by_kind": dg.MetadataValue.json(result.quarantine_by_kind),
        "ingest_seconds": round(result.seconds, 3),
        "content_root": dg.MetadataValue.path(str(paths.content)),
        "manifest": dg.MetadataValue.path(str(manifest_path(paths.warehouse))),
        "data_version": result.manifest_digest,
        BUILT_FROM: key,
    }
    forced = full or context.run.tags.get(REBUILD_TAG) == "always"
    if not forced and not result.changed and latest_built_from(context.instance) == key:
        context.log.info("nothing changed since the last complete build; nothing to rebuild")
        context.log_event(
            dg.AssetObservation(asset_key=RAW_FILES, metadata={**metadata, "nothing_changed": True})
        )
        return
    yield dg.MaterializeResult(
        data_version=dg.DataVersion(result.manifest_digest), metadata=metadata
    )


def latest_built_from(instance: dg.DagsterInstance, key: dg.AssetKey = DASHBOARDS) -> str | None:
    """The build key of an asset's latest materialisation, if it recorded one."""
    event = instance.get_latest_materialization_event(key)
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get(BUILT_FROM)
    return value.value if value is not None else None
