"""Every page in headless Chromium, from disk and over HTTP: it renders, stays offline, runs no
content script, and shows content text as text."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import ARTIFACTS, BAD_FILE, PAGES, PROVIDER, SCRIPT_TITLE, TOPIC
from .reading import set_range


def _url(scheme: str, site, served_url: str | None, name: str) -> str:
    return (site / f"{name}.html").as_uri() if scheme == "file" else f"{served_url}/{name}.html"


@pytest.fixture(params=["file", "http"])
def scheme(request) -> str:
    return request.param


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline_and_runs_no_content_script(
    name, scheme, hostile_site, served, visit
) -> None:
    url = _url(scheme, hostile_site, served, name)
    seen = visit(url)
    page = seen.page
    sections = page.locator("main section.card")
    assert sections.count() >= 2
    charts = page.locator("section .chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("data-rendered") == "true"
        assert chart.locator("svg.main-svg").count() >= 1
        assert chart.bounding_box()["height"] > 200
    assert seen.console_errors == []
    assert seen.dialogs == []
    local = {"file"} if scheme == "file" else {urlsplit(served).netloc}
    leaving = [
        request
        for request in seen.requests
        if (urlsplit(request).scheme if scheme == "file" else urlsplit(request).netloc) not in local
    ]
    assert leaving == []
    assert page.locator("nav a").count() == len(PAGES)
    assert "data built" in page.locator("footer").inner_text().lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}.png"), full_page=True)


def test_content_text_shows_as_written(hostile_site, visit) -> None:
    health = visit((hostile_site / "health.html").as_uri())
    set_range(health, "all")
    assert health.page.get_by_role("cell", name=SCRIPT_TITLE, exact=True).count() == 1
    assert health.page.get_by_role("cell", name=BAD_FILE, exact=True).count() == 1
    seen = visit((hostile_site / "providers.html").as_uri())
    set_range(seen, "all")
    providers = seen.page
    assert providers.get_by_role("cell", name=PROVIDER, exact=True).count() == 1
    # Plotly draws labels as SVG text: the text must be the name as written.
    assert PROVIDER in providers.locator("#quality-by-provider .ytick text").all_text_contents()
    assert PROVIDER in providers.locator("#share-of-voice .legend-item").all_text_contents()
    options = providers.locator("[data-filter='provider'] option").all_text_contents()
    assert any(option.startswith(PROVIDER + " (") for option in options)
    seen = visit((hostile_site / "topics.html").as_uri())
    set_range(seen, "all")
    topics = seen.page
    assert TOPIC in topics.locator("#topic-articles .legend-item").all_text_contents()
    assert TOPIC in topics.locator("#provider-topic .xtick text").all_text_contents()
    assert PROVIDER in topics.locator("#provider-topic .ytick text").all_text_contents()
    # No element came from content markup.
    for page in (health.page, providers, topics):
        assert page.locator("main img, main svg[onload]").count() == 0
        assert page.locator("main script:not([type='application/json'])").count() == 0


def test_leaderboard_sorts_on_a_click(hostile_site, visit) -> None:
    seen = visit((hostile_site / "providers.html").as_uri())
    seen.page.locator("[data-all-providers]").check()
    set_range(seen, "all")
    page = seen.page
    table = page.locator("#leaderboard table")
    assert table.locator("tbody tr").count() >= 3

    def column(index: int) -> list[str]:
        return table.locator(f"tbody tr td:nth-child({index})").all_inner_texts()

    articles = [int(text.replace(",", "")) for text in column(3)]
    assert articles == sorted(articles, reverse=True)
    table.get_by_role("button", name="Articles").click()
    ascending = [int(text.replace(",", "")) for text in column(3)]
    assert ascending == sorted(articles)
    table.get_by_role("button", name="Articles").click()
    assert [int(text.replace(",", "")) for text in column(3)] == sorted(articles, reverse=True)
    table.get_by_role("button", name="Domain").click()
    assert column(2) == sorted(column(2))
