"""Dashboards benchmark: the pages' build time against a full build, and the pages' sizes.

    uv run python bench/dashboards.py [--files 100000] [--repeat 3]

Each run does a full `newsdw build` of the corpus into an empty warehouse (every asset,
dashboards included), then rebuilds the pages alone in a fresh process (imports included).
It prints the medians side by side, the dashboards step's share of the full build (target
at most 10%), and each page's size (target under 2 MB, plus the one shared plotly.js).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import arguments, prepare, walk, warm  # noqa: E402 - bench/ is not a package

_PAGES_ALONE = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from dashboards.data import provenance_of
from dashboards.site import build_site
warehouse = Path(sys.argv[1])
site = build_site(warehouse, provenance_of(warehouse, sys.argv[2]))
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "render_seconds": site.seconds,
    "pages": {page.path.name: page.size for page in site.pages},
    "plotly_js": site.plotly_js.stat().st_size,
}))
"""


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0])
    content = prepare(args)
    print(f"corpus: {sum(1 for _ in walk(content)):,} files, {content}", flush=True)
    warehouse = args.workdir / "warehouse-dashboards"

    builds, steps, alone = [], [], []
    for run in range(args.repeat):
        shutil.rmtree(warehouse, ignore_errors=True)
        warm(content)
        builds.append(_full_build(content, warehouse))
        steps.append(_step_seconds(warehouse, "dashboards"))
        alone.append(_pages_alone(content, warehouse))
        print(
            f"run {run + 1}/{args.repeat}: full build {builds[-1]:.1f} s, dashboards step"
            f" {steps[-1]:.2f} s, pages alone {alone[-1]['seconds']:.2f} s"
            f" (rendering {alone[-1]['render_seconds']:.2f} s)",
            flush=True,
        )

    full = statistics.median(builds)
    step = statistics.median(steps)
    fresh = statistics.median(run["seconds"] for run in alone)
    print()
    print(f"{'measure':<44}{'median':>10}   runs")
    for label, value, runs in [
        ("full newsdw build, empty warehouse", full, builds),
        ("dashboards step inside that build", step, steps),
        ("pages alone, fresh process with imports", fresh, [r["seconds"] for r in alone]),
    ]:
        print(f"{label:<44}{value:>8.2f} s   [{', '.join(f'{s:.2f}' for s in runs)}]")
    print()
    print(f"dashboards step / full build:          {step / full:.1%}   (target <= 10%)")
    print(f"pages alone / full build:              {fresh / full:.1%}")
    print(
        "  run by run:                          "
        + ", ".join(f"{s / b:.1%}" for s, b in zip(steps, builds, strict=True))
    )
    last = alone[-1]
    print()
    for name, size in last["pages"].items():
        print(f"{name:<20}{size / 1024:>10,.0f} KiB   (target < 2 MB)")
    print(f"{'assets/plotly.min.js':<20}{last['plotly_js'] / 1024:>10,.0f} KiB   (shared)")
    largest = max(last["pages"].values())
    print(f"largest page: {largest / 1e6:.2f} MB   (target < 2 MB)")


def _full_build(content: Path, warehouse: Path) -> float:
    """Wall time of `newsdw build` into an empty warehouse."""
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    command += ["--content", str(content), "--warehouse", str(warehouse)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def _step_seconds(warehouse: Path, step_key: str) -> float:
    """How long a step of the warehouse's last Dagster run took, from the run's own record."""
    os.environ["DAGSTER_HOME"] = str(warehouse / ".dagster")
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        for stats in instance.get_run_step_stats(run.run_id):
            if stats.step_key == step_key:
                return stats.end_time - stats.start_time
    raise SystemExit(f"no step {step_key} in run {run.run_id}")


def _pages_alone(content: Path, warehouse: Path) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", _PAGES_ALONE, str(warehouse), str(content)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
