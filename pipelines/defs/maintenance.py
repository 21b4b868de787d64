"""Keeping the lake small on a schedule: merge small files, expire old builds, delete the rest."""

import dagster as dg

from ..resources import NewsdwPaths
from ..store.lock import WRITER_POOL
from ..store.maintenance import maintain

LAKE_MAINTENANCE = "lake_maintenance"


@dg.op(
    name="maintain_lake",
    pool=WRITER_POOL,
    description=(
        "Merges the lake's small data files, expires the builds past the window (the last "
        "7 days, at most the newest 50 builds, by default) and deletes the files no build "
        "reads any more. Every build also expires and deletes after its commit; this adds "
        "the merge."
    ),
)
def maintain_lake(context: dg.OpExecutionContext, paths: NewsdwPaths) -> dg.Output:
    """One round of maintenance of the warehouse's lake, with its size before and after."""
    done = maintain(
        paths.lake,
        keep_days=paths.lake_keep_days,
        keep_builds=paths.lake_keep_builds,
        memory=paths.duckdb_memory,
    )
    mib = 1024 * 1024
    context.log.info(
        f"lake maintained: {done.snapshots_expired} builds expired;"
        f" {done.bytes_before / mib:,.1f} MiB -> {done.bytes_after / mib:,.1f} MiB"
    )
    return dg.Output(
        None,
        metadata={
            "snapshots_expired": done.snapshots_expired,
            "lake_mib_before": round(done.bytes_before / mib, 2),
            "lake_mib_after": round(done.bytes_after / mib, 2),
        },
    )


@dg.job(name=LAKE_MAINTENANCE, description="Maintenance of the warehouse's lake.")
def lake_maintenance() -> None:
    """Merge, expire and clean the lake."""
    maintain_lake()


# Daily at 03:00 UTC, an hour before the daily rebuild.
lake_maintenance_schedule = dg.ScheduleDefinition(
    name="lake_maintenance_daily",
    job=lake_maintenance,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Merges small files, expires builds past the window, deletes unused files.",
)
