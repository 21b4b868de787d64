"""The pages show what the marts hold: change the marts, rebuild the pages, see the change."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dashboards.data import provenance_of
from dashboards.site import build_site
from pipelines import warehouse as dw
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.resources import NewsdwPaths
from tests.conftest import article

from .conftest import PAGES


def _build(content: Path, root: Path) -> NewsdwPaths:
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    assets = [raw_files, warehouse_tables(), dashboards]
    assert dg.materialize(assets, resources={"paths": paths}).success
    return paths


def _tile(page, label: str) -> str:
    """The value of the headline tile labelled `label`."""
    for tile in page.locator(".tile").all():
        if tile.locator(".label").text_content() == label:
            return tile.locator(".value").inner_text()
    raise AssertionError(f"no tile {label!r}")


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
    before = visit(index).page
    assert _tile(before, "Articles") == "3"
    assert "Alpha" in before.locator("#top-providers .ytick text").all_text_contents()

    with dw.draft(paths.warehouse) as draft:
        draft.con.execute("update marts.dim_providers set provider_name = 'Renamed In Marts'")
        draft.con.execute(
            "insert into marts.fct_articles (article_id, canonical_url, provider_domain)"
            " values ('feedfacefeedface', 'https://gamma.net/x', 'gamma.net')"
        )
        draft.publish()
    build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content))

    after = visit(index).page
    assert _tile(after, "Articles") == "4"
    assert sorted(after.locator("#top-providers .ytick text").all_text_contents()) == [
        "Renamed In Marts (alpha.com)",
        "Renamed In Marts (beta.org)",
    ]
    leaderboard = visit((paths.warehouse / "dashboards" / "providers.html").as_uri()).page
    names = leaderboard.locator("#leaderboard tbody td:nth-child(1)").all_inner_texts()
    assert names == ["Renamed In Marts", "Renamed In Marts"]


def test_pages_of_an_empty_warehouse_render_cleanly(tmp_path: Path, visit) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "not-an-article.txt").write_text("no front matter\n")
    paths = _build(content, tmp_path)
    for name in PAGES:
        seen = visit((paths.warehouse / "dashboards" / f"{name}.html").as_uri())
        assert seen.console_errors == [] and seen.dialogs == []
        assert seen.page.locator("[data-rendered='true']").count() >= 1
    assert (
        "No dated articles yet"
        in visit((paths.warehouse / "dashboards" / "index.html").as_uri())
        .page.locator("#articles-by-band")
        .inner_text()
    )
