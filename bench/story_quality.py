"""Story quality benchmark: the warehouse's stories against the generator's true events.

    .venv/bin/python bench/story_quality.py [--files 10000 100000] [--profiles default real]
                                            [--seeds 7] [--workdir DIR] [--json out.json]
                                            [--reuse]

For each profile, size and seed: generate the corpus with its truth (pipelines.generate's
`generate_corpus(..., truth=...)`: the true event of every article URL and related-entry URL
it writes, as canonical URLs), build it with `newsdw build` into an empty warehouse (or, with
`--reuse`, keep a warehouse this script built before), read `marts.story_items` and compare.

True events (see pipelines/generate.py's docstring): in the real profile, an event is one
piece of news, its pool entries and the articles covering it; every other article is an event
of its own. In the default profile every article and every pool entry is its own event (their
titles are drawn independently), so a perfect story builder makes only 1-item stories there.

B-cubed, over the items (canonical URLs) present both in the truth and in story_items: for
each item i with story S(i) and true event E(i), both restricted to those items,

    precision(i) = |S(i) ∩ E(i)| / |S(i)|        recall(i) = |S(i) ∩ E(i)| / |E(i)|

and the figures are their means over the items. (URLs of an event that no story holds, such
as related entries without a link, are outside the comparison: recall does not count them.
A stricter figure beside it, "all URLs", counts every URL of the truth, each URL no story
holds as a story of its own.)

Long spans: stories of at least 5 items whose items span more than 96 h (first to last
published_at, as story_items has them), and of those, how many are excused because their true
event (the majority event of the story's items) spans more than 96 h over all its URLs in the
truth. The biggest offenders are listed with their size, span and number of distinct events.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPAN_HOURS = 96.0
MIN_ITEMS = 5
TARGET = 0.95
_MARKER = ".complete"


def bcubed(items: pl.DataFrame) -> tuple[float, float]:
    """B-cubed (precision, recall) of a clustering `story` against a truth `event`.

    `items` has one row per item with columns `story` and `event`; the figures are the means
    over the rows of |story ∩ event| / |story| and |story ∩ event| / |event| (see the module's
    docstring). An empty frame gives (1.0, 1.0).
    """
    if items.height == 0:
        return 1.0, 1.0
    counted = items.select(
        both=pl.len().over("story", "event"),
        story=pl.len().over("story"),
        event=pl.len().over("event"),
    )
    figures = counted.select(
        precision=(pl.col("both") / pl.col("story")).mean(),
        recall=(pl.col("both") / pl.col("event")).mean(),
    ).row(0)
    return float(figures[0]), float(figures[1])


def read_truth(path: Path) -> pl.DataFrame:
    """The truth CSV of generate_corpus: canonical_url, event, published_at (UTC), kind."""
    return pl.read_csv(path, schema_overrides={"event": pl.String}).with_columns(
        pl.col("published_at").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC")
    )


def read_story_items(warehouse: Path) -> pl.DataFrame:
    """marts.story_items' story_id, canonical_url, article_id, title and published_at."""
    from pipelines.store.lake import connect_read_only

    con = connect_read_only(warehouse)
    try:
        sql = """
            select story_id, canonical_url, article_id, title,
                   epoch_us(published_at) as published_us
            from marts.story_items
        """
        return con.execute(sql).pl()
    finally:
        con.close()


def measure(story_items: pl.DataFrame, truth: pl.DataFrame, offenders: int = 10) -> dict:
    """Every figure of one corpus: sizes, B-cubed, long-span stories and the worst of them."""
    events = truth.group_by("event").agg(
        event_items=pl.len(),
        event_span_h=(
            pl.col("published_at").max() - pl.col("published_at").min()
        ).dt.total_seconds()
        / 3600,
    )
    joined = story_items.join(
        truth.select("canonical_url", "event"), on="canonical_url", how="inner"
    )
    precision, recall = bcubed(joined.select(story="story_id", event="event"))
    # The stricter reading: every URL of the truth, those no story holds as stories of one.
    absent = truth.join(story_items, on="canonical_url", how="anti")
    everything = pl.concat(
        [
            joined.select(story="story_id", event="event"),
            absent.select(story="canonical_url", event="event"),
        ]
    )
    precision_all, recall_all = bcubed(everything)
    articles = story_items.filter(pl.col("article_id").is_not_null())
    unmatched_articles = articles.join(truth, on="canonical_url", how="anti").height

    # Stories as story_items holds them (all their items), with the majority true event of
    # the items the truth knows.
    stories = story_items.group_by("story_id").agg(
        items=pl.len(),
        span_h=(pl.col("published_us").max() - pl.col("published_us").min()) / 3.6e9,
        title=pl.col("title").sort_by("published_us").first(),
    )
    majority = (
        joined.group_by("story_id", "event")
        .agg(n=pl.len())
        .sort(["story_id", "n", "event"], descending=[False, True, False])
        .group_by("story_id", maintain_order=True)
        .agg(events=pl.len(), event=pl.col("event").first(), event_share=pl.col("n").first())
        .join(events, on="event", how="left")
    )
    stories = stories.join(majority, on="story_id", how="left")
    long = stories.filter((pl.col("items") >= MIN_ITEMS) & (pl.col("span_h") > SPAN_HOURS))
    excused = long.filter(pl.col("event_span_h") > SPAN_HOURS)
    worst = long.sort(["span_h", "items"], descending=True).head(offenders)
    sizes = stories["items"]
    return {
        "story_items": story_items.height,
        "articles": articles.height,
        "truth_urls": truth.height,
        "items_compared": joined.height,
        "articles_without_truth": unmatched_articles,
        "stories": stories.height,
        "stories_compared": joined["story_id"].n_unique(),
        "events_compared": joined["event"].n_unique(),
        "stories_of_1": int((sizes == 1).sum()),
        "stories_of_5_plus": int((sizes >= MIN_ITEMS).sum()),
        "largest_story": int(sizes.max() or 0),
        "bcubed_precision": precision,
        "bcubed_recall": recall,
        "bcubed_precision_all_urls": precision_all,
        "bcubed_recall_all_urls": recall_all,
        "long_span_stories": long.height,
        "long_span_excused": excused.height,
        "long_span_offending": long.height - excused.height,
        "worst_long_span": [
            {
                "items": row["items"],
                "span_h": round(row["span_h"], 1),
                "events": row["events"],
                "majority_event_share": row["event_share"],
                "majority_event_span_h": None
                if row["event_span_h"] is None
                else round(row["event_span_h"], 1),
                "title": row["title"],
            }
            for row in worst.iter_rows(named=True)
        ],
    }


def _newsdw() -> list[str]:
    """The `newsdw` command a user runs: the venv's console script, else the same entry point."""
    script = Path(sys.executable).with_name("newsdw")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from pipelines.cli import main; main()"]


def prepare(workdir: Path, files: int, seed: int, profile: str) -> tuple[Path, Path]:
    """The corpus and its truth CSV, generated on first use (a complete one is reused)."""
    from pipelines.generate import generate_corpus

    name = f"{profile}-{files}-{seed}"
    content, truth = workdir / f"content-{name}", workdir / f"truth-{name}.csv"
    if (content / _MARKER).exists() and truth.is_file():
        return content, truth
    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    generate_corpus(content, files, seed, profile=profile, truth=truth)
    (content / _MARKER).write_text("ok")
    seconds = time.perf_counter() - started
    print(f"generated {files:,} files ({profile} profile, seed {seed}) in {seconds:.1f} s")
    return content, truth


def build(content: Path, warehouse: Path, reuse: bool) -> float | None:
    """`newsdw build` into an empty warehouse; its wall time (None when reused)."""
    if reuse and (warehouse / _MARKER).exists():
        return None
    shutil.rmtree(warehouse, ignore_errors=True)
    command = _newsdw() + ["build", "--content", str(content), "--warehouse", str(warehouse)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-20:])
        raise SystemExit(f"newsdw build failed (exit {result.returncode}):\n{result.stdout}{tail}")
    (warehouse / _MARKER).write_text("ok")
    return time.perf_counter() - started


def run_one(workdir: Path, files: int, seed: int, profile: str, reuse: bool) -> dict:
    """Generate, build and measure one corpus."""
    content, truth_path = prepare(workdir, files, seed, profile)
    written = sum(1 for path in content.rglob("*") if path.is_file() and path.name != _MARKER)
    assert written == files, (written, files)
    warehouse = workdir / f"warehouse-{profile}-{files}-{seed}"
    seconds = build(content, warehouse, reuse)
    figures = measure(read_story_items(warehouse), read_truth(truth_path))
    return {"profile": profile, "files": files, "seed": seed, "build_seconds": seconds, **figures}


def _print(report: dict) -> None:
    mark = "ok" if min(report["bcubed_precision"], report["bcubed_recall"]) >= TARGET else "BELOW"
    built = report["build_seconds"]
    print(
        f"\n{report['profile']} profile, {report['files']:,} files, seed {report['seed']}"
        + (f" (build {built:.0f} s)" if built is not None else " (warehouse reused)")
    )
    print(
        f"  story_items {report['story_items']:,} ({report['articles']:,} articles) in "
        f"{report['stories']:,} stories; truth {report['truth_urls']:,} URLs; compared "
        f"{report['items_compared']:,} items in {report['stories_compared']:,} stories and "
        f"{report['events_compared']:,} events; articles without truth "
        f"{report['articles_without_truth']}"
    )
    print(
        f"  stories of 1 item {report['stories_of_1']:,}, of {MIN_ITEMS}+ items "
        f"{report['stories_of_5_plus']:,}, largest {report['largest_story']}"
    )
    print(
        f"  B-cubed precision {report['bcubed_precision']:.4f}, recall "
        f"{report['bcubed_recall']:.4f} (target both >= {TARGET}: {mark})"
    )
    print(
        f"  over every URL of the truth (those in no story as stories of 1): precision "
        f"{report['bcubed_precision_all_urls']:.4f}, recall {report['bcubed_recall_all_urls']:.4f}"
    )
    print(
        f"  stories of {MIN_ITEMS}+ items spanning > {SPAN_HOURS:.0f} h: "
        f"{report['long_span_stories']} ({report['long_span_excused']} whose true event also "
        f"does; {report['long_span_offending']} offending; target 0)"
    )
    for row in report["worst_long_span"]:
        print(
            f"    {row['items']:>4} items {row['span_h']:>7.1f} h {row['events']:>3} events "
            f"(majority {row['majority_event_share']}, its span "
            f"{row['majority_event_span_h']} h): {row['title']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[10_000])
    parser.add_argument("--profiles", nargs="+", default=["default", "real"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7])
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-story-quality"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a warehouse built before for the same corpus"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    reports = []
    for files in args.files:
        for profile in args.profiles:
            for seed in args.seeds:
                reports.append(run_one(args.workdir, files, seed, profile, args.reuse))
                _print(reports[-1])
                if args.json:
                    args.json.write_text(json.dumps({"corpora": reports}, indent=2) + "\n")


if __name__ == "__main__":
    main()
