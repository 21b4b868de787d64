"""Sensor benchmark: what one `content_changes` tick costs on a large content root.

    uv run python bench/sensor.py [--files 100000] [--repeat 3]

Times the sensor's evaluation (the listing fingerprint and the comparison with its cursor)
on an unchanged folder and after one file changed, beside a plain `os.walk` + `lstat` of the
same folder, and prints the medians. No file is opened by the sensor.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import arguments, prepare, walk, warm  # noqa: E402 - bench/ is not a package


def main() -> None:
    import dagster as dg
    from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG
    from dagster._core.utils import make_new_run_id

    from pipelines.defs.automation import content_changes
    from pipelines.resources import NewsdwPaths

    args = arguments(__doc__.split("\n\n")[0])
    content = prepare(args)
    warm(content)
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(args.workdir / "unused"))

    # The sensor looks up its requested runs in the instance: the first one is recorded as a
    # success, as the daemon would, so that the later ticks compare with a settled cursor.
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor: str | None):
        context = dg.build_sensor_context(
            cursor=cursor, resources={"paths": paths}, instance=instance
        )
        started = time.perf_counter()
        result = content_changes.evaluate_tick(context)
        return time.perf_counter() - started, result

    def settle(cursor: str | None) -> str:
        """The cursor once the run the folder's state asks for has succeeded."""
        _, requested = tick(cursor)
        for request in requested.run_requests:
            instance.add_run(
                dg.DagsterRun(
                    job_name="__ASSET_JOB",
                    run_id=make_new_run_id(),
                    status=dg.DagsterRunStatus.SUCCESS,
                    tags={RUN_KEY_TAG: request.run_key, SENSOR_NAME_TAG: content_changes.name},
                )
            )
        return tick(requested.cursor)[1].cursor

    cursor = settle(None)
    listing, unchanged, changed = [], [], []
    victim = next(walk(content))
    original = victim.stat()
    for _ in range(args.repeat):
        started = time.perf_counter()
        count = sum(1 for path in walk(content) if os.lstat(path))
        listing.append(time.perf_counter() - started)
        seconds, result = tick(cursor)
        assert not result.run_requests
        unchanged.append(seconds)
        os.utime(victim, ns=(original.st_atime_ns, original.st_mtime_ns + 1_000_000_000))
        seconds, result = tick(cursor)
        assert len(result.run_requests) == 1
        changed.append(seconds)
        os.utime(victim, ns=(original.st_atime_ns, original.st_mtime_ns))
        # Setting the mtime back moved the file's ctime, which the sensor sees: a new state.
        cursor = settle(cursor)
    print(f"content root: {count:,} files, {content}")
    for label, runs in [
        ("os.walk + lstat (reference)", listing),
        ("sensor tick, nothing changed", unchanged),
        ("sensor tick, one file changed", changed),
    ]:
        joined = ", ".join(f"{s:.2f}" for s in runs)
        print(f"{label:<34}{statistics.median(runs):>8.2f} s   [{joined}]")
    ratio = statistics.median(unchanged) / statistics.median(listing)
    print(f"sensor tick / plain listing:      {ratio:>8.1f}x")


if __name__ == "__main__":
    main()
