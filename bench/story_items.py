"""marts.story_items at scale: this checkout's models against a baseline revision's, side by side.

    .venv/bin/python bench/story_items.py --warehouse WAREHOUSE_DIR [--baseline REV]
                                          [--repeat 3] [--workdir DIR] [--json out.json]
    .venv/bin/python bench/story_items.py --articles 1000000 --entries 20000000 [...]

The model reads two staging tables, staging.stg_articles and staging.stg_related_articles. They
come from a built warehouse (`--warehouse`, e.g. one `newsdw build` made of 1,000,000 generated
files; copied once into a DuckDB file under --workdir) or from bench/stories.py's synthetic
database (`--articles`, `--entries`, `--seed`). Then, `--repeat` times and alternating, the
models from staging to the stories are built whole as a build builds them
(pipelines.models.materialise, every article changed, DuckDB with the build's memory limit):
sql/intermediate/int_story_edges.sql (where the revision has it) and sql/marts/story_items.sql,
of this checkout and as they were at `--baseline` (default: the commit before stories were
cut into cohesive ones, 5bef17c, which has story_items alone). It prints each run (the models'
seconds together), the medians, their ratio, the stories each found and the peak RSS of this
process (sampled every 0.1 s with the DuckDB threads in it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))

import stories as bench_stories  # noqa: E402  (bench/stories.py: connection, sampler, data)

_MIB = 1024 * 1024
# The models from staging to the stories, in build order.
_MODELS = ("sql/intermediate/int_story_edges.sql", "sql/marts/story_items.sql")


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = _database(args)
    con = bench_stories.connect(path, args.workdir)
    bench_stories._every_article_changed(con)
    articles, entries = con.execute(
        "select (select count(*) from staging.stg_articles),"
        " (select count(*) from staging.stg_related_articles)"
    ).fetchall()[0]
    print(f"staging: {articles:,} articles, {entries:,} related entries ({path})", flush=True)
    models = {"this checkout": _checkout_models(), args.baseline: _baseline(args)}
    runs: dict[str, list[dict]] = {name: [] for name in models}
    for repeat in range(args.repeat):
        for name, model in models.items():
            figures = bench_stories._measured(lambda m=model: _build(con, m))
            runs[name].append(figures)
            print(
                f"run {repeat + 1}/{args.repeat}: {name}: {figures['seconds']:.2f} s,"
                f" {figures['stories']:,} stories ({figures['multi_item_stories']:,} of 2+"
                f" items), largest {figures['largest']:,},"
                f" peak RSS {figures['peak_rss_bytes'] / _MIB:,.0f} MiB",
                flush=True,
            )
    report = _report(args, path, articles, entries, runs)
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to read staging from")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline", default="5bef17c", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-bench"
    )
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def _database(args: argparse.Namespace) -> Path:
    """The DuckDB file holding the two staging tables, made once per source."""
    if args.warehouse is None:
        return bench_stories.prepare_database(args.workdir, args.articles, args.entries, args.seed)
    path = args.workdir / f"staging-{args.warehouse.resolve().name}.duckdb"
    if path.exists():
        return path
    from pipelines.store.lake import connect_read_only

    lake = connect_read_only(args.warehouse)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    lake.execute(f"attach '{partial}' as copy")
    lake.execute("create schema copy.staging")
    for table in ("stg_articles", "stg_related_articles"):
        lake.execute(f"create table copy.staging.{table} as from staging.{table}")
    lake.execute("detach copy")
    lake.close()
    partial.rename(path)
    return path


def _checkout_models() -> list:
    from pipelines.models.catalog import read_model

    return [read_model(ROOT / path) for path in _MODELS if (ROOT / path).is_file()]


def _baseline(args: argparse.Namespace) -> list:
    """The models as they were at the baseline revision, read like this checkout's."""
    from pipelines.models.catalog import read_model

    models = []
    for path in _MODELS:
        shown = subprocess.run(
            ["git", "show", f"{args.baseline}:{path}"], cwd=ROOT, capture_output=True, text=True
        )
        if shown.returncode != 0:  # not at that revision
            continue
        file = args.workdir / f"baseline-{args.baseline}" / Path(path).relative_to("sql")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(shown.stdout, encoding="utf-8")
        models.append(read_model(file))
    if not models or models[-1].table != "marts.story_items":
        raise SystemExit(f"bench/story_items.py: {args.baseline} has no {_MODELS[-1]}")
    return models


def _build(con, models: list) -> dict:
    """Every model in order; the figures of the last, marts.story_items."""
    from pipelines.models import materialise

    for model in models[:-1]:
        materialise(con, model)
    return bench_stories._build_model(con, models[-1])


def _report(args, path: Path, articles: int, entries: int, runs: dict[str, list[dict]]) -> dict:
    models = {}
    for name, figures in runs.items():
        models[name] = {
            "seconds_median": statistics.median(f["seconds"] for f in figures),
            "seconds_runs": [round(f["seconds"], 2) for f in figures],
            "peak_rss_mib": max(f["peak_rss_bytes"] for f in figures) / _MIB,
            **{k: v for k, v in figures[-1].items() if k not in ("seconds", "peak_rss_bytes")},
        }
    now, before = (models[name]["seconds_median"] for name in runs)
    return {
        "database": str(path),
        "articles": articles,
        "entries": entries,
        "repeat": args.repeat,
        "duckdb_memory": bench_stories._memory_limit(),
        "models": models,
        "ratio_this_to_baseline": now / before if before else None,
    }


def _print(report: dict) -> None:
    print(f"\n{'model':<16}{'median':>10}   {'runs (s)':<34}{'peak RSS':>10}   stories")
    for name, figures in report["models"].items():
        runs = ", ".join(f"{s:.1f}" for s in figures["seconds_runs"])
        print(
            f"{name:<16}{figures['seconds_median']:>8.2f} s   {runs:<34}"
            f"{figures['peak_rss_mib']:>6,.0f} MiB   {figures['stories']:,}"
            f" ({figures['multi_item_stories']:,} of 2+ items, largest {figures['largest']:,})"
        )
    print(f"\nthis checkout / baseline: {report['ratio_this_to_baseline']:.2f}x")


if __name__ == "__main__":
    main()
