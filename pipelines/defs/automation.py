"""Running unattended: a sensor on the content root, a daily safety-net rebuild, and the
declarative automation that carries new raw data on to the tables and the dashboards."""

import json
from dataclasses import asdict, dataclass, replace
from datetime import timedelta

import dagster as dg

from ..ingest.scan import Fingerprint, fingerprint
from ..resources import REBUILD_CRON_ENV, NewsdwPaths, rebuild_schedule_from_env
from .ingest import RAW_FILES, RAW_SHARDS, REBUILD_TAG

# Tables and dashboards follow their upstream assets: requested once after an upstream
# materialisation (or when never built), never while an upstream run is in progress.
FOLLOW_UPSTREAM = dg.AutomationCondition.eager()
# Every asset of a build on one machine: all but the shards, which a cluster build runs.
ONE_MACHINE = dg.AssetSelection.all() - dg.AssetSelection.assets(RAW_SHARDS)

# The marts are rebuilt at least daily by the schedule: a day and a bit old warns, two fail.
MARTS_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=48), warn_window=timedelta(hours=26)
)


CONTENT_SENSOR = "content_changes"
# The tags Dagster's daemon puts on the run it launches for a sensor's request. Dagster does
# not export their names; the sensor tests record runs with Dagster's own constants.
RUN_KEY_TAG = "dagster/run_key"
SENSOR_NAME_TAG = "dagster/sensor_name"

# A run that failed is requested again this many times for the same folder state; after
# that a change or the daily rebuild tries again, rather than a failing run every minute.
MAX_RETRIES = 3

_IN_PROGRESS = {
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
    dg.DagsterRunStatus.MANAGED,
}


@dataclass(frozen=True)
class SensorState:
    """The sensor's cursor: the folder as last requested, and how that request's run went."""

    seen: Fingerprint | None = None
    run_key: str | None = None  # the last request's key, until its run succeeds
    requests: int = 0  # every request so far, so that no run key is ever reused
    failures: int = 0  # failed runs in a row for `seen`

    def to_cursor(self) -> str:
        """The state as a sensor cursor."""
        return json.dumps({**asdict(self), "seen": self.seen._asdict() if self.seen else None})

    @classmethod
    def from_cursor(cls, cursor: str | None) -> "SensorState":
        """The state a cursor holds; nothing known for no (or an unreadable) cursor."""
        try:
            fields = json.loads(cursor) if cursor else {}
            seen = fields.pop("seen", None)
            return cls(seen=Fingerprint(**seen) if seen else None, **fields)
        except (TypeError, ValueError, AttributeError):
            return cls()

    def request(self, now: Fingerprint, change: str) -> dg.SensorResult:
        """A run request for the folder `now`, under a key no earlier request had."""
        retry = self.failures if now == self.seen else 0
        state = replace(self, seen=now, requests=self.requests + 1, failures=retry)
        state = replace(state, run_key=f"{now.digest[:16]}-{state.requests}")
        request = dg.RunRequest(
            run_key=state.run_key, asset_selection=[RAW_FILES], tags={"newsdw/change": change}
        )
        return dg.SensorResult(run_requests=[request], cursor=state.to_cursor())


def _last_run(instance: dg.DagsterInstance, run_key: str) -> dg.DagsterRun | None:
    """The run the daemon launched for this sensor's request `run_key`, if there is one."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(tags={RUN_KEY_TAG: run_key, SENSOR_NAME_TAG: CONTENT_SENSOR}),
        limit=1,
    )
    return runs[0] if runs else None


@dg.sensor(
    name=CONTENT_SENSOR,
    target=[RAW_FILES],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Lists the content root every minute and requests a raw/files run when a file was "
        "added, changed or removed (count, sizes, mtimes and ctimes; no file is opened), and again "
        f"when that run failed (up to {MAX_RETRIES} times)."
    ),
)
def content_changes(context: dg.SensorEvaluationContext, paths: NewsdwPaths):
    """Request an ingest run when the content root changed, or when the last one failed."""
    if not paths.content.is_dir():
        return dg.SkipReason(f"content folder {paths.content} does not exist")
    now = fingerprint(paths.content)
    state = SensorState.from_cursor(context.cursor)
    if state.seen is None:
        return state.request(now, "first look")
    if state.run_key is not None:
        # The cursor moves past a state only once its run succeeded, so a failed one is retried.
        run = _last_run(context.instance, state.run_key)
        if run is not None and run.status in _IN_PROGRESS and now == state.seen:
            return dg.SkipReason(f"waiting for run {run.run_id} ({run.status.value.lower()})")
        if run is not None and run.status == dg.DagsterRunStatus.SUCCESS:
            state = replace(state, run_key=None, failures=0)
        elif run is None or run.status not in _IN_PROGRESS:
            state = replace(state, failures=state.failures + 1)
            if now == state.seen and state.failures > MAX_RETRIES:
                context.update_cursor(replace(state, failures=MAX_RETRIES + 1).to_cursor())
                return dg.SkipReason(
                    f"the last {MAX_RETRIES + 1} runs for {paths.content} failed; "
                    "a change or the daily rebuild tries again"
                )
            if now == state.seen:
                why = "lost" if run is None else run.status.value.lower()
                return state.request(now, f"retry {state.failures} of {MAX_RETRIES} ({why})")
    if now == state.seen:
        context.update_cursor(state.to_cursor())
        return dg.SkipReason(f"no change under {paths.content} ({now.files:,} files)")
    before = state.seen
    return state.request(
        now, f"{before.files:,} -> {now.files:,} files, {before.bytes:,} -> {now.bytes:,} bytes"
    )


def daily_rebuild() -> dg.ScheduleDefinition:
    """Rebuild every asset once a day, whatever the sensor saw ($NEWSDW_REBUILD_CRON/_TIMEZONE)."""
    cron, timezone = rebuild_schedule_from_env()
    try:
        return dg.ScheduleDefinition(
            name="daily_rebuild",
            target=ONE_MACHINE,
            cron_schedule=cron,
            execution_timezone=timezone,
            default_status=dg.DefaultScheduleStatus.RUNNING,
            # A safety net rebuilds the tables and pages even when the content did not change.
            tags={REBUILD_TAG: "always"},
            description=f"Rebuilds every asset at '{cron}' ({timezone}), as a safety net.",
        )
    except dg.DagsterInvalidDefinitionError:
        raise ValueError(
            f"{REBUILD_CRON_ENV}={cron!r} is not a schedule Dagster accepts (such as '0 4 * * *')"
        ) from None


follow_raw_data = dg.AutomationConditionSensorDefinition(
    "follow_raw_data",
    target=ONE_MACHINE,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Requests the tables and dashboards whose upstream assets were materialised.",
)
