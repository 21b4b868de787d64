"""The raw layer's first step: content files -> Parquet, incrementally."""

import dagster as dg

from ..ingest import ingest
from ..ingest.manifest import manifest_path
from ..resources import NewsdwPaths
from ..warehouse import WRITER_POOL

RAW_FILES = dg.AssetKey(["raw", "files"])
# Who answers for the assets, as the Dagster UI shows it.
OWNERS = ["team:newsdw"]


@dg.asset(
    key=RAW_FILES,
    group_name="raw",
    kinds={"parquet"},
    owners=OWNERS,
    pool=WRITER_POOL,
    description=(
        "Every content file under the content root, parsed into Parquet under <warehouse>/raw/ "
        "(one row per file: an article, or a quarantine reason). Only new and changed files "
        "are read again."
    ),
)
def raw_files(context: dg.AssetExecutionContext, paths: NewsdwPaths) -> dg.MaterializeResult:
    """Parse new and changed content files and commit the Parquet manifest."""
    result = ingest(paths.content, paths.warehouse, progress=context.log.info)
    context.log.info(
        f"files seen {result.files_seen:,}: parsed {result.files_parsed:,}, "
        f"unchanged {result.files_unchanged:,}, deleted {result.files_deleted:,}, "
        f"quarantined {result.quarantined:,}"
    )
    return dg.MaterializeResult(
        metadata={
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
        }
    )
