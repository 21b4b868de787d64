"""Each chart's title states its finding, computed from the rows of its own CSV, with the
neutral description below; both follow the filters."""

from __future__ import annotations

import calendar
import re

from .reading import choose, shown_rows


def _month(label: str) -> str:
    year, month = label.split("-")
    return f"{calendar.month_abbr[int(month)]} {year}"


def _card(page, key: str) -> tuple[str, str]:
    card = page.locator(f"#{key}")
    return card.locator("h2").text_content(), card.locator(".description").text_content()


def _latest_complete(rows: list[list[str]], page) -> list[str]:
    # The latest month with articles that the page's data marks complete.
    complete = set(
        page.evaluate("() => BASE.months.month.filter((m, i) => BASE.months.is_complete[i])")
    )
    held = [row for row in rows if int(row[1]) > 0 and row[0] in complete]
    return held[-1]


def test_the_band_mix_and_the_leaders_say_what_their_rows_hold(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "index.html").as_uri())
    page = seen.page
    bands = shown_rows(seen, "articles-by-band")
    assert bands[0][:6] == ["month", "articles", "low", "medium", "high", "top"]
    month = _latest_complete(bands[1:], page)
    good = round(100 * (int(month[4]) + int(month[5])) / int(month[1]))
    title, description = _card(page, "articles-by-band")
    stated = f"{_month(month[0])}: {int(month[1]):,} articles, {good}% of them rated high or top"
    assert title == stated
    assert description == "Articles per month by quality band"

    # The leader's share is of every article in the range: the band chart's total.
    leaders = shown_rows(seen, "top-providers")
    total = sum(int(row[1]) for row in bands[1:])
    first = leaders[1]
    label = page.evaluate("(d) => providers.label[providerIndex[d]]", first[0])
    title, _ = _card(page, "top-providers")
    share = round(100 * int(first[2]) / total)
    assert title == f"{label} leads with {int(first[2]):,} of {total:,} articles ({share}%)"
    assert seen.console_errors == []


def test_the_share_of_voice_names_the_leader_of_the_latest_month(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "providers.html").as_uri())
    key = "share-of-voice"
    rows = shown_rows(seen, key)[1:]
    complete = set(
        seen.page.evaluate("() => BASE.months.month.filter((m, i) => BASE.months.is_complete[i])")
    )
    month = max(row[0] for row in rows if row[0] in complete and int(row[3]) > 0)
    lead = max((row for row in rows if row[0] == month), key=lambda row: int(row[2]))
    label = seen.page.evaluate("(d) => providers.label[providerIndex[d]]", lead[1])
    share = round(100 * int(lead[2]) / int(lead[3]))
    title, _ = _card(seen.page, key)
    assert title == f"{_month(month)}: {int(lead[3]):,} articles; {label} leads with {share}%"


def test_the_quality_headline_skips_thin_months(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "quality.html").as_uri())
    title, description = _card(seen.page, "quality-average")
    found = re.fullmatch(r"Average quality ([\d.]+) in (\w+ \d{4})(.*)", title)
    assert found, title
    rows = {_month(row[0]): row for row in shown_rows(seen, "quality-average")[1:]}
    row = rows[found.group(2)]
    # The month stated holds enough rated articles to be read as a trend, not a stray dot.
    assert int(row[2]) >= 20
    assert abs(float(row[3]) - float(found.group(1))) < 0.051
    assert description == "Average quality per month"


def test_titles_follow_the_filters(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "index.html").as_uri())
    before, _ = _card(seen.page, "top-providers")
    choose(seen, "provider", [3])
    label = seen.page.evaluate("() => providers.label[state.providers[0]]")
    title, description = _card(seen.page, "top-providers")
    assert title != before and title.startswith(f"{label} leads with")
    assert description.endswith(f"{label} only")
    bands, _ = _card(seen.page, "articles-by-band")
    assert bands.startswith(tuple(calendar.month_abbr[1:]))
