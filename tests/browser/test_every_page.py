"""Every page of three corpora at a laptop's and a phone's size: it draws offline with no error
and no dialog, nothing spills out of the viewport, and a screenshot is kept to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import ARTIFACTS, PAGES, VIEWPORTS
from .reading import overflowing

WAREHOUSES = {
    "generated": "generated_site_warehouse",
    "sparse": "sparse_warehouse",
    "rampup": "rampup_warehouse",
}


def page_names(site: Path, every: bool = False) -> list[str]:
    """The menu pages and the first drill-down page of a provider and of a topic (`every`:
    all the drill-down pages)."""
    drills = []
    for kind in ("provider", "topic"):
        pages = sorted(path.stem for path in site.glob(f"{kind}-*.html"))
        drills += pages if every else pages[:1]
    return PAGES + drills


def outside(site: Path, urls: list[str]) -> list[str]:
    """The requested URLs that are not files inside the site's folder."""
    root = site.resolve()
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme != "file" or not Path(unquote(parts.path)).resolve().is_relative_to(root):
            out.append(url)
    return out


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("corpus", list(WAREHOUSES))
def test_every_page_draws_offline_and_fits_the_screen(corpus, viewport, request, visit) -> None:
    site = request.getfixturevalue(WAREHOUSES[corpus]) / "dashboards"
    ARTIFACTS.mkdir(exist_ok=True)
    # The sparse corpus has few providers and topics: every drill-down page of it is drawn.
    for name in page_names(site, every=corpus == "sparse"):
        seen = visit((site / f"{name}.html").as_uri(), viewport)
        page = seen.page
        assert seen.console_errors == [], name
        assert seen.dialogs == [], name
        assert outside(site, seen.requests) == [], name
        assert any("data/base.js" in url for url in seen.requests)
        charts = page.locator("section .chart")
        assert page.locator("section .chart[data-rendered='true']").count() == charts.count()
        for index in range(charts.count()):
            assert charts.nth(index).locator("svg.main-svg").count() >= 1, name
        assert overflowing(page) == [], f"{name} at {viewport}"
        assert page.locator("nav a").count() == len(PAGES)
        assert "data built" in page.locator("footer").inner_text().lower()
        page.screenshot(path=str(ARTIFACTS / f"{corpus}-{name}-{viewport}.png"), full_page=True)


def test_names_and_numbers_do_not_break_mid_word_on_a_phone(generated_site_warehouse, visit):
    site = generated_site_warehouse / "dashboards"
    page = visit((site / "providers.html").as_uri(), "phone").page
    # Every cell keeps its words whole ("microsof/t.com" was a domain cut in two): a cell's
    # text wraps only at spaces, and a table too wide for the screen scrolls in its box.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('td, h1, h2, .tile .value, .legend-item')]
            .filter((el) => {
                const style = getComputedStyle(el);
                return style.wordBreak !== 'normal' || style.overflowWrap !== 'normal';
            }).length"""
    )
    assert broken == 0
    scroll = page.locator("#leaderboard .table-scroll")
    assert scroll.evaluate("(el) => getComputedStyle(el).overflowX") == "auto"
    # Numbers never wrap: "4.3 / 2" was a lift split over two lines.
    wrapping = page.evaluate(
        """() => [...document.querySelectorAll('td.number, .tile .value')]
            .filter((el) => getComputedStyle(el).whiteSpace !== 'nowrap').length"""
    )
    assert wrapping == 0
    # The legends start folded on a phone, and open on a tap.
    legend = page.locator("#share-of-voice details.legend")
    assert legend.get_attribute("open") is None
    legend.locator("summary").click()
    assert legend.get_attribute("open") is not None
