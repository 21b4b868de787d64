"""Every chart speaks to a screen reader, every control shows the keyboard's focus, and every
mark stands out from the card."""

from __future__ import annotations

import re

from .conftest import PAGES
from .reading import chart_traces


def _contrast(colour: str) -> float:
    """WCAG contrast of an sRGB hex colour against white."""

    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def test_every_chart_has_a_one_sentence_label_linked_to_its_csv(
    generated_site_warehouse, visit
) -> None:
    charts = 0
    for name in PAGES:
        seen = visit((generated_site_warehouse / "dashboards" / f"{name}.html").as_uri())
        labelled = seen.page.evaluate(
            """() => [...document.querySelectorAll('section .chart')].map((el) => ({
                role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
                title: el.closest('section').querySelector('h2').textContent,
                csv: document.getElementById(el.getAttribute('aria-describedby'))
                    ?.dataset.download,
                section: el.closest('section').id}))"""
        )
        for chart in labelled:
            charts += 1
            assert chart["role"] == "img", chart
            assert chart["label"].startswith(chart["title"] + ": "), chart
            assert "loading" not in chart["label"], chart
            assert re.search(r"\d", chart["label"]), chart
            assert chart["csv"] == chart["section"], chart
    assert charts >= 10


def test_every_quality_band_stands_out_from_the_card(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "quality.html").as_uri())
    colours = {
        trace["marker"]["color"]
        for traces in chart_traces(seen.page).values()
        for trace in traces
        if trace["type"] == "bar" and isinstance(trace["marker"].get("color"), str)
    }
    assert len(colours) >= 5
    for colour in colours:
        assert _contrast(colour) >= 3, colour


def test_the_keyboard_focus_is_always_visible(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "providers.html").as_uri())
    focused = []
    for _ in range(60):
        seen.page.keyboard.press("Tab")
        focused.append(
            seen.page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const style = getComputedStyle(el);
                    return {tag: el.tagName, header: !!el.closest('th'), cls: el.className,
                            outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
                }"""
            )
        )
    assert any(stop["header"] for stop in focused), "no sortable header reached"
    for stop in focused:
        if stop["tag"] == "BODY":
            continue
        assert stop["outline"] != "none" and stop["width"] >= 2, stop
