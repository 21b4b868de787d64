"""Dashboards benchmark: the pages' build time against a full build; each page's weight and draw.

    .venv/bin/python bench/dashboards.py [--files 100000] [--profile default|real] [--repeat 3]
                                         [--seed 7] [--workdir DIR] [--json figures.json]
                                         [--warehouse DIR]

Without --warehouse, each run does a full `newsdw build` of the corpus into an empty
warehouse (every asset, dashboards included), then rebuilds the pages alone in a fresh
process (imports included); the medians are printed side by side, with the dashboards
step's share of the full build (target at most 10%). With --warehouse DIR, no corpus is
made and nothing is built but the pages of that warehouse, once, in a fresh process.

Then every menu page and the first two provider and topic drill-down pages of the site are
opened from file:// in Debian's Chromium (1440x900), --repeat times each in a fresh browser
context: the time from `page.goto` until `body[data-ready='true']` (target under 3 s), the
bytes of every file the page loaded, the page's own (its html, data scripts, site.js,
site.css, favicon: target under 2 MB) apart from the shared plotly.min.js, and the requests
that left the site's folder (there should be none). Last, the first page (index.html) is
opened --repeat times through `newsdw serve` (its server, on localhost): the bytes that
crossed the wire (gzipped, plotly.js included; target at most 1.5 MB) and the time until it
is drawn (target at most 2 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import arguments, prepare, walk, warm  # noqa: E402 - bench/ is not a package

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1440, "height": 900}
PLOTLY = "assets/plotly.min.js"
DRILLS = 2  # drill-down pages opened of each kind, provider and topic: the first ones
PAGE_TARGET = 2_000_000  # bytes of a page without plotly.js
SECONDS_TARGET = 3.0  # open and draw
SERVED_BYTES_TARGET = 1_500_000  # the first page through `newsdw serve`, on the wire
SERVED_SECONDS_TARGET = 2.0
_READY = "body[data-ready='true'], body[data-ready='error']"
_READY_TIMEOUT_MS = 120_000

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
    "folder": str(site.folder),
    "pages": [
        {"name": page.path.name, "size": page.size, "in_menu": page.in_menu}
        for page in site.pages
    ],
    "plotly_js": site.plotly_js.stat().st_size,
    "data_bytes": site.data_bytes,
}))
"""


def main() -> None:
    """Build (or take) a warehouse, open its pages and print every figure."""
    warehouse, sys.argv[1:] = _warehouse_option(sys.argv[1:])
    args = arguments(__doc__.split("\n\n")[0], json_output=True)
    if warehouse is None:
        content = prepare(args)
        print(f"corpus: {sum(1 for _ in walk(content)):,} files, {content}", flush=True)
        builds, sites = _full_builds(args, content)
    else:
        content = f"the corpus behind {warehouse}"
        print(f"warehouse: {warehouse} (no corpus made, nothing built but its pages)")
        builds, sites = None, [_pages_alone(content, warehouse)]
        print(f"pages alone: {sites[0]['seconds']:.2f} s", flush=True)
    site = sites[-1]
    chosen = _chosen_pages(site["pages"])
    print(f"opening {len(chosen)} pages, {args.repeat} times each", flush=True)
    pages = _open_pages(Path(site["folder"]), chosen, args.repeat)
    report = _report(args, warehouse, content, builds, sites, pages)
    report["served"] = _served_first_page(Path(site["folder"]), args.repeat)
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}", flush=True)


def _warehouse_option(argv: list[str]) -> tuple[Path | None, list[str]]:
    """--warehouse DIR, and the other options, which bench/corpus.py's `arguments` reads."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--warehouse", type=Path)
    known, rest = parser.parse_known_args(argv)
    if known.warehouse is not None and not (known.warehouse / "newsdw.ducklake").is_file():
        raise SystemExit(f"bench/dashboards.py: no warehouse at {known.warehouse}")
    return known.warehouse, rest


# --- builds ---------------------------------------------------------------------------------


def _full_builds(args, content: Path) -> tuple[dict, list[dict]]:
    """Each run: a full build into an empty warehouse, its dashboards step, the pages alone."""
    warehouse = args.workdir / "warehouse-dashboards"
    builds, steps, sites = [], [], []
    for run in range(args.repeat):
        shutil.rmtree(warehouse, ignore_errors=True)
        warm(content)
        builds.append(_full_build(content, warehouse))
        steps.append(_step_seconds(warehouse, "dashboards"))
        sites.append(_pages_alone(content, warehouse))
        print(
            f"run {run + 1}/{args.repeat}: full build {builds[-1]:.1f} s, dashboards step"
            f" {steps[-1]:.2f} s, pages alone {sites[-1]['seconds']:.2f} s"
            f" (rendering {sites[-1]['render_seconds']:.2f} s)",
            flush=True,
        )
    return {"full_seconds": builds, "dashboards_step_seconds": steps}, sites


def _full_build(content: Path, warehouse: Path) -> float:
    """Wall time of `newsdw build` into an empty warehouse."""
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    command += ["--content", str(content), "--warehouse", str(warehouse)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def _step_seconds(warehouse: Path, step_key: str) -> float:
    """How long a step of the warehouse's last Dagster run took, from the run's own record."""
    from pipelines.build import open_instance

    with open_instance(warehouse / ".dagster") as instance:
        run = instance.get_runs(limit=1)[0]
        for stats in instance.get_run_step_stats(run.run_id):
            if stats.step_key == step_key:
                return stats.end_time - stats.start_time
    raise SystemExit(f"no step {step_key} in run {run.run_id}")


def _pages_alone(content: Path | str, warehouse: Path) -> dict:
    """The site rebuilt by `build_site` in a fresh process: its figures and what it wrote."""
    output = subprocess.run(
        [sys.executable, "-c", _PAGES_ALONE, str(warehouse), str(content)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- the pages in the browser ---------------------------------------------------------------


def _chosen_pages(pages: list[dict]) -> list[str]:
    """Every menu page, and the first DRILLS provider and topic drill-down pages."""
    names = [page["name"] for page in pages if page["in_menu"]]
    for prefix in ("provider-", "topic-"):
        drills = [p["name"] for p in pages if not p["in_menu"] and p["name"].startswith(prefix)]
        names += drills[:DRILLS]
    return names


def _open_pages(folder: Path, names: list[str], repeat: int) -> dict[str, dict]:
    """Each page opened `repeat` times, each in a fresh context of one Chromium."""
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for name in names:
                runs = [_open(browser, folder, name) for _ in range(repeat)]
                seconds = [run.pop("seconds") for run in runs]
                figures[name] = {
                    **runs[-1],
                    "seconds_median": statistics.median(seconds),
                    "seconds_runs": seconds,
                }
                print(
                    f"{name}: {figures[name]['page_bytes'] / 1024:,.0f} KiB,"
                    f" {', '.join(f'{s:.2f}' for s in seconds)} s",
                    flush=True,
                )
        finally:
            browser.close()
    return figures


def _recorder(into: list):
    """A Playwright event handler that keeps each event in `into` (a bound method won't do)."""

    def record(event) -> None:
        into.append(event)

    return record


def _served_first_page(folder: Path, repeat: int) -> dict:
    """index.html through `newsdw serve`'s server: bytes on the wire and seconds to draw."""
    import threading

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from dashboards.serve import make_server

    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    runs = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                for _ in range(repeat):
                    context = browser.new_context(viewport=VIEWPORT)
                    page = context.new_page()
                    responses: list = []
                    page.on("requestfinished", _recorder(responses))
                    started = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector("body[data-ready='true']", state="attached")
                    seconds = time.perf_counter() - started
                    wire = sum(
                        r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                        for r in responses
                    )
                    context.close()
                    runs.append({"seconds": seconds, "bytes": wire, "requests": len(responses)})
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    seconds = statistics.median(run["seconds"] for run in runs)
    wire = statistics.median(run["bytes"] for run in runs)
    print(f"index.html through newsdw serve: {wire / 1e6:.2f} MB on the wire, {seconds:.2f} s")
    return {
        "bytes_median": wire,
        "seconds_median": seconds,
        "runs": runs,
        "bytes_met": wire <= SERVED_BYTES_TARGET,
        "seconds_met": seconds <= SERVED_SECONDS_TARGET,
    }


def _open(browser, folder: Path, name: str) -> dict:
    """One visit: seconds to open and draw, and the files it requested, weighed."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        requested, failed, errors = [], [], []
        page.on("request", lambda request: requested.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        started = time.perf_counter()
        page.goto((folder / name).as_uri())
        body = page.wait_for_selector(_READY, state="attached", timeout=_READY_TIMEOUT_MS)
        seconds = time.perf_counter() - started
        state = body.get_attribute("data-ready")
    finally:
        context.close()
    if state != "true" or failed or errors:
        raise SystemExit(f"bench/dashboards.py: {name} did not draw: {state}, {failed}, {errors}")
    return {"seconds": seconds, **_weights(folder.resolve(), requested)}


def _weights(root: Path, urls: list[str]) -> dict:
    """The requested files' bytes, the page's own and plotly.js's; requests outside `root`."""
    loaded, outside = {}, []
    for url in urls:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path is None or not path.is_relative_to(root) or not path.is_file():
            outside.append(url)
        else:
            loaded[path.relative_to(root).as_posix()] = path.stat().st_size
    return {
        "page_bytes": sum(size for file, size in loaded.items() if file != PLOTLY),
        "plotly_bytes": loaded.get(PLOTLY, 0),
        "requests": len(urls),
        "outside_requests": len(outside),
        "outside_urls": outside,
        "loaded": loaded,
    }


# --- the report -----------------------------------------------------------------------------


def _report(args, warehouse, content, builds, sites, pages) -> dict:
    """Every figure, with medians and runs, and the targets met or missed."""
    site = sites[-1]
    report = {
        "config": {
            "warehouse": str(warehouse) if warehouse else None,
            "content": str(content),
            "repeat": args.repeat,
            **({} if warehouse else {"files": args.files, "profile": args.profile}),
            **({} if warehouse else {"seed": args.seed}),
        },
        "builds": None,
        "site": {
            "folder": site["folder"],
            "pages_alone_seconds": _median_runs([s["seconds"] for s in sites]),
            "render_seconds": _median_runs([s["render_seconds"] for s in sites]),
            "data_bytes": site["data_bytes"],
            "plotly_js_bytes": site["plotly_js"],
            "pages": len(site["pages"]),
            "html_bytes": {page["name"]: page["size"] for page in site["pages"]},
        },
        "pages": pages,
    }
    if builds:
        full = _median_runs(builds["full_seconds"])
        step = _median_runs(builds["dashboards_step_seconds"])
        report["builds"] = {
            "full_seconds": full,
            "dashboards_step_seconds": step,
            "step_share": step["median"] / full["median"],
            "step_share_runs": [s / b for s, b in zip(step["runs"], full["runs"], strict=True)],
            "pages_alone_share": report["site"]["pages_alone_seconds"]["median"] / full["median"],
        }
    heaviest = max(pages, key=lambda name: pages[name]["page_bytes"])
    slowest = max(pages, key=lambda name: pages[name]["seconds_median"])
    report["largest"] = {
        "page": heaviest,
        "page_bytes": pages[heaviest]["page_bytes"],
        "target_bytes": PAGE_TARGET,
        "met": pages[heaviest]["page_bytes"] < PAGE_TARGET,
    }
    report["slowest"] = {
        "page": slowest,
        "seconds_median": pages[slowest]["seconds_median"],
        "target_seconds": SECONDS_TARGET,
        "met": pages[slowest]["seconds_median"] < SECONDS_TARGET,
    }
    report["outside_requests"] = sum(page["outside_requests"] for page in pages.values())
    return report


def _median_runs(values: list[float]) -> dict:
    return {"median": statistics.median(values), "runs": values}


def _print(report: dict) -> None:
    builds, site = report["builds"], report["site"]
    if builds:
        print(f"\n{'measure':<44}{'median':>10}   runs")
        for label, figure in [
            ("full newsdw build, empty warehouse", builds["full_seconds"]),
            ("dashboards step inside that build", builds["dashboards_step_seconds"]),
            ("pages alone, fresh process with imports", site["pages_alone_seconds"]),
        ]:
            runs = ", ".join(f"{s:.2f}" for s in figure["runs"])
            print(f"{label:<44}{figure['median']:>8.2f} s   [{runs}]")
        share = builds["step_share"]
        print(f"\ndashboards step / full build:          {share:.1%}   (target <= 10%)")
        print(f"pages alone / full build:              {builds['pages_alone_share']:.1%}")
        runs = ", ".join(f"{share:.1%}" for share in builds["step_share_runs"])
        print(f"  run by run:                          {runs}")

    print(f"\n{'page (from file://, 1440x900)':<40}{'KiB w/o plotly.js':>18}{'files':>7}", end="")
    print(f"{'open+draw median':>18}   runs (s)")
    for name, page in report["pages"].items():
        runs = ", ".join(f"{s:.2f}" for s in page["seconds_runs"])
        print(
            f"{name:<40}{page['page_bytes'] / 1024:>18,.0f}{len(page['loaded']):>7}"
            f"{page['seconds_median']:>16.2f} s   [{runs}]"
        )
    largest, slowest = report["largest"], report["slowest"]
    print(
        f"\nheaviest page: {largest['page']}, {largest['page_bytes'] / 1e6:.2f} MB"
        f" without plotly.js (target < 2 MB): {'ok' if largest['met'] else 'MISSED'}"
    )
    print(
        f"slowest page: {slowest['page']}, {slowest['seconds_median']:.2f} s median to open and"
        f" draw (target < 3 s): {'ok' if slowest['met'] else 'MISSED'}"
    )
    print(f"shared {PLOTLY}: {site['plotly_js_bytes'] / 1024:,.0f} KiB, loaded by every page")
    print(f"requests outside the site folder: {report['outside_requests']}")
    served = report.get("served")
    if served:
        print(
            f"first page through newsdw serve: {served['bytes_median'] / 1e6:.2f} MB on the wire"
            f" (target <= 1.5 MB): {'ok' if served['bytes_met'] else 'MISSED'};"
            f" drawn in {served['seconds_median']:.2f} s median (target <= 2 s):"
            f" {'ok' if served['seconds_met'] else 'MISSED'}"
        )
    print(
        f"site: {site['pages']} pages, data scripts {site['data_bytes'] / 1024:,.0f} KiB in all;"
        f" written in {site['pages_alone_seconds']['median']:.2f} s (fresh process, imports"
        f" included; build_site {site['render_seconds']['median']:.2f} s)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
