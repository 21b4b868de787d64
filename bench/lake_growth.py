"""The lake's size under many one-file builds: does the warehouse folder stay bounded?

    .venv/bin/python bench/lake_growth.py [--files 2000] [--profile default|real]
                                          [--builds 200] [--grace-minutes 0] [--seed 7]

Builds the corpus once, then `--builds` times: one file edited, the ingest, and one lake
commit (`build_and_publish`, what `newsdw build` runs without Dagster's start-up), with the
lake's defaults (7 days, at most 50 builds). It prints the lake's size every 25 builds.
Unused files are deleted once unused for `--grace-minutes`; builds here come seconds apart,
so 0 stands for a sensor's builds a minute apart, whose 15 minutes of grace are 15 builds.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CorpusEdits, prepare, walk  # noqa: E402 - not a package

_MIB = 1024 * 1024


def main() -> None:
    """Run the builds the options describe and print the lake's size as it goes."""
    import argparse

    from pipelines.ingest import ingest
    from pipelines.models import load_models
    from pipelines.store import maintenance
    from pipelines.store.commit import build_and_publish

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--profile", choices=("default", "real"), default="default")
    parser.add_argument("--builds", type=int, default=200)
    parser.add_argument("--grace-minutes", type=float, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsdw-bench"))
    args = parser.parse_args()
    content = prepare(args)
    warehouse = args.workdir / f"lake-growth-{args.files}-{args.seed}-{args.profile}"
    if warehouse.exists():
        import shutil

        shutil.rmtree(warehouse)
    models = load_models()
    grace = timedelta(minutes=args.grace_minutes)
    paths = sorted(walk(content))
    content_mib = sum(path.stat().st_size for path in paths) / _MIB
    ingest(content, warehouse)
    build_and_publish(warehouse, models)
    first = maintenance.lake_bytes(warehouse) / _MIB
    print(
        f"corpus {len(paths):,} files, {content_mib:,.1f} MiB;"
        f" lake after the first build {first:,.1f} MiB"
    )
    started = time.perf_counter()
    with CorpusEdits(content) as edits:
        for build in range(1, args.builds + 1):
            path = paths[build % len(paths)]
            edits.rewrite(
                path, path.read_bytes().replace(b"---\n", f"---\nrevision: {build}\n".encode(), 1)
            )
            ingest(content, warehouse)
            assert build_and_publish(warehouse, models, grace=grace).published is not None
            if build % 25 == 0 or build == args.builds:
                size = maintenance.lake_bytes(warehouse) / _MIB
                print(
                    f"after {build:>4} one-file builds: lake {size:,.1f} MiB"
                    f" ({size / first:.2f}x the first build's),"
                    f" {time.perf_counter() - started:,.0f} s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
