"""marts.story_items at scale: this checkout's model against a baseline revision's, side by side.

    .venv/bin/python bench/story_items.py --warehouse WAREHOUSE_DIR [--baseline REV]
                                          [--repeat 3] [--workdir DIR] [--json out.json]
    .venv/bin/python bench/story_items.py --articles 1000000 --entries 20000000 [...]

The model reads two staging tables, staging.stg_articles and staging.stg_related_articles. They
come from a built warehouse (`--warehouse`, e.g. one `newsdw build` made of 1,000,000 generated
files; copied once into a DuckDB file under --workdir) or from bench/stories.py's synthetic
database (`--articles`, `--entries`, `--seed`). Then, `--repeat` times and alternating, the
model is built whole as a build builds it (pipelines.models.materialise, every article
changed, DuckDB with the build's memory limit): this checkout's sql/marts/story_items.sql, and
the file as it was at `--baseline` (default: the commit before stories were cut into cohesive
ones, 5bef17c). It prints each run, the medians, their ratio, the stories each found and the
peak RSS of this process (sampled every 0.1 s with the DuckDB threads in it).
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
_MODEL = "sql/marts/story_items.sql"


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
    models = {"this checkout": _model(ROOT / _MODEL), args.baseline: _baseline(args)}
    runs: dict[str, list[dict]] = {name: [] for name in models}
    for repeat in range(args.repeat):
        for name, model in models.items():
            figures = bench_stories._measured(lambda m=model: bench_stories._build_model(con, m))
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


def _model(path: Path):
    from pipelines.models.catalog import read_model

    return read_model(path)


def _baseline(args: argparse.Namespace):
    """The model file as it was at the baseline revision, read like this checkout's."""
    text = subprocess.run(
        ["git", "show", f"{args.baseline}:{_MODEL}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = args.workdir / f"baseline-{args.baseline}" / "marts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story_items.sql").write_text(text, encoding="utf-8")
    return _model(folder / "story_items.sql")


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
