"""The data scripts a provider or topic input loads, and the stories script, against the marts:
what the pages compute from is what marts.fct_articles and marts.stories hold."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from dashboards import bundle
from dashboards.page import shorten
from dashboards.topics import PAIR_TOPICS
from pipelines.store.lake import connect_read_only
from tests.integration.test_dashboards import build, decode

CELLS = ("n", "r", "q", "lo", "me", "hi", "tp")
BANDS = {"low": "lo", "medium": "me", "high": "hi", "top": "tp"}


def query(paths, sql: str) -> list[tuple]:
    con = connect_read_only(paths.warehouse)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def data(generated_warehouse) -> Path:
    """The data folder of the generated warehouse's site, built afresh."""
    return build(generated_warehouse).folder / "data"


def topic_cells(paths) -> dict[tuple[str, str, str], Counter]:
    """The sums of each (month, provider, topic) of the dated articles, counted here."""
    cells: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for month, provider, topics, quality, band in query(
        paths,
        "select strftime(published_month, '%Y-%m'), provider_domain, topic_keys, quality,"
        " quality_band from marts.fct_articles where published_month is not null",
    ):
        for topic in topics:
            cell = cells[month, provider, topic]
            cell["n"] += 1
            if quality is not None:
                cell["r"] += 1
                cell["q"] += quality
            if band in BANDS:
                cell[BANDS[band]] += 1
    return cells


def summed(columns: dict[str, list], keys: tuple[str, ...]) -> dict[tuple, Counter]:
    """A data script's columns summed per its key columns."""
    out: dict[tuple, Counter] = defaultdict(Counter)
    for i in range(len(columns["n"])):
        cell = out[tuple(columns[key][i] for key in keys)]
        for name in CELLS:
            cell[name] += columns[name][i]
    return {key: +cell for key, cell in out.items()}


def test_each_providers_script_holds_its_topic_cells(generated_warehouse, data: Path) -> None:
    base = decode(data / "base.js")
    months, domains = base["months"]["month"], base["providers"]["domain"]
    topics = base["topics"]["key"]
    expected: dict[str, dict[tuple, Counter]] = defaultdict(dict)
    for (month, provider, topic), cell in topic_cells(generated_warehouse).items():
        expected[provider][month, topic] = +cell
    assert len(expected) > 1
    written = sorted(int(path.stem[1:]) for path in data.glob("p*.js"))
    assert written == base["written"]["p"] == sorted(domains.index(p) for p in expected)
    for index in written:
        chunk = decode(data / f"p{index}.js")
        cells = summed(chunk["topics"], ("m", "t"))
        got = {(months[m], topics[t]): cell for (m, t), cell in cells.items()}
        assert got == expected[domains[index]], domains[index]


def test_each_topics_script_holds_its_provider_cells(generated_warehouse, data: Path) -> None:
    base = decode(data / "base.js")
    months, domains = base["months"]["month"], base["providers"]["domain"]
    topics = base["topics"]["key"]
    expected: dict[str, dict[tuple, Counter]] = defaultdict(dict)
    for (month, provider, topic), cell in topic_cells(generated_warehouse).items():
        expected[topic][month, provider] = +cell
    written = sorted(int(path.stem[1:]) for path in data.glob("t*.js"))
    assert written == base["written"]["t"] == sorted(topics.index(t) for t in expected)
    for index in written:
        cells = summed(decode(data / f"t{index}.js"), ("m", "p"))
        got = {(months[m], domains[p]): cell for (m, p), cell in cells.items()}
        assert got == expected[topics[index]], topics[index]


def test_each_providers_script_holds_its_pairs_of_leading_topics(
    generated_warehouse, data: Path
) -> None:
    base = decode(data / "base.js")
    months, domains = base["months"]["month"], base["providers"]["domain"]
    topics = base["topics"]["key"]
    leading = set(topics[:PAIR_TOPICS])
    expected: dict[str, Counter] = defaultdict(Counter)
    for month, provider, keys in query(
        generated_warehouse,
        "select strftime(published_month, '%Y-%m'), provider_domain, topic_keys"
        " from marts.fct_articles where published_month is not null",
    ):
        for a, b in combinations(sorted(set(keys) & leading), 2):
            expected[provider][month, a, b] += 1
    assert sum(len(pairs) for pairs in expected.values()) > 0
    everyone = Counter()
    for index in base["written"]["p"]:
        pairs = decode(data / f"p{index}.js")["pairs"]
        got = Counter()
        for m, a, b, n in zip(pairs["m"], pairs["a"], pairs["b"], pairs["n"], strict=True):
            got[months[m], topics[a], topics[b]] += n
        assert got == expected[domains[index]], domains[index]
        everyone += got
    pairs = base["pairs"]
    assert everyone == Counter(
        {
            (months[m], topics[a], topics[b]): n
            for m, a, b, n in zip(pairs["m"], pairs["a"], pairs["b"], pairs["n"], strict=True)
        }
    )


@pytest.mark.parametrize("per_month", [bundle.STORIES_PER_MONTH, 2])
def test_the_stories_script_holds_each_months_biggest_stories(
    generated_warehouse, monkeypatch, per_month: int
) -> None:
    monkeypatch.setattr(bundle, "STORIES_PER_MONTH", per_month)
    data = build(generated_warehouse).folder / "data"
    months = decode(data / "base.js")["months"]["month"]
    stories = decode(data / "stories.js")
    domains = stories["domains"]
    marts = {
        row[0]: row
        for row in query(
            generated_warehouse,
            "select story_id, strftime(first_published_at, '%Y-%m'), title,"
            " strftime(first_published_at, '%Y-%m-%dT%H:%M:%S'), first_provider_domain,"
            " providers, items from marts.stories"
            " where first_published_at is not null and items >= 2",
        )
    }
    biggest = defaultdict(list)  # each month's stories, biggest first, as bundle_stories ranks
    for story_id, month, *_, providers, items in marts.values():
        biggest[month].append((-providers, -items, story_id))
    expected = {
        month: [story_id for *_, story_id in sorted(ranked)[:per_month]]
        for month, ranked in biggest.items()
        if month in months
    }
    assert max(len(ranked) for ranked in biggest.values()) > 2  # the cut to 2 bites

    listed = stories["stories"]
    by_month = defaultdict(list)
    for story in listed:
        by_month[months[story["m"]]].append(story["id"])
        _, month, title, first, first_domain, providers, items = marts[story["id"]]
        assert (months[story["m"]], story["first"]) == (month, first)
        assert (story["providers"], story["items"]) == (providers, items)
        assert domains[story["first_domain"]] == first_domain
        assert story["title"] == (None if title is None else shorten(title, bundle.STORY_TITLE))
    assert max(len(ids) for ids in by_month.values()) <= per_month
    assert {month: sorted(ids) for month, ids in by_month.items()} == {
        month: sorted(ids) for month, ids in expected.items()
    }
    # Ordered as bundle_stories.sql orders them: most outlets, then most items, then id.
    order = [(-story["providers"], -story["items"], story["id"]) for story in listed]
    assert order == sorted(order)


def test_the_stories_script_holds_each_storys_first_items(generated_warehouse, data) -> None:
    stories = decode(data / "stories.js")
    domains = stories["domains"]
    items = defaultdict(dict)
    for story_id, url, domain, hours in query(
        generated_warehouse,
        "select story_id, canonical_url, provider_domain, round(hours_after_first, 2)"
        " from marts.story_items",
    ):
        items[story_id][url] = (domain, hours)
    assert stories["stories"]
    for story in stories["stories"]:
        mine = items[story["id"]]
        listed = story["item_list"]
        assert len(listed) == min(bundle.ITEMS_PER_STORY, len(mine))
        assert [(domains[item["d"]], item["h"]) for item in listed] == [
            mine[item["url"]] for item in listed
        ]
        hours = [item["h"] for item in listed if item["h"] is not None]
        assert hours == sorted(hours) and hours[:1] == [0]
        # Every item left out comes at least as late as the last one listed.
        shown = {item["url"] for item in listed}
        left_out = [h for url, (_, h) in mine.items() if url not in shown and h is not None]
        assert all(h >= hours[-1] for h in left_out)
        assert {domains[d] for d in story["domains"]} == {d for d, _ in mine.values()} - {None}
