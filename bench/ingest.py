"""Ingest benchmark: newsdw against python-frontmatter on the same warm files.

    uv run python bench/ingest.py [--files 100000] [--repeat 3]

Prints files per second of python-frontmatter (one process) and of newsdw's full ingest (the
function the raw asset calls), the wall time of a no-op rebuild and of a rebuild after 1% of
the files changed, the DuckDB tables built after them (for information), and the peak RSS
of each. Every figure is the median of --repeat runs, each
run in a fresh process so that peak RSS belongs to that step alone.
"""

from __future__ import annotations

import contextlib
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CorpusEdits, arguments, prepare, walk, warm  # noqa: E402 - bench/ is not a package


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0])
    content = prepare(args)
    files = sum(1 for _ in walk(content))
    size = sum(path.stat().st_size for path in walk(content))
    print(f"corpus: {files:,} files, {size / files / 1024:.1f} KiB mean, {content}")

    # Runs alternate between the two tools, so that both see the machine in the same state.
    baseline, full, noop, changed, loads, reloads = [], [], [], [], [], []
    for run in range(args.repeat):
        baseline.append(_step("frontmatter", content, args.workdir))
        warehouse = args.workdir / "warehouse"
        shutil.rmtree(warehouse, ignore_errors=True)
        full.append(_step("ingest", content, warehouse))
        noop.append(_step("ingest", content, warehouse))
        # The shared corpus gets its bytes and times back, for the next run and benchmark.
        with CorpusEdits(content) as edits:
            _touch_one_percent(edits, content, seed=args.seed * 1000 + run)
            changed.append(_step("ingest", content, warehouse))
            loads.append(_step("load", content, warehouse))
            reloads.append(_step("load", content, warehouse))
        print(
            f"run {run + 1}/{args.repeat}: python-frontmatter {baseline[-1]['seconds']:.1f} s, "
            f"newsdw {full[-1]['seconds']:.1f} s",
            flush=True,
        )

    def median(runs, key):
        return statistics.median(run[key] for run in runs)

    fm_rate = files / median(baseline, "seconds")
    full_seconds = median(full, "seconds")
    nd_rate = files / full_seconds
    print()
    print(f"{'step':<36}{'median':>12}{'peak RSS (MiB)':>18}   runs")
    rows = [
        ("python-frontmatter, 1 process", f"{fm_rate:,.0f} f/s", baseline),
        ("newsdw full ingest", f"{nd_rate:,.0f} f/s", full),
        ("newsdw rebuild, nothing changed", f"{median(noop, 'seconds'):.3f} s", noop),
        ("newsdw rebuild, 1% changed", f"{median(changed, 'seconds'):.3f} s", changed),
        ("DuckDB tables, first build (info)", f"{median(loads, 'seconds'):.3f} s", loads),
        ("DuckDB tables, rebuild (info)", f"{median(reloads, 'seconds'):.3f} s", reloads),
    ]
    for label, figure, runs in rows:
        rss = max(run["peak_rss_mib"] for run in runs)
        seconds = ", ".join(f"{run['seconds']:.2f}" for run in runs)
        print(f"{label:<36}{figure:>12}{rss:>18,.0f}   [{seconds}] s")
    print()
    print(f"newsdw / python-frontmatter speed:   {nd_rate / fm_rate:.1f}x   (target >= 8x)")
    pairs = [fm["seconds"] / nd["seconds"] for fm, nd in zip(baseline, full, strict=True)]
    print(f"  ratio run by run:                  {', '.join(f'{r:.1f}x' for r in pairs)}")
    noop_share = median(noop, "seconds") / full_seconds
    changed_share = median(changed, "seconds") / full_seconds
    print(f"no-op rebuild / full ingest:         {noop_share:.1%}   (target <= 10%)")
    print(f"1%-changed rebuild / full ingest:    {changed_share:.1%}   (target <= 15%)")
    end_to_end = files / (full_seconds + median(loads, "seconds"))
    print(
        f"full ingest + DuckDB tables, end to end: {end_to_end:,.0f} f/s = "
        f"{end_to_end / fm_rate:.1f}x python-frontmatter (information)"
    )
    peak = max(run["peak_rss_mib"] for run in full + noop + changed)
    print(f"peak RSS of any newsdw ingest:       {peak:,.0f} MiB   (target < 1024 MiB)")


def _touch_one_percent(edits: CorpusEdits, content: Path, seed: int) -> None:
    """Append a body line to 1% of the files, so their size, mtime and hash change."""
    paths = sorted(walk(content))
    for path in random.Random(seed).sample(paths, max(1, len(paths) // 100)):
        edits.rewrite(path, path.read_bytes() + f"\nedited {seed}\n".encode())


def _step(step: str, content: Path, warehouse: Path) -> dict:
    """Run one measured step in a fresh process, on freshly read files, and return its figures."""
    # This machine's kernel reclaims idle page cache within minutes: read every file again
    # (untimed) so that each step starts from the same warm cache.
    warm(content)
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, str(content), str(warehouse)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _child(step: str, content: Path, warehouse: Path) -> None:
    if step == "frontmatter":
        import frontmatter

        paths = sorted(walk(content))
        started = time.perf_counter()
        for path in paths:
            # The baseline only has to read every file; what it fails on does not matter here.
            with contextlib.suppress(Exception):
                frontmatter.load(path)
        seconds = time.perf_counter() - started
    elif step == "ingest":
        from pipelines.ingest import ingest

        started = time.perf_counter()
        ingest(content, warehouse)
        seconds = time.perf_counter() - started
    else:
        from pipelines.defs.models import SQL_DIR
        from pipelines.models import load_models
        from pipelines.store.commit import build_and_publish

        started = time.perf_counter()
        build_and_publish(warehouse, load_models(SQL_DIR))
        seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mib": max(own, workers)}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
