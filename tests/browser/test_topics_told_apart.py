"""A catch-all topic does not flatten the others, and topic pairs are those above chance."""

from __future__ import annotations

from pipelines.store.lake import connect_read_only

from .reading import chart_traces, choose, set_range, shown_rows


def _catch_all(warehouse) -> tuple[str, str]:
    con = connect_read_only(warehouse)
    key, label = con.execute(
        "select topic_key, topic from marts.dim_topics"
        " where articles >= 0.9 * (select count(*) from marts.fct_articles)"
    ).fetchone()
    con.close()
    return key, label


def test_a_catch_all_topic_is_shown_apart_unless_chosen(rampup_warehouse, visit) -> None:
    key, label = _catch_all(rampup_warehouse)
    seen = visit((rampup_warehouse / "dashboards" / "topics.html").as_uri())
    for section in ("topic-articles", "topic-share", "provider-topic"):
        keys = {row[1] for row in shown_rows(seen, section)[1:]}
        assert keys and key not in keys, section
        note = seen.page.locator(f"#{section} .note").inner_text()
        assert f"{label} is on 9" in note and "left out" in note, section
    # Chosen, it is a series like any other.
    index = seen.page.evaluate(
        """(key) => [...document.querySelector("[data-filter='topic']").options]
            .findIndex((o) => o.dataset.key === key)""",
        key,
    )
    choose(seen, "topic", [index])
    assert {row[1] for row in shown_rows(seen, "topic-articles")[1:]} == {key}
    assert "left out" not in seen.page.locator("#topic-articles .note").inner_text()


def test_topic_pairs_are_above_chance_with_a_line_at_one(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "topics.html").as_uri())
    set_range(seen, "all")
    rows = shown_rows(seen, "topic-pairs")
    assert rows[0] == ["topic_key_a", "topic_key_b", "articles", "lift"]
    assert len(rows) > 1
    assert all(float(row[3]) > 1 for row in rows[1:])
    (bars,) = chart_traces(seen.page)["topic-pairs"]
    assert all(x > 1 for x in bars["x"])
    shapes = seen.page.evaluate(
        "() => document.querySelector('#topic-pairs .chart').layout.shapes"
        ".map((s) => [s.type, s.x0, s.x1])"
    )
    assert ["line", 1, 1] in shapes
