"""newsdw's settings: configuration enters here once, as one Dagster resource."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg
from croniter import CroniterBadCronError, CroniterBadDateError, croniter
from pydantic import Field

from .store.location import Lake

CONTENT_ENV = "NEWSDW_CONTENT_DIR"
WAREHOUSE_ENV = "NEWSDW_WAREHOUSE_DIR"
MEMORY_ENV = "NEWSDW_DUCKDB_MEMORY"
KEEP_DAYS_ENV = "NEWSDW_LAKE_KEEP_DAYS"
KEEP_BUILDS_ENV = "NEWSDW_LAKE_KEEP_BUILDS"
CATALOG_ENV = "NEWSDW_CATALOG"
# A cluster's shared Dagster instance: a folder whose dagster.yaml keeps runs in PostgreSQL.
INSTANCE_ENV = "NEWSDW_INSTANCE"
DATA_ENV = "NEWSDW_DATA"


class NewsdwPaths(dg.ConfigurableResource):
    """newsdw's settings: where content is read and the warehouse written, and DuckDB's memory.

    The code location's resource reads each set environment variable when a run starts
    (`paths_from_env`); `newsdw build` passes its own values as the run's config.
    """

    content_dir: str = Field(
        default="content", description=f"The content root (env {CONTENT_ENV})."
    )
    warehouse_dir: str = Field(
        default="warehouse", description=f"The warehouse folder (env {WAREHOUSE_ENV})."
    )
    duckdb_memory: str = Field(
        default="1GB",
        description=f"DuckDB's memory limit in a build, such as 1GB; larger statements spill "
        f"to disk (env {MEMORY_ENV}).",
    )
    catalog_url: str = Field(
        default="",
        description="The lake's catalog: sqlite:PATH or postgres:CONNINFO (no password: libpq"
        " reads PGPASSWORD); empty means the SQLite catalog inside the warehouse"
        f" (env {CATALOG_ENV}).",
    )
    data_url: str = Field(
        default="",
        description="The lake's data files: a folder or s3://bucket/prefix/ (keys from the AWS"
        f" SDK's variables); empty means the lake/ folder inside the warehouse (env {DATA_ENV}).",
    )
    lake_keep_days: int = Field(
        default=7,
        description=f"Days the lake keeps earlier builds for time travel (env {KEEP_DAYS_ENV}).",
    )
    lake_keep_builds: int = Field(
        default=50,
        description=f"The most earlier builds the lake keeps (env {KEEP_BUILDS_ENV}).",
    )

    @property
    def content(self) -> Path:
        """The content root as an absolute path."""
        return Path(self.content_dir).expanduser().resolve()

    @property
    def warehouse(self) -> Path:
        """The warehouse folder as an absolute path."""
        return Path(self.warehouse_dir).expanduser().resolve()

    @property
    def content_url(self) -> Path | str:
        """The content root: an absolute path, or an `s3://bucket/prefix` URL as given."""
        return self.content_dir if self.content_dir.startswith("s3://") else self.content

    @property
    def lake(self) -> Lake:
        """Where the lake's catalog and data files are."""
        return Lake(self.warehouse, self.catalog_url, self.data_url)


# The environment variable of each setting that has one; an empty variable counts as unset.
ENV_VARS = {
    "content_dir": CONTENT_ENV,
    "warehouse_dir": WAREHOUSE_ENV,
    "duckdb_memory": MEMORY_ENV,
    "catalog_url": CATALOG_ENV,
    "data_url": DATA_ENV,
    "lake_keep_days": KEEP_DAYS_ENV,
    "lake_keep_builds": KEEP_BUILDS_ENV,
}
_NUMBERS = {"lake_keep_days", "lake_keep_builds"}


def paths_from_env() -> NewsdwPaths:
    """The code location's settings: each set variable as a `dg.EnvVar`, read when a run starts."""
    return NewsdwPaths(
        **{
            field: dg.EnvVar.int(env) if field in _NUMBERS else dg.EnvVar(env)
            for field, env in ENV_VARS.items()
            if os.environ.get(env)
        }
    )


def settings_now(**given: str | None) -> NewsdwPaths:
    """The settings with plain values: those `given` (None: not given), else the environment's."""
    values = {field: os.environ.get(env) for field, env in ENV_VARS.items()}
    values.update((field, value) for field, value in given.items() if value is not None)
    return NewsdwPaths(**{field: value for field, value in values.items() if value})


REBUILD_CRON_ENV = "NEWSDW_REBUILD_CRON"
REBUILD_TIMEZONE_ENV = "NEWSDW_REBUILD_TIMEZONE"


def rebuild_schedule_from_env() -> tuple[str, str]:
    """The daily rebuild's cron and IANA time zone (defaults: 04:00 UTC every day)."""
    cron = os.environ.get(REBUILD_CRON_ENV) or "0 4 * * *"
    timezone = os.environ.get(REBUILD_TIMEZONE_ENV) or "UTC"
    problem = cron_problem(cron)
    if problem:
        raise ValueError(f"{REBUILD_CRON_ENV}={cron!r} {problem} (such as '0 4 * * *')")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{REBUILD_TIMEZONE_ENV}={timezone!r} is not an IANA time zone (such as Europe/Paris)"
        ) from None
    return cron, timezone


def cron_problem(cron: str) -> str | None:
    """What is wrong with a cron schedule, in words, or None when it fires now and then."""
    fields = cron.split()
    if not cron.startswith("@") and len(fields) != 5:
        return f"has {len(fields)} fields; a cron schedule has 5 (minute hour day month weekday)"
    # croniter is the parser Dagster's daemon runs schedules with (it ships a copy): what passes
    # here also fires there.
    try:
        schedule = croniter(cron, datetime(2000, 1, 1, tzinfo=UTC))
    except CroniterBadCronError as error:
        why = "out of range" if "out of range" in str(error) else "not a number, name or range"
        return f"is not a cron schedule: a field is {why}"
    try:
        # croniter looks a few years ahead: a day no month in the schedule has is never reached.
        schedule.get_next(datetime)
    except CroniterBadDateError:
        return "never fires: no month in it has that day"
    return None
