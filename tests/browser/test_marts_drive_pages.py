"""The pages show what the marts hold: change the marts, rebuild the pages, see the change."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dashboards.data import provenance_of
from dashboards.site import build_site
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.resources import NewsdwPaths
from pipelines.store import lake
from tests.conftest import article

from .conftest import PAGES
from .reading import set_range, shown_rows


def _build(content: Path, root: Path) -> NewsdwPaths:
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    assets = [raw_files, warehouse_tables(), dashboards]
    assert dg.materialize(assets, resources={"paths": paths}).success
    return paths


def test_a_change_in_the_marts_shows_on_the_pages(tmp_path: Path, visit) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for number, (domain, name) in enumerate(
        [("alpha.com", "Alpha"), ("alpha.com", "Alpha"), ("beta.org", "Beta")]
    ):
        (content / f"{number}.txt").write_text(
            article(
                f"Story {number}",
                f"https://{domain}/{number}",
                publishedDateTime=f"2024-05-0{number + 1}",
                quality=str(30 + number),
                provider=f"{{name: {name}, domain: {domain}}}",
            )
        )
    paths = _build(content, tmp_path)
    index = (paths.warehouse / "dashboards" / "index.html").as_uri()
    before = visit(index)
    set_range(before, "all")
    assert shown_rows(before, "articles-by-band")[1][:2] == ["2024-05", "3"]
    assert "Alpha" in before.page.locator("#top-providers .ytick text").all_text_contents()

    with lake.writing(paths.warehouse) as con:
        con.execute("update marts.dim_providers set provider_name = 'Renamed In Marts'")
        # The pages count from the cube: one more unrated article of gamma.net in May 2024.
        con.execute(
            "insert into marts.agg_provider_months values (date '2024-05-01', 'gamma.net',"
            " 1, 0, 0, 0, 0, 0, 0, 1)"
        )
        con.execute(
            "insert into marts.dim_providers (provider_domain, articles) values ('gamma.net', 1)"
        )
    build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content))

    after = visit(index)
    set_range(after, "all")
    assert shown_rows(after, "articles-by-band")[1][:2] == ["2024-05", "4"]
    labels = after.page.locator("#top-providers .ytick text").all_text_contents()
    assert "Renamed In Marts (alpha.com)" in labels and "gamma.net" in labels
    leaderboard = visit((paths.warehouse / "dashboards" / "providers.html").as_uri())
    leaderboard.page.locator("[data-all-providers]").check()
    leaderboard.wait()
    set_range(leaderboard, "all")
    names = leaderboard.page.locator("#leaderboard tbody td:nth-child(1)").all_inner_texts()
    assert names[:2] == ["Renamed In Marts (alpha.com)", "Renamed In Marts (beta.org)"]


def test_pages_of_an_empty_warehouse_render_cleanly(tmp_path: Path, visit) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "not-an-article.txt").write_text("no front matter\n")
    paths = _build(content, tmp_path)
    for name in PAGES:
        seen = visit((paths.warehouse / "dashboards" / f"{name}.html").as_uri())
        assert seen.console_errors == [] and seen.dialogs == []
        assert seen.page.locator("body[data-ready='true']").count() == 1
    overview = visit((paths.warehouse / "dashboards" / "index.html").as_uri())
    assert shown_rows(overview, "articles-by-band") == [
        ["month", "articles", "low", "medium", "high", "top", "unrated"]
    ]
    assert "No articles" in overview.page.locator("#top-providers").inner_text()
