"""The pages on a phone (390 × 844): a table is a stack of cards led by its key number, with
nothing to scroll sideways; every tap target is at least 44 × 44 px; the inputs fold into a
drawer; the heatmap's labels stay apart."""

from __future__ import annotations

import pytest

from .conftest import PAGES, VIEWPORTS
from .reading import set_range
from .test_every_page import page_names

PHONE = VIEWPORTS["phone"]
TAP = 44  # px: WCAG 2.5.5's target size
ROWS = 3  # the first rows of each table are read

# The rampup corpus (real data as first seen) and the generated one (both profiles).
WAREHOUSES = {"rampup": "rampup_warehouse", "generated": "generated_site_warehouse"}

# Each table's first rows: where the key cell is once scrolled to, vertically only, and how
# it sits in its row's card. (A card may still be wider than the screen where a cell holds a
# word longer than it, a URL: words are never cut, and such a box scrolls; the key is left.)
KEY_CELLS = """(rows) => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const table of document.querySelectorAll('.table-scroll table')) {
        const box = table.closest('.table-scroll');
        const section = table.closest('section').id;
        // An empty table's one row says so, with no key (test_an_empty_table_says_so_in_a_card).
        for (const tr of [...table.tBodies[0].rows].filter((r) => !r.querySelector('td.empty'))
                .slice(0, rows)) {
            const key = tr.querySelector('td.key');
            if (!key) { out.push({section, missing: true}); continue; }
            key.scrollIntoView({block: 'center', inline: 'nearest'});
            const r = key.getBoundingClientRect();
            const hit = document.elementFromPoint(
                Math.min(Math.max(r.left + 4, 0), width - 1), r.top + r.height / 2);
            const others = [...tr.cells].filter((td) => td !== key);
            const sizeOf = (td) => parseFloat(getComputedStyle(td).fontSize);
            const named = (td) => !!td.dataset.label &&
                getComputedStyle(td, '::before').content.includes(JSON.stringify(td.dataset.label));
            out.push({
                section, width, left: r.left, right: r.right,
                // Reaching it took no sideways scroll, of the table's box or of the page.
                scrolled: box.scrollLeft + document.scrollingElement.scrollLeft,
                seen: !!hit && key.contains(hit),
                leads: others.every((td) => td.getBoundingClientRect().top >= r.bottom - 1),
                size: sizeOf(key),
                otherSize: Math.max(0, ...others.map(sizeOf)),
                unlabelled: [...tr.cells].filter((td) => !named(td)).map((td) => td.textContent),
            });
        }
    }
    return out;
}"""

# Every control a thumb presses, as [what, width, height]: links (but a link inside a
# paragraph of prose, WCAG 2.5.8's inline exception; the pages have none so far), buttons,
# fields, summaries, legend items, and a checkbox by the label that holds it. A button whose
# label spills out of it (squeezed by a long headline beside it) is one too.
SMALL_TARGETS = """(tap) => {
    const targets = new Set();
    const selector = 'a[href], button, select, input, summary, .legend-item';
    for (const el of document.querySelectorAll(selector)) {
        if (el.closest('.js-plotly-plot') || el.closest('p')) continue;
        const label = el.matches('input[type=checkbox]') ? el.closest('label') : null;
        targets.add(label || el);
    }
    const spills = (el) => {
        if (el.tagName !== 'BUTTON') return false;
        const style = getComputedStyle(el), text = document.createRange();
        text.selectNodeContents(el);
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        const room = el.clientWidth - padding;
        return text.getBoundingClientRect().width > room + 1;
    };
    return [...targets].filter((el) => el.checkVisibility()).map((el) => {
        const r = el.getBoundingClientRect();
        const name = (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 30);
        return [el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + name,
                Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10, spills(el)];
    }).filter(([, w, h, spilt]) => w < tap || h < tap || spilt);
}"""

# The heatmap's tick labels as drawn: each label's own box (getBBox, in its rotated frame)
# carried to the screen, as four corners.
TICK_LABELS = """() => Object.fromEntries(['x', 'y'].map((axis) => [axis,
    [...document.querySelectorAll('#provider-topic .' + axis + 'tick text')].map((t) => {
        const b = t.getBBox(), m = t.getScreenCTM();
        const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                         [b.x, b.y + b.height]];
        const screen = ([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
        return {text: t.textContent, corners: corners.map(screen)};
    })]))"""


def _open_folded(page) -> None:
    """Open the filter drawer and every legend, so that their controls are on screen."""
    for summary in page.locator("details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()


@pytest.mark.parametrize("corpus", list(WAREHOUSES))
def test_tables_are_cards_led_by_their_key_number(corpus, request, visit) -> None:
    site = request.getfixturevalue(WAREHOUSES[corpus]) / "dashboards"
    read = 0
    for name in PAGES:
        page = visit((site / f"{name}.html").as_uri(), "phone").page
        for cell in page.evaluate(KEY_CELLS, ROWS):
            where = f"{name} #{cell['section']}"
            assert not cell.get("missing"), f"{where}: a row without a key cell"
            read += 1
            assert cell["left"] >= 0 and cell["right"] <= cell["width"], (where, cell)
            assert cell["scrolled"] == 0, (where, cell)
            assert cell["seen"], (where, cell)
            assert cell["leads"], f"{where}: the key number is not the first line of its card"
            assert cell["size"] >= 1.4 * cell["otherSize"], (where, cell)
            assert cell["unlabelled"] == [], f"{where}: cells without their column's name"
    assert read >= 10, "too few table rows to tell"


def test_an_empty_table_says_so_in_a_card(rampup_warehouse, visit) -> None:
    # The rampup corpus has no quarantined file: its tables hold the one line of nothing.
    page = visit((rampup_warehouse / "dashboards" / "health.html").as_uri(), "phone").page
    empty = page.locator("td.empty").first
    assert empty.inner_text() == "Nothing to show for these inputs."
    shown = empty.evaluate(
        """(td) => ({label: getComputedStyle(td, '::before').content,
                     width: td.getBoundingClientRect().width,
                     card: td.closest('.table-scroll').getBoundingClientRect().width})"""
    )
    assert shown["label"] in ("none", "normal"), shown  # no column name before the sentence
    assert shown["width"] >= 0.8 * shown["card"], shown  # one line across the card


@pytest.mark.parametrize("corpus", list(WAREHOUSES))
def test_every_tap_target_is_44_px_square(corpus, request, visit) -> None:
    site = request.getfixturevalue(WAREHOUSES[corpus]) / "dashboards"
    offenders = {}
    for name in page_names(site):
        page = visit((site / f"{name}.html").as_uri(), "phone").page
        _open_folded(page)
        assert page.locator("[data-range]").is_visible(), name
        small = page.evaluate(SMALL_TARGETS, TAP)
        if small:
            offenders[name] = small
    assert offenders == {}, f"tap targets under {TAP} × {TAP} px: {offenders}"


def test_the_filters_fold_into_a_drawer_on_a_phone(rampup_warehouse, visit) -> None:
    site = rampup_warehouse / "dashboards"
    seen = visit((site / "providers.html").as_uri(), "phone")
    page = seen.page
    drawer = page.locator("details.drawer")
    summary = drawer.locator("summary")
    assert drawer.get_attribute("open") is None
    assert page.locator("[data-range]").is_hidden()
    assert page.locator("[data-filter='provider']").is_hidden()
    # The closed drawer names the choices: the default range by its months, no filter.
    text = summary.inner_text()
    assert "Filters" in text and "providers: all" in text and "topics: all" in text, text
    months = page.locator("[data-range] option").first.text_content()
    assert months.split("(")[1].rstrip(")") in text, (months, text)
    summary.click()
    assert drawer.get_attribute("open") is not None
    assert page.locator("[data-range]").is_visible()
    assert page.locator("[data-range-note]").is_visible()
    assert page.locator("#pick-provider").is_visible()
    set_range(seen, "12")
    assert "Last 12 complete months" in summary.inner_text()
    # The chosen providers are named too (a drill-down page picks its own).
    drill = sorted(site.glob("provider-*.html"))[0]
    other = visit(drill.as_uri(), "phone").page
    chosen = other.locator("output[data-chosen='provider']").text_content()
    assert chosen != "all"
    assert f"providers: {chosen}" in other.locator("details.drawer summary").inner_text()


def test_the_filters_are_open_on_a_laptop(rampup_warehouse, visit) -> None:
    page = visit((rampup_warehouse / "dashboards" / "providers.html").as_uri()).page
    assert page.locator("details.drawer").get_attribute("open") is not None
    assert page.locator("details.drawer > summary").is_hidden()
    for control in ("[data-range]", "#pick-provider", "#pick-topic", "[data-all-providers]"):
        assert page.locator(control).is_visible(), control


def _overlap(a: list[list[float]], b: list[list[float]]) -> float:
    """How deep two convex outlines overlap, in px (0 or less: apart), by separating axes."""
    depth = float("inf")
    for outline in (a, b):
        for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=True):
            length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
            nx, ny = (y2 - y1) / length, (x1 - x2) / length
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
    return depth


HEATMAP_SITES = {
    "rampup": "rampup_warehouse",
    "generated": "generated_site_warehouse",
    # A provider's name cut at 26 characters leaves 5 columns of about 17 px: at -40° their
    # labels touched, so a phone draws them upright.
    "hostile": "hostile_site",
}


@pytest.mark.parametrize("site_fixture", list(HEATMAP_SITES.values()), ids=list(HEATMAP_SITES))
def test_the_heatmap_labels_do_not_overlap_on_a_phone(site_fixture, request, visit) -> None:
    folder = request.getfixturevalue(site_fixture)
    site = folder if folder.name == "dashboards" else folder / "dashboards"
    page = visit((site / "topics.html").as_uri(), "phone").page
    labels = page.evaluate(TICK_LABELS)
    for axis, ticks in labels.items():
        assert len(ticks) >= 3, axis
        touching = [
            (a["text"], b["text"], round(_overlap(a["corners"], b["corners"]), 1))
            for i, a in enumerate(ticks)
            for b in ticks[i + 1 :]
            if _overlap(a["corners"], b["corners"]) > 0
        ]
        assert touching == [], f"{axis} labels overlap: {touching}"
