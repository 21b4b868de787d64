"""What the charts claim: no line across an empty month, counts behind every point, thin and
incomplete months marked, leaderboards that rank only the well-rated, safe links."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date

from pipelines.store.lake import connect_read_only

from .reading import chart_traces, choose, download, set_range

LINE_PAGES = ["index", "providers", "topics", "quality"]


def _month(text: str) -> int:
    year, month = text[:7].split("-")
    return int(year) * 12 + int(month)


def test_no_line_segment_spans_an_empty_month(sparse_warehouse, visit) -> None:
    site = sparse_warehouse / "dashboards"
    drills = [sorted(site.glob(f"{kind}-*.html"))[0].stem for kind in ("provider", "topic")]
    lines = 0
    for name in LINE_PAGES + drills:
        seen = visit((site / f"{name}.html").as_uri())
        set_range(seen, "all")
        for key, traces in chart_traces(seen.page).items():
            for trace in traces:
                if trace["type"] != "scatter" or "lines" not in (trace["mode"] or ""):
                    continue
                lines += 1
                assert trace["connectgaps"] is False, key
                months = [_month(x) for x in trace["x"]]
                # Every month of the range is a point: a line goes from one month to the next,
                # and a month without a value (None) breaks it.
                assert months == list(range(months[0], months[0] + len(months))), key
    assert lines >= 10


def test_a_month_without_articles_is_a_gap_not_a_value(sparse_warehouse, visit) -> None:
    seen = visit((sparse_warehouse / "dashboards" / "quality.html").as_uri())
    set_range(seen, "all")
    line, dots = chart_traces(seen.page)["quality-average"]
    # A month's average is on the line or, when thin, a loose dot: one or the other.
    values = [a if a is not None else b for a, b in zip(line["y"], dots["y"], strict=True)]
    trace = {"x": line["x"], "y": values}
    con = connect_read_only(sparse_warehouse)
    empty = {
        row[0].strftime("%Y-%m")
        for row in con.execute("select month from marts.dim_months where articles = 0").fetchall()
    }
    con.close()
    assert len(empty) > 50  # the five empty years
    by_month = dict(zip((x[:7] for x in trace["x"]), trace["y"], strict=True))
    assert all(by_month[month] is None for month in empty)
    assert sum(value is not None for value in by_month.values()) == len(by_month) - len(empty)


def test_every_tooltip_gives_the_count_behind_the_point(generated_site_warehouse, visit) -> None:
    site = generated_site_warehouse / "dashboards"
    for name in LINE_PAGES:
        seen = visit((site / f"{name}.html").as_uri())
        for key, traces in chart_traces(seen.page).items():
            for trace in traces:
                assert "articles" in trace["hovertemplate"], (name, key)


def test_thin_and_incomplete_months_are_marked(sparse_warehouse, visit) -> None:
    seen = visit((sparse_warehouse / "dashboards" / "quality.html").as_uri())
    set_range(seen, "all")
    trace, dots = chart_traces(seen.page)["quality-average"]
    assert dots["marker"]["symbol"] == "circle-open"
    rows = download(seen, "quality-average")[1:]
    rated = {row[0]: int(row[2]) for row in rows}
    symbols = dict(zip((x[:7] for x in trace["x"]), trace["marker"]["symbol"], strict=True))
    assert {m for m, s in symbols.items() if s == "circle-open"} == {
        m for m, n in rated.items() if n < 5
    }
    layout = seen.page.evaluate(
        "() => document.querySelector('#quality-average .chart').layout.annotations"
    )
    assert [note["text"] for note in layout if note["text"] == "incomplete"] == ["incomplete"]
    latest = max(rated)
    assert [note["x"][:7] for note in layout if note["text"] == "incomplete"] == [latest]
    assert date.fromisoformat(latest + "-01") == date(2020, 1, 1)


def test_the_leaderboard_ranks_only_providers_with_ten_rated_articles(
    generated_site_warehouse, visit
) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "providers.html").as_uri())
    note = seen.page.locator("#leaderboard .note").inner_text()
    assert "at least 10 rated articles" in note
    ranked = download(seen, "leaderboard")[1:]
    assert ranked and all(int(row[3]) >= 10 for row in ranked)
    seen.page.locator("[data-all-providers]").check()
    seen.wait()
    everyone = download(seen, "leaderboard")[1:]
    assert any(int(row[3]) < 10 for row in everyone)
    assert {row[0] for row in ranked} < {row[0] for row in everyone}


def test_story_items_link_only_to_web_addresses(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "stories.html").as_uri())
    set_range(seen, "all")
    rows = download(seen, "story-items")[1:]
    assert rows
    links = seen.page.locator("#story-items a").evaluate_all("(as) => as.map((a) => a.href)")
    web = [row[1] for row in rows if row[1].lower().startswith(("http://", "https://"))]
    assert len(links) == len(web)
    assert all(link.startswith(("http://", "https://")) for link in links)


def test_legends_and_leaderboards_lead_to_drill_down_pages(generated_site_warehouse, visit):
    site = generated_site_warehouse / "dashboards"
    for name, selector in [
        ("providers", "#share-of-voice .legend a"),
        ("providers", "#leaderboard td a"),
        ("topics", "#topic-articles .legend a"),
        ("topics", "#topic-table td a"),
    ]:
        seen = visit((site / f"{name}.html").as_uri())
        hrefs = seen.page.locator(selector).evaluate_all("(as) => as.map((a) => a.href)")
        assert hrefs, (name, selector)
        for href in hrefs[:3]:
            target = visit(href)
            assert target.console_errors == []
            chosen = target.page.locator("[data-chosen]").all_inner_texts()
            assert any(text != "all" for text in chosen), href


def test_a_drill_down_page_starts_with_its_subject_chosen(generated_site_warehouse, visit):
    site = generated_site_warehouse / "dashboards"
    page = sorted(site.glob("provider-*.html"))[0]
    seen = visit(page.as_uri())
    chosen = seen.page.locator("[data-filter='provider'] option:checked").count()
    assert chosen == 1
    series = download(seen, "series")[1:]
    assert {row[1] for row in series} == {
        seen.page.locator("[data-filter='provider'] option:checked").get_attribute("data-key")
    }
    choose(seen, "provider", [0, 1])
    assert len({row[1] for row in download(seen, "series")[1:]}) == 2


def test_a_story_cut_to_its_first_items_says_how_many_it_has(generated_site_warehouse, visit):
    seen = visit((generated_site_warehouse / "dashboards" / "stories.html").as_uri())
    set_range(seen, "all")
    stories = {row[0]: int(row[5]) for row in download(seen, "story-list")[1:]}
    shown = Counter(row[0] for row in download(seen, "story-items")[1:])
    order = list(dict.fromkeys(row[0] for row in download(seen, "story-items")[1:]))
    cut = [story for story in order if stories[story] > shown[story]]
    assert cut, "the generated corpus has stories of more items than the bundle keeps"
    for key in ("story-items", "story-timeline"):
        note = seen.page.locator(f"#{key} .note").inner_text()
        for story in cut:
            number = order.index(story) + 1
            assert f"#{number}: {shown[story]} of {stories[story]}" in note, (key, note)


def test_every_chart_of_several_series_names_them_in_its_legend(generated_site_warehouse, visit):
    site = generated_site_warehouse / "dashboards"
    drill = sorted(path.stem for path in site.glob("provider-*.html"))[0]
    checked = 0
    for name in [*LINE_PAGES, drill]:
        seen = visit((site / f"{name}.html").as_uri())
        charts = seen.page.evaluate(
            """() => [...document.querySelectorAll('section .chart')].filter((el) => el.data)
                .map((el) => {
                    const section = el.closest('section');
                    const legend = section.querySelector('details.legend');
                    return {
                        key: section.id,
                        series: el.data.filter((t) => t.name).map((t) => t.name),
                        shown: legend !== null && !legend.hidden,
                        entries: [...section.querySelectorAll('.legend-item')]
                            .map((item) => item.textContent),
                    };
                })"""
        )
        for chart in charts:
            if len(chart["series"]) > 1:
                # A stacked bar of quality bands without its key was a chart no one could read.
                assert chart["shown"], (name, chart["key"])
                assert chart["entries"] == chart["series"], (name, chart["key"])
                checked += 1
    assert checked >= 5


def test_a_growth_list_in_which_nothing_grew_says_so(
    sparse_warehouse, generated_site_warehouse, visit
):
    said = []
    for warehouse in (sparse_warehouse, generated_site_warehouse):
        seen = visit((warehouse / "dashboards" / "index.html").as_uri())
        for key in ("growing-topics", "growing-providers"):
            rows = download(seen, key)[1:]
            fell = bool(rows) and all(int(row[3]) <= 0 for row in rows)
            note = seen.page.locator(f"#{key} .note").inner_text()
            assert ("None grew" in note) == fell, (key, rows[:3], note)
            said.append(fell)
    # The sparse corpus thins out at its end; the generated one grows.
    assert True in said and False in said


def test_an_axis_of_article_counts_has_whole_ticks(generated_site_warehouse, visit):
    site = generated_site_warehouse / "dashboards"
    # The first drill-down page is of a provider with a handful of articles: ticks of 0.2
    # were drawn against its months of 1 article.
    drills = [
        sorted(path.stem for path in site.glob(f"{kind}-*.html"))[0]
        for kind in ("provider", "topic")
    ]
    ticks = []
    for name in ["index", "providers", *drills]:
        seen = visit((site / f"{name}.html").as_uri())
        ticks += seen.page.evaluate(
            """() => [...document.querySelectorAll('section .chart')].flatMap((el) =>
                ['x', 'y'].filter((axis) => {
                    const title = el.layout[axis + 'axis'] && el.layout[axis + 'axis'].title;
                    return title && title.text === 'articles';
                }).flatMap((axis) => [...el.querySelectorAll('.' + axis + 'tick text')]
                    .map((tick) => tick.textContent)))"""
        )
    assert len(ticks) >= 10
    assert [tick for tick in ticks if not tick.replace(",", "").replace("−", "").isdigit()] == []


def _rgb(colour: str) -> tuple[float, ...]:
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(float(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])


def _luminance(colour: tuple[float, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [(c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _colour_at(scale: list, value: float) -> tuple[float, ...]:
    """The colour a plotly colour scale (a list of [position, colour]) gives `value` in 0-1."""
    for (lo, lo_colour), (hi, hi_colour) in zip(scale, scale[1:], strict=False):
        if lo <= value <= hi:
            t = 0 if hi == lo else (value - lo) / (hi - lo)
            a, b = _rgb(lo_colour), _rgb(hi_colour)
            return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))
    raise AssertionError(f"{value} outside the scale")


def test_the_heatmaps_darkest_cell_is_its_largest_value(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "topics.html").as_uri())
    set_range(seen, "all")
    # What plotly draws from: the trace after its defaults (the scale resolved, reversed or not).
    drawn = seen.page.evaluate(
        """() => { const t = document.querySelector('#provider-topic .chart')._fullData[0];
            return {z: t.z, scale: t.colorscale, reversed: t.reversescale,
                    zmin: t.zmin, zmax: t.zmax}; }"""
    )
    scale = drawn["scale"]
    if drawn["reversed"]:
        scale = [[1 - position, colour] for position, colour in reversed(scale)]
    values = [v for row in drawn["z"] for v in row if v is not None]
    assert len(set(values)) > 5
    span = drawn["zmax"] - drawn["zmin"]

    def lightness(value: float) -> float:
        return _luminance(_colour_at(scale, (value - drawn["zmin"]) / span))

    darkest = min(values, key=lightness)
    lightest = max(values, key=lightness)
    assert darkest == max(values)
    assert lightest == min(values)


def test_a_thin_month_is_never_joined_to_the_line_nor_sets_its_axis(rampup_warehouse, visit):
    seen = visit((rampup_warehouse / "dashboards" / "quality.html").as_uri())
    set_range(seen, "all")
    line, dots = chart_traces(seen.page)["quality-average"]
    con = connect_read_only(rampup_warehouse)
    months = con.execute(
        "select strftime(month, '%Y-%m'), articles, rated_articles from marts.quality_monthly"
        " order by month"
    ).fetchall()
    con.close()
    median = statistics.median(n for _, n, _ in months if n > 0)
    thin = {m for m, n, rated in months if n > 0 and (rated < 20 or n < 0.05 * median)}
    assert len(thin) >= 5  # the stray articles' months
    for month, on_line, dot in zip(line["x"], line["y"], dots["y"], strict=True):
        if month[:7] in thin:
            assert on_line is None and dot is not None, month
        else:
            assert dot is None, month
    top = seen.page.evaluate(
        "() => document.querySelector('#quality-average .chart')._fullLayout.yaxis.range[1]"
    )
    assert top <= 1.1 * max(y for y in line["y"] if y is not None) + 1e-9


def _thin_months(warehouse) -> set[str]:
    # Months of few articles: under 20, or under 5% of the median month with articles.
    con = connect_read_only(warehouse)
    months = con.execute(
        "select strftime(month, '%Y-%m'), articles from marts.dim_months order by month"
    ).fetchall()
    con.close()
    median = statistics.median(n for _, n in months if n > 0)
    return {m for m, n in months if n > 0 and (n < 20 or n < 0.05 * median)}


def test_no_share_of_voice_line_touches_a_thin_month(rampup_warehouse, visit) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "providers.html").as_uri())
    set_range(seen, "all")
    thin = _thin_months(rampup_warehouse)
    assert len(thin) >= 5  # the stray articles' months
    traces = chart_traces(seen.page)["share-of-voice"]
    lines = [t for t in traces if "lines" in t["mode"]]
    dots = [t for t in traces if t["mode"] == "markers"]
    assert lines and len(dots) == len(lines)
    for line, loose in zip(lines, dots, strict=True):
        for month, on_line, dot in zip(line["x"], line["y"], loose["y"], strict=True):
            if month[:7] in thin:
                assert on_line is None, (line["name"], month)
            else:
                assert dot is None, (line["name"], month)
    # A stray month's 100% share does not set the axis.
    top = seen.page.evaluate(
        "() => document.querySelector('#share-of-voice .chart')._fullLayout.yaxis.range[1]"
    )
    held = [y for line in lines for y in line["y"] if y is not None]
    assert top <= 1.1 * max(held) + 1e-9 < 100


def test_a_thin_months_band_mix_is_faded_and_labelled_with_its_count(
    rampup_warehouse, visit
) -> None:
    seen = visit((rampup_warehouse / "dashboards" / "quality.html").as_uri())
    set_range(seen, "all")
    key = seen.page.evaluate(
        "() => SPEC.sections.find((s) => s.kind === 'band_months' && s.options.percent).key"
    )
    rows = download(seen, key)[1:]
    # Thin: under 20 rated articles (articles less unrated), or under 5% of the median month.
    median = statistics.median(int(row[1]) for row in rows if int(row[1]) > 0)
    thin = {
        row[0]
        for row in rows
        if int(row[1]) > 0 and (int(row[1]) - int(row[6]) < 20 or int(row[1]) < 0.05 * median)
    }
    drawn = seen.page.evaluate(
        "(key) => { const el = document.querySelector('#' + key + ' .chart');"
        " return {opacity: el.data[0].marker.opacity, x: el.data[0].x,"
        " notes: el.layout.annotations.map((a) => a.text)}; }",
        key,
    )
    held = {row[0] for row in rows if int(row[1]) > 0}  # an empty month has no bar to fade
    faded = {x[:7] for x, o in zip(drawn["x"], drawn["opacity"], strict=True) if o < 1} & held
    assert faded == thin and thin
    labels = sorted(note for note in drawn["notes"] if note.startswith("n="))
    assert labels == sorted(f"n={int(row[1]):,}" for row in rows if row[0] in thin)
