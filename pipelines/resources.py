"""Where newsdw reads content and writes the warehouse: configuration enters here once."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg

# croniter is the parser Dagster's daemon runs schedules with (Dagster ships a copy of it):
# what passes here also fires there.
from croniter import CroniterBadCronError, CroniterBadDateError, croniter

CONTENT_ENV = "NEWSDW_CONTENT_DIR"
WAREHOUSE_ENV = "NEWSDW_WAREHOUSE_DIR"


class NewsdwPaths(dg.ConfigurableResource):
    """The content root and the warehouse folder (flags, then env vars, then defaults)."""

    content_dir: str = "content"
    warehouse_dir: str = "warehouse"

    @property
    def content(self) -> Path:
        """The content root as an absolute path."""
        return Path(self.content_dir).expanduser().resolve()

    @property
    def warehouse(self) -> Path:
        """The warehouse folder as an absolute path."""
        return Path(self.warehouse_dir).expanduser().resolve()


def paths_from_env() -> NewsdwPaths:
    """The paths resource as the environment configures it."""
    return NewsdwPaths(
        content_dir=os.environ.get(CONTENT_ENV) or "content",
        warehouse_dir=os.environ.get(WAREHOUSE_ENV) or "warehouse",
    )


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
