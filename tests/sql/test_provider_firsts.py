"""A first-to-publish board an editor can trust: ranked by the Wilson lower bound of the share
of firsts, a date alone never beats a time of day, and syndicators and wires rank apart."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import article
from tests.helpers import build_tables, rows

from .test_stories import entry, related

START = datetime(2024, 1, 1, 9, 30)


def _pair(files: dict, key: str, first: str, second: str, start: datetime) -> None:
    """One story of two outlets: `first` publishes, `second` two hours later, each listing the
    other's article (distinct words per story, so that no two stories share a title)."""
    title = f"Harbour{key} council approves plan{key}"
    stamps = {first: start, second: start + timedelta(hours=2)}
    urls = {domain: f"https://{domain}/{key}" for domain in (first, second)}
    for domain, other in ((first, second), (second, first)):
        files[f"{key}-{domain}.txt"] = article(
            title,
            urls[domain],
            publishedDateTime=f"{stamps[domain]:%Y-%m-%dT%H:%M:%SZ}",
            provider=f"{{name: {domain}, domain: {domain}}}",
            related=related(entry(title, urls[other], f"{stamps[other]:%Y-%m-%dT%H:%M:%SZ}")),
        )


def test_four_of_four_ranks_below_forty_of_fifty(tmp_path) -> None:
    files: dict[str, str] = {}
    day = timedelta(days=5)
    for i in range(50):  # big.example is first in 40 of its 50 stories
        firster, follower = (
            ("big.example", "a1.example") if i < 40 else ("a1.example", "big.example")
        )
        _pair(files, f"b{i}", firster, follower, START + i * day)
    for i in range(4):  # small.example is first in all of its 4
        _pair(files, f"s{i}", "small.example", "a2.example", START + (60 + i) * day)
    con = build_tables(tmp_path, files)
    board = {
        domain: (first, stories, round(lower, 4), rank)
        for domain, first, stories, lower, rank in rows(
            con,
            "select provider_domain, stories_first, stories, first_share_lower, kind_rank"
            " from marts.provider_firsts where provider_kind = 'newsroom'",
        )
    }
    assert board["big.example"][:3] == (40, 50, 0.6696)
    assert board["small.example"][:3] == (4, 4, 0.5101)
    assert board["big.example"][3] < board["small.example"][3]
    ranks = sorted(rank for *_, rank in board.values())
    assert ranks == list(range(1, len(board) + 1))


def test_a_date_alone_is_first_only_when_no_item_has_a_time(tmp_path) -> None:
    files = {
        # The date-only item is the earliest stamp, but the 09:31 item has a time of day.
        "d.txt": article(
            "Rover lands on Mars crater",
            "https://dates.example/rover",
            publishedDateTime="2021-05-01",
            provider="{name: Dates, domain: dates.example}",
            related=related(
                entry(
                    "Rover lands on Mars crater",
                    "https://timed.example/rover",
                    "2021-05-01T09:31:00Z",
                )
            ),
        ),
        "t.txt": article(
            "Rover lands on Mars crater",
            "https://timed.example/rover",
            publishedDateTime="2021-05-01T09:31:00Z",
            provider="{name: Timed, domain: timed.example}",
        ),
        # Both date-only: the earlier date is first, and the story says its first is a date.
        "e.txt": article(
            "Bridge reopens after repairs",
            "https://dates.example/bridge",
            publishedDateTime="2021-06-01",
            provider="{name: Dates, domain: dates.example}",
            related=related(
                entry("Bridge reopens after repairs", "https://other.example/bridge", "2021-06-02")
            ),
        ),
        "o.txt": article(
            "Bridge reopens after repairs",
            "https://other.example/bridge",
            publishedDateTime="2021-06-02",
            provider="{name: Other, domain: other.example}",
        ),
    }
    con = build_tables(tmp_path, files)
    items = {
        url: (date_only, first, hours)
        for url, date_only, first, hours in rows(
            con,
            "select canonical_url, date_only, is_first, hours_after_first from marts.story_items",
        )
    }
    assert items["https://timed.example/rover"] == (False, True, 0.0)
    assert items["https://dates.example/rover"] == (True, False, -9.0 - 31 / 60)
    assert items["https://dates.example/bridge"] == (True, True, 0.0)
    assert items["https://other.example/bridge"] == (True, False, 24.0)
    firsts = dict(rows(con, "select first_provider_domain, first_date_only from marts.stories"))
    assert firsts == {"timed.example": False, "dates.example": True}


def test_syndicators_and_wires_rank_apart_from_newsrooms(tmp_path) -> None:
    files: dict[str, str] = {}
    day = timedelta(days=5)
    # msn.com (a known syndicator) and prnewswire.com (a known wire) are first every time.
    for i in range(6):
        _pair(files, f"m{i}", "msn.com", "paper.example", START + i * day)
        _pair(files, f"p{i}", "prnewswire.com", "paper.example", START + (10 + i) * day)
    _pair(files, "n0", "paper.example", "daily.example", START + 30 * day)
    con = build_tables(tmp_path, files)
    board = {
        domain: (kind, rank)
        for domain, kind, rank in rows(
            con, "select provider_domain, provider_kind, kind_rank from marts.provider_firsts"
        )
    }
    assert board["msn.com"] == ("syndicator", 1)
    assert board["prnewswire.com"] == ("wire", 1)
    # The newsroom board is the newsrooms' alone: paper.example leads it with 1 first in 13.
    newsrooms = sorted((rank, d) for d, (kind, rank) in board.items() if kind == "newsroom")
    assert [d for _, d in newsrooms] == ["paper.example", "daily.example"]
