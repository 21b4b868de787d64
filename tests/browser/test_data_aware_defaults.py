"""Pages that tell the truth of real data at first sight: the default range is where the
data is, and what it leaves out is said."""

from __future__ import annotations

import re

from pipelines.store.lake import connect_read_only

from .reading import set_range, shown_rows

PAGES = ["index", "providers", "topics", "quality"]


def _months(warehouse) -> list[tuple[str, int, bool]]:
    con = connect_read_only(warehouse)
    rows = con.execute(
        "select strftime(month, '%Y-%m'), articles, is_complete from marts.dim_months"
        " order by month"
    ).fetchall()
    con.close()
    return rows


def _shown(seen, months: list[tuple[str, int, bool]]) -> set[str]:
    """The months of the range the page's inputs hold, read from a section's filled SQL."""
    sql = seen.page.locator("[data-sql]").first.text_content()
    first, last = re.findall(r"DATE '(\d{4}-\d{2})-01'", sql)[:2]
    return {month for month, _, _ in months if first <= month <= last}


def test_the_default_range_holds_99_percent_of_articles_and_the_current_month(
    rampup_warehouse, visit
) -> None:
    months = _months(rampup_warehouse)
    total = sum(n for _, n, _ in months)
    current = months[-1][0]
    assert not months[-1][2]  # the corpus ends in a month still filling up
    for name in PAGES:
        seen = visit((rampup_warehouse / "dashboards" / f"{name}.html").as_uri())
        shown = _shown(seen, months)
        assert current in shown, name
        held = sum(n for month, n, _ in months if month in shown)
        assert held >= 0.99 * total, name
        # The smallest such run: one month fewer at its start would hold less than 99%.
        first = min(shown)
        assert held - dict((m, n) for m, n, _ in months)[first] < 0.99 * total, name
        # Not the stray years: the axis spans months, not a decade.
        assert len(shown) <= 6, name


def test_what_the_default_range_leaves_out_is_named_in_one_line(rampup_warehouse, visit) -> None:
    months = _months(rampup_warehouse)
    seen = visit((rampup_warehouse / "dashboards" / "index.html").as_uri())
    note = seen.page.locator("[data-range-note]").inner_text()
    shown = _shown(seen, months)
    earlier = [(month, n) for month, n, _ in months if month < min(shown) and n > 0]
    count = sum(n for _, n in earlier)
    assert count > 0
    years = f"{earlier[0][0][:4]}–{earlier[-1][0][:4]}"
    assert f"{count:,} earlier articles, {years}, not shown" in note
    # The month-to-date is marked, with its run rate.
    _, articles, _ = months[-1]
    assert "is month-to-date: " + f"{articles:,} articles in its first" in note
    assert "run rate of about" in note
    # All months: nothing is left out, and the note says so by saying nothing of it.
    set_range(seen, "all")
    assert "earlier article" not in seen.page.locator("[data-range-note]").inner_text()


def test_each_month_is_labelled_once_under_its_own_bar(rampup_warehouse, visit) -> None:
    months = _months(rampup_warehouse)
    seen = visit((rampup_warehouse / "dashboards" / "index.html").as_uri())
    shown = sorted(_shown(seen, months))
    drawn = seen.page.evaluate(
        """() => { const el = document.querySelector('#articles-by-band .chart');
            return {x: el.data[0].x, period: el.data[0].xperiodalignment,
                    ticks: [...el.querySelectorAll('.xtick text')].map((t) => t.textContent)}; }"""
    )
    assert drawn["x"] == shown
    assert drawn["period"] == "middle"
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert drawn["ticks"] == [f"{names[int(m[5:]) - 1]} {m[:4]}" for m in shown]


def test_a_short_range_still_says_who_grew_and_a_small_base_cannot_lead(
    rampup_warehouse, visit
) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "index.html").as_uri())
    for key in ("growing-topics", "growing-providers"):
        header, *rows = shown_rows(seen, key)
        assert header[1:] == ["recent_articles", "previous_articles", "gained", "growth"]
        # Three complete months in the default range: the latest against the one before.
        assert rows, key
        assert "Dec 2019 against Nov 2019" in seen.page.locator(f"#{key} .note").inner_text()
        gained = [int(row[3]) for row in rows]
        assert gained == sorted(gained, reverse=True)
        for _, recent, previous, plus, growth in rows:
            assert int(recent) - int(previous) == int(plus)
            assert (growth == "") == (int(previous) < 30), (key, previous, growth)
