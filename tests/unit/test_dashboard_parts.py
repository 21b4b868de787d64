"""The small rules the pages are made with: cell formats, sorting keys, labels, thresholds."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from dashboards.figures import count_axis, provider_labels, text
from dashboards.page import Column
from dashboards.topics import min_pair_articles


@pytest.mark.parametrize(
    ("fmt", "value", "shown", "sort"),
    [
        ("int", 1234567, "1,234,567", "1234567"),
        ("float", 57.04, "57.0", "57.04"),
        ("ratio", 1.2345, "1.23", "1.2345"),
        ("pct", 0.1816, "18.2%", "0.1816"),
        ("datetime", datetime(2024, 12, 31, 19, 7, 30), "2024-12-31 19:07", "2024-12-31T19:07:30"),
        ("text", date(2024, 1, 2), "2024-01-02", "2024-01-02"),
        ("list", ["a/1.txt", "b/2.txt"], "a/1.txt\nb/2.txt", "2"),
        ("int", None, "–", ""),
        ("text", "<b>x</b>", "<b>x</b>", "<b>x</b>"),  # the template escapes, not the column
    ],
)
def test_cells_format_and_sort(fmt, value, shown, sort) -> None:
    column = Column("c", "C", fmt)
    assert column.display(value) == shown
    assert column.sort_value(value) == sort
    assert column.numeric == (fmt in {"int", "float", "ratio", "pct"})


def test_figure_text_is_escaped_for_plotly_markup() -> None:
    assert text(["<b>Bold</b> & co", None, 5]) == ["&lt;b&gt;Bold&lt;/b&gt; &amp; co", "", "5"]


def test_provider_labels_are_unique_and_fall_back_to_the_domain() -> None:
    frame = pl.DataFrame(
        {
            "provider_name": ["Reuters", "Reuters", None, "<i>Odd</i>"],
            "provider_domain": ["reuters.com", "reuters.co.uk", "nameless.org", "odd.net"],
        }
    )
    assert provider_labels(frame) == [
        "Reuters (reuters.com)",
        "Reuters (reuters.co.uk)",
        "nameless.org",
        "&lt;i&gt;Odd&lt;/i&gt;",
    ]


@pytest.mark.parametrize(("articles", "threshold"), [(0, 5), (4_000, 5), (5_001, 6), (99_374, 100)])
def test_pairs_need_more_support_as_the_corpus_grows(articles, threshold) -> None:
    assert min_pair_articles(articles) == threshold


@pytest.mark.parametrize(("largest", "dtick"), [(2, 1), (10, 1), (11, None), (None, None)])
def test_small_counts_get_whole_number_ticks(largest, dtick) -> None:
    axis = count_axis("files", largest)
    assert axis.get("dtick") == dtick
    assert axis["title"] == {"text": "files"}
