"""Running unattended: a sensor on the content root, a daily safety-net rebuild, and the
declarative automation that carries new raw data on to the tables and the dashboards."""

from datetime import timedelta

import dagster as dg

from ..ingest.scan import Fingerprint, fingerprint
from ..resources import REBUILD_CRON_ENV, NewsdwPaths, rebuild_schedule_from_env
from .ingest import RAW_FILES, REBUILD_TAG

# Tables and dashboards follow their upstream assets: requested once after an upstream
# materialisation (or when never built), never while an upstream run is in progress.
FOLLOW_UPSTREAM = dg.AutomationCondition.eager()

# The marts are rebuilt at least daily by the schedule: a day and a bit old warns, two fail.
MARTS_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=48), warn_window=timedelta(hours=26)
)


@dg.sensor(
    name="content_changes",
    target=[RAW_FILES],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Lists the content root every minute and requests a raw/files run when a file was "
        "added, changed or removed (count, sizes and mtimes; no file is opened)."
    ),
)
def content_changes(context: dg.SensorEvaluationContext, paths: NewsdwPaths):
    """Request an ingest run when the content root's fingerprint moved since the last tick."""
    if not paths.content.is_dir():
        return dg.SkipReason(f"content folder {paths.content} does not exist")
    now = fingerprint(paths.content)
    before = Fingerprint.from_cursor(context.cursor)
    context.update_cursor(now.to_cursor())
    if now == before:
        return dg.SkipReason(f"no change under {paths.content} ({now.files:,} files)")
    change = (
        "first look"
        if before is None
        else f"{before.files:,} -> {now.files:,} files, {before.bytes:,} -> {now.bytes:,} bytes"
    )
    # The run key is the fingerprint: a tick that sees the same folder again asks for nothing.
    return dg.RunRequest(
        run_key=now.digest, asset_selection=[RAW_FILES], tags={"newsdw/change": change}
    )


def daily_rebuild() -> dg.ScheduleDefinition:
    """Rebuild every asset once a day, whatever the sensor saw ($NEWSDW_REBUILD_CRON/_TIMEZONE)."""
    cron, timezone = rebuild_schedule_from_env()
    try:
        return dg.ScheduleDefinition(
            name="daily_rebuild",
            target=dg.AssetSelection.all(),
            cron_schedule=cron,
            execution_timezone=timezone,
            default_status=dg.DefaultScheduleStatus.RUNNING,
            # A safety net rebuilds the tables and pages even when the content did not change.
            tags={REBUILD_TAG: "always"},
            description=f"Rebuilds every asset at '{cron}' ({timezone}), as a safety net.",
        )
    except dg.DagsterInvalidDefinitionError:
        raise ValueError(
            f"{REBUILD_CRON_ENV}={cron!r} is not a cron schedule of 5 fields (such as '0 4 * * *')"
        ) from None


follow_raw_data = dg.AutomationConditionSensorDefinition(
    "follow_raw_data",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Requests the tables and dashboards whose upstream assets were materialised.",
)
