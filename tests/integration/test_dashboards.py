"""The site written from a warehouse: every page, one shared plotly.js, figures that are the
marts' numbers, limits that keep pages light, and empty warehouses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg
import pytest
from plotly.offline import get_plotlyjs

from dashboards import health, providers
from dashboards import site as site_module
from dashboards.data import QUERY_DIR, provenance_of, query_tables
from dashboards.site import build_site
from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.resources import NewsdwPaths
from pipelines.warehouse import connect_read_only
from tests.conftest import article

PAGES = ["index.html", "providers.html", "topics.html", "quality.html", "health.html"]
_FIGURE = re.compile(r'<script type="application/json" id="figure-([\w-]+)">(.*?)</script>', re.S)


def figures(html: str) -> dict[str, dict]:
    """The Plotly figures embedded in a page, by chart key."""
    return {key: json.loads(body) for key, body in _FIGURE.findall(html)}


def build(paths: NewsdwPaths):
    return build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content, "run-1"))


def materialise(content: Path, root: Path) -> NewsdwPaths:
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    assert dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths}).success
    return paths


def test_every_page_is_written_beside_one_plotly_js(generated_warehouse) -> None:
    site = build(generated_warehouse)
    assert [page.path.name for page in site.pages] == PAGES
    assert site.index == generated_warehouse.warehouse / "dashboards" / "index.html"
    assert site.plotly_js.read_text(encoding="utf-8") == get_plotlyjs()
    assert sorted(path.name for path in site.folder.rglob("*.js")) == ["plotly.min.js", "site.js"]
    for page in site.pages:
        html = page.path.read_text(encoding="utf-8")
        assert html.count('<script src="assets/plotly.min.js"></script>') == 1
        assert page.size < 2_000_000
        charts = figures(html)
        assert len(charts) == page.charts >= 1
        assert all(chart["data"] for chart in charts.values())
        assert all(f'href="{name}"' in html for name in PAGES)
        assert "run-1" in html.split("<footer>")[1]


def test_figures_are_the_marts_numbers(generated_warehouse) -> None:
    site = build(generated_warehouse)
    con = connect_read_only(generated_warehouse.warehouse)
    dated, leader = con.execute(
        "select (select count(*) from marts.fct_articles where published_month is not null),"
        " (select provider_name from marts.dim_providers order by articles desc limit 1)"
    ).fetchone()
    medians = [row[0] for row in con.execute(
        "select median_quality from marts.quality_monthly"
        " where median_quality is not null order by month"
    ).fetchall()]  # fmt: skip
    con.close()
    overview = figures((site.folder / "index.html").read_text(encoding="utf-8"))
    bars = overview["articles-by-band"]["data"]
    assert sum(sum(trace["y"]) for trace in bars) == dated
    assert overview["top-providers"]["data"][0]["y"][0] == leader
    quality = figures((site.folder / "quality.html").read_text(encoding="utf-8"))
    assert quality["quality-median"]["data"][2]["y"] == pytest.approx(medians)


def test_long_lists_are_cut_with_a_note(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(providers, "LEADERBOARD_ROWS", 30)
    monkeypatch.setattr(health, "QUARANTINE_ROWS", 20)
    content = tmp_path / "content"
    (content / "broken").mkdir(parents=True)
    for number in range(40):
        (content / f"{number}.txt").write_text(
            article(f"T{number}", f"https://p{number}.example.com/a", quality="50")
        )
    for number in range(25):
        (content / "broken" / f"{number}.txt").write_text("no front matter\n")
    site = build(materialise(content, tmp_path))
    html = {page.path.name: page.path.read_text(encoding="utf-8") for page in site.pages}
    leaderboard = html["providers.html"].split('id="leaderboard"')[1].split("</section>")[0]
    assert leaderboard.count("<tr>") == 1 + 30
    assert "The first 30 of 40 providers" in leaderboard
    quarantine = html["health.html"].split('id="quarantine-files"')[1].split("</section>")[0]
    assert quarantine.count("<tr>") == 1 + 20
    assert "The first 20 of 25 quarantined files" in quarantine


def test_a_warehouse_without_articles_gets_pages_that_say_so(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.txt").write_text("no front matter\n")
    site = build(materialise(content, tmp_path))
    overview = figures(site.index.read_text(encoding="utf-8"))
    notes = [note["text"] for note in overview["articles-by-band"]["layout"]["annotations"]]
    assert notes == ["No dated articles yet"]
    health_html = (site.folder / "health.html").read_text(encoding="utf-8")
    assert "broken.txt" in health_html and "no_front_matter" in health_html
    assert "Nothing to show." in health_html  # no duplicates


def test_every_named_query_is_used_and_reads_warehouse_tables() -> None:
    sources = "".join(path.read_text() for path in QUERY_DIR.parent.glob("*.py"))
    for path in QUERY_DIR.glob("*.sql"):
        assert f'"{path.stem}"' in sources, f"{path.name} is not used by any page"
    assert {table.split(".")[0] for table in query_tables()} == {"raw", "staging", "marts"}


def test_long_text_is_cut_on_the_page_not_in_the_warehouse(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    title, name = "T" * 10_000, "N" * 5_000
    for number in range(8):  # one article in eight files
        (content / f"{number}.txt").write_text(
            article(title, "https://long.example.com/a", provider=f"{{name: {name}}}")
        )
    paths = materialise(content, tmp_path)
    site = build(paths)
    health_html = (site.folder / "health.html").read_text(encoding="utf-8")
    duplicates = health_html.split('id="duplicates"')[1].split("</section>")[0]
    assert "T" * 299 + "…" in duplicates and "T" * 300 not in duplicates
    assert duplicates.count(".txt\n") + duplicates.count(".txt</td>") == 1 + 5
    assert "All 1 articles found in more than one file, most copied first, with up to 5" in (
        duplicates
    )
    top = figures(site.index.read_text(encoding="utf-8"))["top-providers"]["data"][0]["y"]
    assert top == ["N" * 59 + "…"]
    con = connect_read_only(paths.warehouse)
    assert con.execute("select length(title) from staging.stg_articles").fetchall() == [(10_000,)]
    con.close()


def _footers(paths: NewsdwPaths) -> set[str]:
    """The run each published page says it was built from."""
    folder = paths.warehouse / "dashboards"
    return {
        (folder / name).read_text(encoding="utf-8").split("<footer>")[1].split("run-")[1][0]
        for name in PAGES
    }


def test_a_build_killed_mid_site_leaves_the_old_site_whole(generated_warehouse, monkeypatch):
    paths = generated_warehouse
    build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content, "run-1"))
    assert _footers(paths) == {"1"}
    rendered = []

    def render_three_then_die(page, pages, provenance):
        if len(rendered) == 3:
            raise KeyboardInterrupt("killed")  # as a kill would stop it: nothing runs after
        rendered.append(page)
        return real_render(page, pages, provenance)

    real_render = site_module.render
    monkeypatch.setattr(site_module, "render", render_three_then_die)
    with pytest.raises(KeyboardInterrupt):
        build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content, "run-2"))
    assert _footers(paths) == {"1"}  # wholly the old site, not three new pages and two old

    monkeypatch.setattr(site_module, "render", real_render)
    site = build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content, "run-3"))
    assert _footers(paths) == {"3"}
    assert site.folder == paths.warehouse / "dashboards"
    assert (site.folder / "assets" / "plotly.min.js").read_text(encoding="utf-8") == get_plotlyjs()
    # The killed build's half-written folder is gone; only the published site and the one
    # before it (which a reader may still be loading) remain.
    versions = sorted(path.name for path in (paths.warehouse / ".dashboards").iterdir())
    assert len(versions) == 2
    assert site.index.resolve().parent.name == versions[-1]
    assert [path.name for path in paths.warehouse.glob(".dashboards.*")] == []


def test_a_site_of_the_old_layout_is_replaced_whole(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text(article("A", "https://a.example.com/a"))
    paths = materialise(content, tmp_path)
    old = paths.warehouse / "dashboards"
    (old / "assets").mkdir(parents=True)
    (old / "index.html").write_text("old")
    (old / "stale.html").write_text("old")
    site = build(paths)
    assert "run-1" in (old / "index.html").read_text(encoding="utf-8")
    assert not (old / "stale.html").exists()
    assert site.index == old / "index.html"
