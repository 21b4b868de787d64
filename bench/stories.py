"""Stories benchmark: the shipped marts.story_items model, and its connected components three ways.

    .venv/bin/python bench/stories.py [--articles 1000000] [--entries 20000000] [--repeat 3]
                                      [--seed 7] [--workdir DIR] [--cte-timeout 900]
                                      [--cte-steps 5000] [--json figures.json]
    .venv/bin/python -m bench.stories --largest WAREHOUSE_DIR [--json stories.json]

The first form builds (once per size and seed, kept under --workdir) a synthetic DuckDB of
staging.stg_articles and staging.stg_related_articles shaped like a news site's stories:
events of a long-tailed size, whose articles come out within hours with similar titles and
list one another; chains of articles whose titles drift, each like its neighbours only;
outlets known only from related lists; and, for most entries, coverage of other events
(near in time with other titles, or anything from the archive). It then runs, side by side,
`--repeat` times each and reports the median:

- the model: intermediate.int_story_edges and marts.story_items built by
  `pipelines.models.materialise`, as a build does them;
- the model's edges (its select up to the components), once, into a table of node numbers;
- on those edges, components by the model's scipy function (`connected_components`), by
  label propagation in DuckDB's recursive CTE with USING KEY (stopped at --cte-timeout
  seconds or --cte-steps iterations, and reported so), and by a plain-Python union-find
  over the Arrow arrays.

Edges, components, the largest component and the agreement of the approaches close the
report, with the peak RSS (sampled every 0.1 s) of each and of the whole run. DuckDB runs
with the build's settings (memory_limit from NEWSDW_DUCKDB_MEMORY, default 1GB).

The second form prints the 10 largest stories of a built warehouse (marts.stories).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:  # bench/ is a folder of scripts; run as a file or with -m
    sys.path.append(str(BENCH))


def _bench_build():
    """bench/build.py as a module (its RSS sampler), under a name no package can shadow."""
    spec = importlib.util.spec_from_file_location("bench_build", BENCH / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TreeMemory = _bench_build().TreeMemory

_MIB = 1024 * 1024
_HOUR_US = 3600 * 1_000_000
_MARKER_TABLE = "bench_complete"  # present once the synthetic database is whole
_EDGES_MARKER = "\nnodes as ("  # where the model's select turns from edges to components

# The synthetic corpus's shape.
_EVENT_ALPHA = 1.6  # event sizes: P(size >= k) = k ** -alpha, so most events are one article
_EVENT_MAX = 2_000
_CHAIN_SHARE = 0.10  # of events of 3..200 articles: titles drift along a chain
_CHAIN_MAX = 200
_FOLLOW_UP_SHARE = 0.03  # articles of an event published weeks later: no edge by time
_LIST_MAX = 150  # entries of one related list
_KINDS = {  # an entry's kind and its share of the entries
    "same_event": 0.12,  # another article of the article's event
    "outlet": 0.03,  # a URL of the event known only from related lists
    "near_other": 0.35,  # other coverage near in time, another title
    "archive": 0.49,  # any article of the corpus
    "no_url": 0.007,
    "self": 0.003,  # the article's own URL
}
_KIND = {name: code for code, name in enumerate(_KINDS)}
_DOMAINS = 400
_WORDS = 50_000


def main(argv: list[str] | None = None) -> None:
    """Run what the options ask and print its figures (and write them with --json)."""
    args = _arguments(argv)
    if args.largest:
        report = largest_stories(args.largest)
        _print_largest(report)
    else:
        report = run_benchmark(args)
        _print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}", flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=20_000_000, help="related entries in all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdw-bench"
    )
    parser.add_argument("--cte-timeout", type=float, default=900.0, help="seconds per CTE run")
    parser.add_argument("--cte-steps", type=int, default=5_000, help="CTE iterations at most")
    parser.add_argument("--no-union-find", action="store_true", help="skip the Python union-find")
    parser.add_argument(
        "--largest", type=Path, metavar="WAREHOUSE_DIR", help="print its 10 largest stories"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.entries < 0 or args.repeat < 1:
        parser.error("--articles and --repeat must be positive, --entries not negative")
    return args


# --- the benchmark --------------------------------------------------------------------------


def run_benchmark(args: argparse.Namespace) -> dict:
    """Every approach `--repeat` times on the same synthetic database: medians and checks."""
    path = prepare_database(args.workdir, args.articles, args.entries, args.seed)
    con = connect(path, args.workdir)
    _every_article_changed(con)
    corpus = _corpus_figures(con)
    print(
        f"corpus: {corpus['articles']:,} articles, {corpus['entries']:,} related entries"
        f" (seed {args.seed}), {path}",
        flush=True,
    )
    model = _story_items_model()
    # The links the model reads (intermediate.int_story_edges), built once before the edges
    # are taken from the model; the model's runs build them again, as a build does.
    _build_links(con)
    edges_seconds, graph = _extract_edges(con, model)
    print(
        f"edges: {graph['edges']:,} between {graph['nodes']:,} URLs ({edges_seconds:.2f} s)",
        flush=True,
    )
    approaches = _approaches(con, model, graph, args)
    runs: dict[str, list[dict]] = {name: [] for name in approaches}
    for repeat in range(args.repeat):
        for name, work in approaches.items():
            figures = _measured(work)
            runs[name].append(figures)
            print(f"run {repeat + 1}/{args.repeat}: {name}: {_run_line(figures)}", flush=True)
    return _report(args, path, corpus, graph, edges_seconds, runs, con)


def _every_article_changed(con: duckdb.DuckDBPyConnection) -> None:
    """The model reads the build's changed articles: built whole, as here, every article."""
    from pipelines.models.catalog import CHANGED, EVERY_ARTICLE

    for view in (EVERY_ARTICLE, CHANGED):
        con.execute(
            f"create or replace temp view {view.split('.')[1]} as"
            " select canonical_url, article_id from staging.stg_articles"
        )


def _approaches(con, model, graph: dict, args) -> dict[str, Callable[[], dict]]:
    """What is timed, by name: each returns its figures (and leaves its labels in a table)."""
    approaches = {
        "model": lambda: _build_model(con, model),
        "components_scipy": lambda: _components_scipy(con, graph["nodes"]),
        "components_cte": lambda: _components_cte(con, args.cte_timeout, args.cte_steps),
    }
    if not args.no_union_find:
        approaches["components_union_find"] = lambda: _components_union_find(con, graph["nodes"])
    return approaches


def _measured(work: Callable[[], dict]) -> dict:
    """The work's own figures plus its wall time and the peak RSS of this process meanwhile."""
    with TreeMemory(os.getpid()) as memory:
        started = time.perf_counter()
        figures = work()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_bytes": memory.peak, **figures}


def _story_items_model():
    from pipelines.models import load_models

    for model in load_models():
        if model.table == "marts.story_items":
            return model
    raise SystemExit("bench/stories.py: no marts.story_items model in sql/")


def _build_links(con: duckdb.DuckDBPyConnection) -> None:
    """intermediate.int_story_edges, the links marts.story_items cuts its stories from."""
    from pipelines.models import load_models, materialise

    for model in load_models():
        if model.table == "intermediate.int_story_edges":
            materialise(con, model)
            return
    raise SystemExit("bench/stories.py: no intermediate.int_story_edges model in sql/")


def _build_model(con: duckdb.DuckDBPyConnection, model) -> dict:
    """The links and marts.story_items built as a build builds them; its stories and largest
    story."""
    from pipelines.models import materialise

    _build_links(con)
    built = materialise(con, model)
    stories, multi, largest = con.execute(
        "select count(*), count(*) filter (where items > 1), max(items) from ("
        " select story_id, count(*) as items from marts.story_items group by story_id)"
    ).fetchall()[0]
    return {"rows": built.rows, "stories": stories, "multi_item_stories": multi, "largest": largest}


def _extract_edges(con: duckdb.DuckDBPyConnection, model) -> tuple[float, dict]:
    """The model's own edges, numbered like its nodes, into bench_edges (source, target).

    The model's select is cut where its nodes begin, so the edges are exactly the model's.
    """
    head, found, _ = model.sql.partition(_EDGES_MARKER)
    if not found:
        raise SystemExit(
            f"bench/stories.py: {model.path} has no `nodes as (` CTE to cut its edges at"
        )
    started = time.perf_counter()
    con.execute(
        "create or replace temp table bench_edge_urls as\n"
        + head.rstrip().rstrip(",")
        + "\nselect source_url, target_url from edges"
    )
    con.execute(
        "create or replace temp table bench_nodes as"
        " select url, (row_number() over (order by url) - 1)::bigint as node from ("
        " select source_url as url from bench_edge_urls union select target_url"
        " from bench_edge_urls)"
    )
    con.execute(
        "create or replace temp table bench_edges as"
        " select s.node as source, t.node as target from bench_edge_urls as e"
        " join bench_nodes as s on s.url = e.source_url"
        " join bench_nodes as t on t.url = e.target_url"
    )
    seconds = time.perf_counter() - started
    edges, nodes, article_nodes = con.execute(
        "select (select count(*) from bench_edges), (select count(*) from bench_nodes),"
        " (select count(*) from bench_nodes semi join staging.stg_articles as a"
        " on a.canonical_url = bench_nodes.url)"
    ).fetchall()[0]
    return seconds, {"edges": edges, "nodes": nodes, "article_nodes": article_nodes}


def _components_scipy(con: duckdb.DuckDBPyConnection, nodes: int) -> dict:
    """The model's way: edges aggregated into one row, its scipy function, labels unnested."""
    from pipelines.models.functions import register_functions

    register_functions(con)
    con.execute(
        "create or replace temp table labels_scipy as"
        " select generate_subscripts(labels, 1) - 1 as node, unnest(labels) as label from ("
        " select connected_components(list(source), list(target), $nodes) as labels"
        " from bench_edges)",
        {"nodes": nodes},
    )
    return _label_figures(con, "labels_scipy")


# Label propagation: every node starts with its own number as label; each step, the nodes
# whose label dropped in the last step offer it to their neighbours, which keep the smallest
# offer below their own. USING KEY keeps one row per node (the step overwrites it) and
# `recurring.labels` reads the whole table, so a step joins only the nodes that changed.
_CTE = """
create or replace temp table labels_cte as
with recursive
undirected as materialized (
    select source as a, target as b from bench_edges
    union all
    select target, source from bench_edges
),
labels(node, label, step) using key (node) as (
    select node, node, 0 from bench_nodes
    union
    select offers.node, offers.label, offers.step
    from (
        select undirected.b as node, min(labels.label) as label, max(labels.step) + 1 as step
        from labels
        inner join undirected on undirected.a = labels.node
        where labels.step < STEPS
        group by undirected.b
    ) as offers
    inner join recurring.labels as now on now.node = offers.node
    where offers.label < now.label
)
select node, label, step from labels
"""


def _components_cte(con: duckdb.DuckDBPyConnection, timeout: float, steps: int) -> dict:
    """Components by label propagation in a recursive CTE; stopped after `timeout` seconds."""
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        con.execute(_CTE.replace("STEPS", str(int(steps))))
    except duckdb.InterruptException:
        return {"stopped": f"timed out after {timeout:g} s"}
    finally:
        timer.cancel()
    figures = _label_figures(con, "labels_cte")
    figures["steps"] = con.execute("select max(step) from labels_cte").fetchall()[0][0] or 0
    if figures["steps"] >= steps:
        figures["stopped"] = f"stopped at the cap of {steps:,} steps, not converged"
    return figures


def _components_union_find(con: duckdb.DuckDBPyConnection, nodes: int) -> dict:
    """Components by a plain-Python union-find over the edges' Arrow arrays."""
    edges = con.sql("select source, target from bench_edges").to_arrow_table()
    labels = union_find(
        edges.column("source").to_numpy().tolist(),
        edges.column("target").to_numpy().tolist(),
        nodes,
    )
    table = pa.table(
        {"node": pa.array(range(nodes), pa.int64()), "label": pa.array(labels, pa.int64())}
    )
    con.register("union_find_arrow", table)
    con.execute("create or replace temp table labels_union_find as from union_find_arrow")
    con.unregister("union_find_arrow")
    return _label_figures(con, "labels_union_find")


def union_find(sources: list[int], targets: list[int], nodes: int) -> list[int]:
    """Each node's component label (the smallest node of it), by union-find with path halving."""
    parent = list(range(nodes))
    for a, b in zip(sources, targets, strict=True):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b
    for node in range(nodes):  # increasing order: a node's parent is already final
        parent[node] = parent[parent[node]]
    return parent


def _label_figures(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Components in a (node, label) table and the size of the largest."""
    components, largest = con.execute(
        f"select count(*), coalesce(max(size), 0) from ("
        f" select count(*) as size from {table} group by label)"
    ).fetchall()[0]
    return {"components": components, "largest": largest}


def _agreement(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, bool]:
    """Whether each labels table partitions the nodes exactly as labels_scipy does."""
    out = {}
    for table in tables:
        pairs, ours, theirs, nodes = con.execute(
            f"select count(distinct (s.label, o.label)), count(distinct s.label),"
            f" count(distinct o.label), count(*)"
            f" from labels_scipy as s join {table} as o on o.node = s.node"
        ).fetchall()[0]
        total = con.execute("select count(*) from bench_nodes").fetchall()[0][0]
        out[table] = pairs == ours == theirs and nodes == total
    return out


def _model_agrees(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether marts.story_items' groups (group_id: the linked items its stories are cut from)
    are the components labels_scipy finds, over every URL of the graph but the related-only
    URLs the cut leaves alone (no items)."""
    pairs, stories, labels, items = con.execute(
        "select count(distinct (i.group_id, l.label)), count(distinct i.group_id),"
        " count(distinct l.label), count(*)"
        " from marts.story_items as i"
        " join bench_nodes as n on n.url = i.canonical_url"
        " join labels_scipy as l on l.node = n.node"
    ).fetchall()[0]
    dropped = con.execute(
        "select count(*) from bench_nodes anti join marts.story_items as i"
        " on i.canonical_url = bench_nodes.url"
    ).fetchall()[0][0]
    return (
        pairs == stories == labels
        and items + dropped == con.execute("select count(*) from bench_nodes").fetchall()[0][0]
    )


_LABELS = {  # approach: its line in the report, and the table of (node, label) it leaves
    "model": ("marts.story_items, whole model (scipy)", None),
    "components_scipy": ("components: scipy UDF (the model's)", "labels_scipy"),
    "components_cte": ("components: recursive CTE, USING KEY", "labels_cte"),
    "components_union_find": ("components: Python union-find", "labels_union_find"),
}


def _report(args, path: Path, corpus, graph, edges_seconds, runs, con) -> dict:
    """Medians of every approach, each against the scipy components, and their agreement."""
    approaches = {}
    for name, figures in runs.items():
        approaches[name] = {
            "seconds_median": statistics.median(f["seconds"] for f in figures),
            "seconds_runs": [f["seconds"] for f in figures],
            "peak_rss_mib": max(f["peak_rss_bytes"] for f in figures) / _MIB,
            "stopped_runs": sum("stopped" in f for f in figures),
            **{k: v for k, v in figures[-1].items() if k not in ("seconds", "peak_rss_bytes")},
        }
    base = approaches["components_scipy"]["seconds_median"]
    for figures in approaches.values():
        figures["vs_scipy"] = figures["seconds_median"] / base if base else None
    tables = [
        _LABELS[name][1]
        for name, figures in approaches.items()
        if name not in ("model", "components_scipy") and "stopped" not in figures
    ]
    agree = _agreement(con, tables)
    agree["model"] = _model_agrees(con)
    return {
        "config": {
            "articles": args.articles,
            "entries": args.entries,
            "seed": args.seed,
            "repeat": args.repeat,
            "database": str(path),
            "duckdb_memory": _memory_limit(),
        },
        "corpus": corpus,
        "graph": {**graph, "edges_seconds": edges_seconds},
        "approaches": approaches,
        "agree_with_scipy": agree,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _result(figures: dict) -> str:
    """What an approach found, in words: its stories or components, or why it stopped."""
    if figures.get("stopped"):
        return figures["stopped"]
    if "stories" in figures:
        return (
            f"{figures['stories']:,} stories ({figures['multi_item_stories']:,} of 2+ items),"
            f" largest {figures['largest']:,}"
        )
    steps = f", {figures['steps']:,} steps" if "steps" in figures else ""
    return f"{figures['components']:,} components, largest {figures['largest']:,}{steps}"


def _run_line(figures: dict) -> str:
    rss = figures["peak_rss_bytes"] / _MIB
    return f"{figures['seconds']:.2f} s, {_result(figures)}, peak RSS {rss:,.0f} MiB"


def _print_report(report: dict) -> None:
    corpus, graph = report["corpus"], report["graph"]
    print(
        f"\ncorpus: {corpus['articles']:,} articles, {corpus['entries']:,} related entries;"
        f" graph: {graph['edges']:,} edges, {graph['nodes']:,} URLs"
        f" (edges query {graph['edges_seconds']:.2f} s)"
    )
    print(f"\n{'approach':<42}{'median':>10}{'vs scipy':>10}{'peak RSS':>12}   result")
    for name, figures in report["approaches"].items():
        print(
            f"{_LABELS[name][0]:<42}{figures['seconds_median']:>8.2f} s"
            f"{figures['vs_scipy']:>9.1f}x{figures['peak_rss_mib']:>8,.0f} MiB"
            f"   {_result(figures)}"
        )
    agree = ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in report["agree_with_scipy"].items())
    print(f"\nsame components as scipy: {agree}")
    print(f"peak RSS of this process (timing phase): {report['peak_rss_mib']:,.0f} MiB")
    sys.stdout.flush()


# --- the largest stories of a warehouse ------------------------------------------------------


def largest_stories(warehouse: Path, limit: int = 10) -> dict:
    """The `limit` largest stories of a built warehouse, from marts.stories."""
    from pipelines.store.lake import connect_read_only

    con = connect_read_only(warehouse)
    try:
        rows = con.execute(
            "select story_id, items, articles, providers, span_hours, title"
            " from marts.stories order by items desc, story_id limit $limit",
            {"limit": limit},
        ).fetchall()
        stories, multi = con.execute(
            "select count(*), count(*) filter (where items > 1) from marts.stories"
        ).fetchall()[0]
    finally:
        con.close()
    keys = ("story_id", "items", "articles", "providers", "span_hours", "title")
    return {
        "warehouse": str(warehouse),
        "stories": stories,
        "multi_item_stories": multi,
        "largest": [dict(zip(keys, row, strict=True)) for row in rows],
    }


def _print_largest(report: dict) -> None:
    print(
        f"{report['warehouse']}: {report['stories']:,} stories,"
        f" {report['multi_item_stories']:,} of them of 2+ items; the largest:"
    )
    print(f"\n{'items':>7}{'articles':>10}{'providers':>11}{'span_hours':>12}   title")
    for story in report["largest"]:
        span = "-" if story["span_hours"] is None else f"{story['span_hours']:.1f}"
        print(
            f"{story['items']:>7,}{story['articles']:>10,}{story['providers']:>11,}"
            f"{span:>12}   {story['title']}"
        )
    sys.stdout.flush()


# --- the synthetic database ------------------------------------------------------------------


def connect(path: Path, workdir: Path) -> duckdb.DuckDBPyConnection:
    """A connection to `path` with the build's settings (pipelines/store/lake.py's writer)."""
    spill = workdir / ".duckdb-tmp"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        str(path),
        config={
            "memory_limit": _memory_limit(),
            "temp_directory": str(spill),
            "preserve_insertion_order": False,
        },
    )
    con.execute("set enable_progress_bar = false")
    return con


def _memory_limit() -> str:
    from pipelines.store.lake import DEFAULT_MEMORY

    return os.environ.get("NEWSDW_DUCKDB_MEMORY") or DEFAULT_MEMORY


def prepare_database(workdir: Path, articles: int, entries: int, seed: int) -> Path:
    """The synthetic database of these sizes, generated (in a child process) on first use."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"stories-{articles}-{entries}-{seed}.duckdb"
    if path.exists() and _complete(path, workdir):
        return path
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    started = time.perf_counter()
    # A child of its own: the generator's arrays are not counted in this process's peak RSS.
    child = multiprocessing.get_context("spawn").Process(
        target=generate_database, args=(path, workdir, articles, entries, seed)
    )
    child.start()
    child.join()
    if child.exitcode != 0 or not _complete(path, workdir):
        raise SystemExit(f"bench/stories.py: generating {path} failed (exit {child.exitcode})")
    print(f"generated {path} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _complete(path: Path, workdir: Path) -> bool:
    con = connect(path, workdir)
    try:
        return bool(
            con.execute(
                "select count(*) from duckdb_tables() where table_name = $name",
                {"name": _MARKER_TABLE},
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def _corpus_figures(con: duckdb.DuckDBPyConnection) -> dict:
    articles, entries = con.execute(
        "select (select count(*) from staging.stg_articles),"
        " (select count(*) from staging.stg_related_articles)"
    ).fetchall()[0]
    return {"articles": articles, "entries": entries}


def generate_database(path: Path, workdir: Path, articles: int, entries: int, seed: int) -> None:
    """Write staging.stg_articles and staging.stg_related_articles of the given sizes to `path`."""
    rng = np.random.default_rng(seed)
    words = _vocabulary(rng)
    events = _events(rng, articles)
    drawn = _articles(rng, events, words)
    entry_table, pool = _entries(rng, events, drawn, entries, words)
    article_table = pa.table(
        {
            "idx": pa.array(np.arange(len(drawn["domain"]))),
            "domain": pa.array(drawn["domain"]),
            "published_us": pa.array(drawn["published_us"], mask=~drawn["known"]),
            "title": drawn["title"],
        }
    )
    del drawn
    domains = pa.table(
        {"k": pa.array(range(_DOMAINS), pa.int64()), "name": [_domain(k) for k in range(_DOMAINS)]}
    )
    con = connect(path, workdir)
    try:
        for name, table in [
            ("g_articles", article_table),
            ("g_entries", entry_table),
            ("g_pool", pool),
            ("g_domains", domains),
        ]:
            con.register(name, table)
        con.execute(_LOAD_SQL)
        con.execute(f"create table {_MARKER_TABLE} as select 1 as ok")
        con.execute("checkpoint")
    finally:
        con.close()


# The generated arrays into the staging tables: URLs from indices, article ids as the
# staging model computes them, each entry's fields from what it points at.
_LOAD_SQL = """
create schema if not exists staging;
create temp table g_urls as
select a.idx, 'https://' || d.name || '/a/' || a.idx as url, d.name as domain, a.title,
       make_timestamp(a.published_us) as published_at
from g_articles as a inner join g_domains as d on d.k = a.domain;
create table staging.stg_articles as
select left(sha256(url), 16) as article_id, url as canonical_url, title,
       domain as provider_domain, published_at
from g_urls;
create table staging.stg_related_articles as
with entries as (
    select
        e.position,
        e.kind,
        e.target,
        e.outlet,
        e.published_us,
        mine.url as article_url,
        pointed.url as pointed_url,
        pointed.title as pointed_title,
        pointed.domain as pointed_domain,
        pool.title as pool_title,
        pool_domain.name as pool_domain,
        outlet_domain.name as outlet_domain
    from g_entries as e
    inner join g_urls as mine on mine.idx = e.article
    left join g_urls as pointed
        on pointed.idx = e.target and e.kind in (SAME, OUTLET, ARCHIVE, SELF)
    left join g_pool as pool on pool.k = e.target and e.kind in (NEAR, NO_URL)
    left join g_domains as pool_domain on pool_domain.k = e.target % DOMAINS
    left join g_domains as outlet_domain on outlet_domain.k = hash(e.outlet) % DOMAINS
)
select
    left(sha256(article_url), 16) as article_id,
    position,
    case kind
        when OUTLET then 'https://' || outlet_domain || '/story/' || outlet
        when NEAR then 'https://' || pool_domain || '/o/' || target
        when NO_URL then null
        else pointed_url
    end as related_url,
    if(kind in (NEAR, NO_URL), pool_title, pointed_title) as related_title,
    case
        when kind = OUTLET then outlet_domain
        when kind in (NEAR, NO_URL) then pool_domain
        else pointed_domain
    end as related_provider_domain,
    make_timestamp(published_us) as related_published_at
from entries;
"""
for _name, _value in {
    "SAME": _KIND["same_event"],
    "OUTLET": _KIND["outlet"],
    "ARCHIVE": _KIND["archive"],
    "SELF": _KIND["self"],
    "NEAR": _KIND["near_other"],
    "NO_URL": _KIND["no_url"],
    "DOMAINS": _DOMAINS,
}.items():
    _LOAD_SQL = _LOAD_SQL.replace(_name, str(_value))


def _domain(k: int) -> str:
    return f"news-{k}.example.com" if k % 7 else f"outlet{k}.example.org"


def _vocabulary(rng: np.random.Generator) -> pa.Array:
    """Pseudo-words of three syllables (some with accented letters), then the title fillers."""
    consonants, vowels = "bcdfghjklmnprstvz", "aeiouéü"
    syllables = [c + v for c in consonants for v in vowels]
    n = len(syllables)
    picks = rng.choice(n**3, _WORDS, replace=False)
    words = [syllables[p // (n * n)] + syllables[(p // n) % n] + syllables[p % n] for p in picks]
    return pa.array(words + _FILLERS)


# Stop words and short pieces a title carries that the tokens drop: ids _WORDS and above.
_FILLERS = ["The", "How", "Why", "What", "US", "EU", "5", "is"]


def _events(rng: np.random.Generator, articles: int) -> dict[str, np.ndarray]:
    """Each article's event, its rank in it, and each event's size, start and kind."""
    sizes = np.empty(0, np.int64)
    while sizes.sum() < articles:
        draw = np.floor(rng.random(max(16, articles // 2)) ** (-1 / _EVENT_ALPHA))
        sizes = np.concatenate([sizes, np.clip(draw, 1, _EVENT_MAX).astype(np.int64)])
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, articles)) + 1
    sizes = sizes[:count]
    sizes[-1] -= int(ends[count - 1]) - articles
    starts = np.cumsum(sizes) - sizes
    chain = (sizes >= 3) & (sizes <= _CHAIN_MAX) & (rng.random(count) < _CHAIN_SHARE)
    event = np.repeat(np.arange(count), sizes)
    return {
        "size": sizes,
        "start": starts,
        "chain": chain,
        "event": event,
        "rank": np.arange(articles) - starts[event],
        "t0": rng.integers(_epoch_us(2020), _epoch_us(2025), count),
    }


def _epoch_us(year: int) -> int:
    """Microseconds from 1970 to the start of `year`."""
    return int(np.datetime64(f"{year}-01-01", "us").astype(np.int64))


def _mix(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """A deterministic pseudo-random uint64 of two integers (splitmix64's finaliser)."""
    x = a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.asarray(b).astype(np.uint64)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


def _articles(rng: np.random.Generator, events: dict, words: pa.Array) -> dict:
    """The articles, event by event: provider, publication time (`known`: not NULL), title."""
    event, rank = events["event"], events["rank"]
    n = len(event)
    chain = events["chain"][event]
    offset = rng.integers(0, 36 * _HOUR_US, n)
    later = rng.random(n) < _FOLLOW_UP_SHARE
    offset = np.where(later, offset + rng.integers(5, 60, n) * 24 * _HOUR_US, offset)
    offset = np.where(chain, rank * 6 * _HOUR_US + rng.integers(0, 2 * _HOUR_US, n), offset)
    weights = 1 / np.arange(1, _DOMAINS + 1) ** 1.1
    return {
        "domain": rng.choice(_DOMAINS, n, p=weights / weights.sum()),
        "published_us": events["t0"][event] + offset,
        "known": rng.random(n) >= 0.02,
        "title": _titles(_title_words(rng, event, rank, chain), words),
    }


def _title_words(rng, event: np.ndarray, rank: np.ndarray, chain: np.ndarray) -> np.ndarray:
    """Word ids of each title (-1: none): a filler, six words, an extra word, a short piece.

    An event's titles share its six words but one (any two share at least 4 of at most 8:
    Jaccard >= 0.4); a tenth are rewritten (two shared words). A chain's article k has the
    event's words k..k+5, so a title is like its neighbours' only.
    """
    n = len(event)
    columns = np.full((n, 9), -1, np.int64)
    columns[:, 0] = np.where(rng.random(n) < 0.3, _WORDS + rng.integers(0, 4, n), -1)
    base = np.arange(6)
    words = np.where(
        chain[:, None],
        _mix(event[:, None], rank[:, None] + base + 1_000_000),
        _mix(event[:, None], base),
    ) % np.uint64(_WORDS)
    columns[:, 1:7] = words.astype(np.int64)
    regular = ~chain
    replaced = rng.integers(0, 6, n)
    rows = np.flatnonzero(regular)
    columns[rows, 1 + replaced[rows]] = rng.integers(0, _WORDS, len(rows))
    rewritten = np.flatnonzero(regular & (rng.random(n) < 0.1))
    columns[rewritten[:, None], np.arange(3, 7)] = rng.integers(0, _WORDS, (len(rewritten), 4))
    columns[:, 7] = np.where(regular & (rng.random(n) < 0.5), rng.integers(0, _WORDS, n), -1)
    columns[:, 8] = np.where(rng.random(n) < 0.2, _WORDS + rng.integers(4, 8, n), -1)
    return columns


def _titles(ids: np.ndarray, words: pa.Array) -> pa.Array:
    """The titles the word-id rows spell, space-separated, first letter capitalised."""
    present = ids >= 0
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))])
    flat = pc.take(words, pa.array(ids[present]))
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), flat)
    return pc.utf8_capitalize(pc.binary_join(lists, " "))


def _entries(rng, events: dict, articles: dict, total: int, words: pa.Array):
    """The related entries (kind, what they point at, their time) and the other-coverage pool."""
    n = len(articles["domain"])
    counts = _list_lengths(rng, n, total)
    article = np.repeat(np.arange(n), counts)
    m = len(article)
    position = np.arange(m) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    shares = np.array(list(_KINDS.values()))
    kind = rng.choice(len(_KINDS), m, p=shares / shares.sum())
    event = events["event"][article]
    size, start = events["size"][event], events["start"][event]
    rank, chain = events["rank"][article], events["chain"][event]
    same, outlet, near_other = _KIND["same_event"], _KIND["outlet"], _KIND["near_other"]
    kind = np.where((kind == same) & (size == 1), near_other, kind)
    # Another article of the event: any of it, or a neighbour along a chain (1 or 2 away).
    # A chain article's list starts with its two neighbours, so that a chain holds together
    # (a story that drifted over weeks, the long way round for label propagation).
    other = (rank + rng.integers(1, np.maximum(size, 2))) % size
    step = rng.choice(np.array([-2, -1, 1, 2]), m)
    step = np.where(chain & (position <= 2), np.where(position == 1, -1, 1), step)
    kind = np.where(chain & (position <= 2), same, kind)
    near = np.clip(rank + step, 0, size - 1)
    near = np.where(near == rank, np.where(rank + 1 < size, rank + 1, rank - 1), near)
    member = np.where(size == 1, article, start + np.where(chain, near, other))
    pool_size = max(1, n // 2)
    pooled = (kind == near_other) | (kind == _KIND["no_url"])
    target = np.select(
        [(kind == same) | (kind == outlet), kind == _KIND["archive"], kind == _KIND["self"]],
        [member, rng.integers(0, n, m), article],
        rng.integers(0, pool_size, m),
    )
    # The entry's time: that of what it points at; an outlet's a few hours after its
    # article's; other coverage within two days of the listing article.
    pointed = np.where(pooled, article, target)
    when = articles["published_us"][pointed]
    when = when + np.where(kind == outlet, rng.integers(0, 12 * _HOUR_US, m), 0)
    when = when + np.where(pooled, rng.integers(-48 * _HOUR_US, 48 * _HOUR_US, m), 0)
    known = articles["known"][pointed] & (rng.random(m) >= 0.03)
    # An event's outlets: a few per event; along a chain, one per four articles.
    outlet_id = event * 1000 + np.where(
        chain, rank // 4, rng.integers(0, 1 + np.minimum(size // 3, 40))
    )
    entries = pa.table(
        {
            "article": pa.array(article),
            "position": pa.array(position.astype(np.int32)),
            "kind": pa.array(kind.astype(np.int8)),
            "target": pa.array(target),
            "outlet": pa.array(outlet_id),
            "published_us": pa.array(when, mask=~known),
        }
    )
    pool_ids = np.full((pool_size, 9), -1, np.int64)
    pool_ids[:, 0] = np.where(rng.random(pool_size) < 0.3, _WORDS, -1)
    pool_ids[:, 1:7] = rng.integers(0, _WORDS, (pool_size, 6))
    pool = pa.table({"k": pa.array(np.arange(pool_size)), "title": _titles(pool_ids, words)})
    return entries, pool


def _list_lengths(rng: np.random.Generator, n: int, total: int) -> np.ndarray:
    """Related list lengths: lognormal, at most _LIST_MAX, summing to `total` exactly."""
    if total > n * _LIST_MAX:
        raise SystemExit(f"bench/stories.py: at most {n * _LIST_MAX:,} entries for {n:,} articles")
    weights = rng.lognormal(np.log(8), 1.2, n)
    low, high = 0.0, total / weights.min() + 1
    for _ in range(60):  # the scale whose capped, rounded lengths come closest to `total`
        scale = (low + high) / 2
        if np.minimum(np.round(weights * scale), _LIST_MAX).sum() < total:
            low = scale
        else:
            high = scale
    counts = np.minimum(np.round(weights * high), _LIST_MAX).astype(np.int64)
    surplus = int(counts.sum()) - total
    if surplus > 0:  # take one entry from as many random non-empty lists
        counts[rng.choice(np.flatnonzero(counts > 0), surplus, replace=False)] -= 1
    elif surplus < 0:
        counts[rng.choice(np.flatnonzero(counts < _LIST_MAX), -surplus, replace=False)] += 1
    return counts


if __name__ == "__main__":
    main()
