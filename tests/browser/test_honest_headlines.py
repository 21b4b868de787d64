"""Headline tiles never compare with a month too small to compare with: no percentage on a
base under 30 articles, and no comparison at all with the data's ramp-up."""

from __future__ import annotations

import pytest

from tests.conftest import article

from .conftest import build_site_of


def _files(per_month: dict[str, int]) -> dict[str, str]:
    files = {}
    for month, count in per_month.items():
        for i in range(count):
            files[f"{month}/{i}.txt"] = article(
                f"Story {month} number {i}",
                f"https://one.example/{month}/{i}",
                publishedDateTime=f"{month}-{1 + i % 27:02d}T10:00:00Z",
                quality=str(40 + i % 30),
                provider="{name: One, domain: one.example}",
            )
    return files


def _tiles(warehouse, visit) -> list[str]:
    seen = visit((warehouse / "dashboards" / "index.html").as_uri())
    notes = seen.page.locator("#headline .tile").all_inner_texts()
    assert seen.console_errors == []
    return notes


@pytest.fixture(scope="module")
def small_base(tmp_path_factory):
    # The latest complete month, November, against October's 20 articles.
    months = {"2019-09": 20, "2019-10": 20, "2019-11": 25, "2019-12": 5}
    return build_site_of(tmp_path_factory.mktemp("small-base"), _files(months))


@pytest.fixture(scope="module")
def ramp_up(tmp_path_factory):
    # The latest complete month, December, against November's 2 articles: the ramp-up.
    months = {"2019-11": 2, "2019-12": 40, "2020-01": 30}
    return build_site_of(tmp_path_factory.mktemp("ramp-up"), _files(months))


def test_no_percentage_on_a_base_under_30_articles(small_base, visit) -> None:
    tiles = _tiles(small_base, visit)
    assert "25 against 20 the month before" in tiles[0]
    assert not any("%" in tile for tile in tiles)


def test_no_comparison_with_the_ramp_up_month(ramp_up, visit) -> None:
    tiles = _tiles(ramp_up, visit)
    assert tiles and all(
        "Nov 2019 is the data's ramp-up (2 articles): not compared" in tile for tile in tiles
    )
    assert not any("%" in tile or "▲" in tile for tile in tiles)
