"""The inputs live in the page's address: a page change, a reload or a shared link keeps
the range and the filters."""

from __future__ import annotations

from .reading import choose, set_range


def _inputs(seen) -> dict:
    """The range and the chosen provider domains and topic keys, as the inputs show them."""
    return seen.page.evaluate(
        """() => ({
            range: document.querySelector('[data-range]').value,
            providers: [...document.querySelector("[data-filter='provider']").selectedOptions]
                .map((o) => o.dataset.key),
            topics: [...document.querySelector("[data-filter='topic']").selectedOptions]
                .map((o) => o.dataset.key),
        })"""
    )


def test_filters_survive_a_page_change_and_a_reload(generated_site_warehouse, visit) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "index.html").as_uri())
    set_range(seen, "12")
    choose(seen, "provider", [1, 3])
    choose(seen, "topic", [2])
    chosen = _inputs(seen)
    assert chosen["range"] == "12" and len(chosen["providers"]) == 2 and chosen["topics"]
    assert "range=12" in seen.page.url and "providers=" in seen.page.url

    seen.page.locator("header nav a", has_text="Topics").click()
    seen.wait()
    assert seen.page.url.split("#")[0].endswith("topics.html")
    assert _inputs(seen) == chosen
    # The charts follow the carried inputs: the SQL shown is filled with them.
    sql = seen.page.locator("[data-sql]").first.text_content()
    assert all(f"'{domain}'" in sql for domain in chosen["providers"])

    seen.page.reload()
    seen.wait()
    assert _inputs(seen) == chosen
    assert seen.console_errors == []


def test_a_drill_down_page_keeps_the_range_and_shows_its_own_subject(
    generated_site_warehouse, visit
) -> None:
    seen = visit((generated_site_warehouse / "dashboards" / "providers.html").as_uri())
    set_range(seen, "all")
    choose(seen, "topic", [0])
    topic = _inputs(seen)["topics"]
    link = seen.page.locator("#leaderboard tbody a").first
    subject = link.inner_text()
    link.click()
    seen.wait()
    shown = _inputs(seen)
    assert seen.page.url.split("#")[0].split("/")[-1].startswith("provider-")
    assert shown["range"] == "all" and shown["topics"] == topic
    assert len(shown["providers"]) == 1  # its own subject, not the filter it came with
    assert subject
    assert seen.console_errors == []


def test_a_hand_edited_address_is_read_safely(generated_site_warehouse, visit) -> None:
    page = (generated_site_warehouse / "dashboards" / "index.html").as_uri()
    seen = visit(page + "#range=%3Cscript%3E&providers=no.such.domain,%E0%A4%A&topics=")
    assert _inputs(seen) == {"range": "data", "providers": [], "topics": []}
    assert seen.console_errors == []
