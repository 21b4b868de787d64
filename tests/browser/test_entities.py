"""Providers and topics are told apart the same way everywhere: one colour (and dash) per
entity on every page and under every filter, and a syndicator named for what it is."""

from __future__ import annotations

from collections import defaultdict

from .reading import choose, set_range
from .test_accessibility import _contrast

_LINES = """() => [...document.querySelectorAll('section .chart')].filter((el) => el.data)
    .map((el) => el.data.filter((t) => t.type === 'scatter' && t.line && t.name)
        .map((t) => [t.name, t.line.color, (t.line.dash || 'solid') + ' '
            + [].concat(t.marker.symbol)[0].replace('-open', '')]))"""
_CHANGES = (
    lambda seen: None,
    lambda seen: set_range(seen, "12"),
    lambda seen: choose(seen, "topic", [3]),
    lambda seen: choose(seen, "provider", [2, 5, 9]),
)


def test_each_provider_and_topic_keeps_one_colour_everywhere(
    generated_site_warehouse, visit
) -> None:
    styles = defaultdict(set)
    lines = 0
    for name in ("index", "providers", "topics"):
        seen = visit((generated_site_warehouse / "dashboards" / f"{name}.html").as_uri())
        for change in _CHANGES:
            change(seen)
            for chart in seen.page.evaluate(_LINES):
                # Within a chart, no two lines look alike.
                assert len({(colour, dash) for _, colour, dash in chart}) == len(chart), chart
                for label, colour, dash in chart:
                    styles[label].add((colour, dash))
                    lines += 1
                    assert _contrast(colour) >= 3, (label, colour)
    assert lines > 50 and len(styles) > 10
    assert {label: style for label, style in styles.items() if len(style) > 1} == {}


def test_a_syndicator_shows_its_domain_and_outlet_count(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "providers.html").as_uri())
    options = seen.page.locator("[data-filter='provider'] option").all_inner_texts()
    msn = [text for text in options if text.startswith("msn.com")]
    assert len(msn) == 1 and " outlets)" in msn[0]
    assert not any(text.startswith("Engadget on MSN.com") for text in options)
