"""bench/dashboards.py on a tiny corpus: it builds, opens every page and reports every figure.

No timing is asserted (the machine is shared and noisy): only that each figure exists and is
a positive, finite number, that every menu page was opened and drawn, and that no page
requested anything outside the site's folder.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MENU = ["index.html", "providers.html", "topics.html", "quality.html", "stories.html"]
MENU += ["health.html"]


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


def _bench(*options: str) -> tuple[str, dict]:
    figures_path = Path(options[options.index("--json") + 1])
    command = [sys.executable, str(ROOT / "bench" / "dashboards.py"), *options]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return result.stdout, json.loads(figures_path.read_text())


def _check_pages(report: dict) -> None:
    pages, site = report["pages"], report["site"]
    drills = [name for name in pages if name not in MENU]
    assert list(pages)[: len(MENU)] == MENU
    assert [name.split("-")[0] for name in drills] == ["provider"] * 2 + ["topic"] * 2
    for name, page in pages.items():
        assert len(page["seconds_runs"]) == 1, name
        assert all(_positive(s) for s in [page["seconds_median"], *page["seconds_runs"]]), name
        assert page["outside_requests"] == 0 and page["outside_urls"] == [], name
        # The page itself, the shared assets and the data every page draws from, weighed
        # as they are on disk.
        assert {name, "assets/site.js", "assets/site.css", "data/base.js"} <= set(page["loaded"])
        assert page["loaded"][name] == site["html_bytes"][name]
        assert page["plotly_bytes"] == site["plotly_js_bytes"] > 0
        assert page["page_bytes"] == sum(page["loaded"].values()) - page["plotly_bytes"]
    assert report["outside_requests"] == 0
    # Through `newsdw serve`, gzipped: fewer bytes on the wire than the index page's files.
    served = report["served"]
    index = pages["index.html"]
    assert len(served["runs"]) == 1 and _positive(served["seconds_median"])
    assert 0 < served["bytes_median"] < sum(index["loaded"].values())
    assert served["bytes_met"] is True
    assert report["largest"]["page_bytes"] == max(p["page_bytes"] for p in pages.values())
    assert report["largest"]["met"] is True  # a tiny corpus's pages are far under 2 MB
    assert report["slowest"]["page"] in pages
    assert _positive(report["slowest"]["seconds_median"])
    assert _positive(site["data_bytes"]) and site["pages"] > len(pages)
    for figure in (site["pages_alone_seconds"], site["render_seconds"]):
        assert all(_positive(s) for s in [figure["median"], *figure["runs"]])


def test_bench_dashboards_builds_opens_every_page_and_reports(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    stdout, report = _bench(
        *("--files", "300", "--repeat", "1", "--workdir", str(workdir)),
        *("--json", str(tmp_path / "built.json")),
    )
    builds = report["builds"]
    for key in ("full_seconds", "dashboards_step_seconds"):
        assert all(_positive(s) for s in [builds[key]["median"], *builds[key]["runs"]]), key
    assert 0 < builds["step_share"] < 1 and builds["pages_alone_share"] > 0
    assert report["config"]["files"] == 300
    _check_pages(report)
    for line in ("full newsdw build, empty warehouse", "dashboards step / full build:"):
        assert line in stdout
    for name in report["pages"]:
        assert f"\n{name} " in stdout
    assert "requests outside the site folder: 0" in stdout
    assert "first page through newsdw serve: " in stdout

    # The same warehouse measured as it is: no corpus made, no build, its pages rebuilt once.
    warehouse = workdir / "warehouse-dashboards"
    stdout, again = _bench(
        *("--warehouse", str(warehouse), "--repeat", "1", "--workdir", str(workdir)),
        *("--json", str(tmp_path / "existing.json")),
    )
    assert again["builds"] is None and "full newsdw build" not in stdout
    assert again["config"]["warehouse"] == str(warehouse)
    assert len(again["site"]["pages_alone_seconds"]["runs"]) == 1
    assert Path(again["site"]["folder"]) == warehouse / "dashboards"
    _check_pages(again)
    assert list(again["pages"]) == list(report["pages"])
