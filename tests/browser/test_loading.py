"""Until its data has arrived, every section says it is loading, at the height it will take;
once drawn, the notice is gone."""

from __future__ import annotations

from .conftest import VIEWPORTS

LOADING = """() => [...document.querySelectorAll('.chart, .table-scroll, .tiles')].map(box => ({
    said: getComputedStyle(box, '::before').content,
    height: box.getBoundingClientRect().height,
    chart: box.classList.contains('chart')}))"""


def test_sections_say_loading_until_drawn(browser, served) -> None:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    held = []

    def hold(route) -> None:
        held.append(route)

    # The page's data is held back: the page is as a reader on a slow link first sees it.
    page.route("**/data/base.js", hold)
    with page.expect_request("**/data/base.js"):
        page.goto(f"{served}/index.html", wait_until="domcontentloaded")
    boxes = page.evaluate(LOADING)
    assert boxes and all(box["said"] == '"Loading…"' for box in boxes), boxes
    assert all(box["height"] >= 300 for box in boxes if box["chart"]), boxes
    assert page.locator("main").get_attribute("aria-busy") == "true"
    for _ in range(50):
        if held:
            break
        page.evaluate("() => 1")  # lets Playwright hand the held request to `hold`
    assert held, "the data request was never routed"
    held[0].continue_()
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
    drawn = page.evaluate(LOADING)
    assert all(box["said"] in ("none", "normal") for box in drawn), drawn
    assert page.locator("main").get_attribute("aria-busy") is None
    context.close()
