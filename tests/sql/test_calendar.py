"""SQL unit tests of the calendar marts (dim_months and the dense *_monthly tables), and of the
fct_articles and dim_providers columns of issue 12.

Expected values are worked out by hand from the contract (section 2, "Definitions used by the
marts") as the project reads it: every month from the first to the last dated month, a month
without articles still a row (articles 0, NULL averages, share 0, or NULL where the month has no
dated article at all), so lag() over months gives the previous calendar month.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.conftest import article
from tests.helpers import build_tables, rows

A = "{name: A, domain: a.com}"
JAN, FEB, MAR, APR = date(2021, 1, 1), date(2021, 2, 1), date(2021, 3, 1), date(2021, 4, 1)

# Jan: four a.com articles (quality 10, 30, 150, unrated). Feb: none. Mar: b.com 40 and 60, d.com
# unrated. Apr: a.com 80 (the latest time). Two undated articles (a.com 90, c.com 50).
CALENDAR_FILES = {
    "a1.txt": article(
        "a1",
        "https://a.com/1",
        publishedDateTime="2021-01-10",
        quality="10",
        provider=A,
        topics="[ai]",
    ),
    # 00:30 at +01:00 is 23:30 UTC on 31 January: January.
    "a2.txt": article(
        "a2", "https://a.com/2", publishedDateTime="2021-02-01T00:30:00+01:00", provider=A
    ),
    "a5.txt": article(
        "a5", "https://a.com/5", publishedDateTime="2021-01-15", quality="30", provider=A
    ),
    "a6.txt": article(
        "a6", "https://a.com/6", publishedDateTime="2021-01-20", quality="150", provider=A
    ),
    "b1.txt": article(
        "b1", "https://b.com/1", publishedDateTime="2021-03-05", quality="40", topics="[AI]"
    ),
    "b2.txt": article(
        "b2", "https://b.com/2", publishedDateTime="2021-03-20", quality="60", topics="[Space]"
    ),
    "d1.txt": article("d1", "https://d.com/1", publishedDateTime="2021-03-10", topics="[AI]"),
    "a3.txt": article(
        "a3",
        "https://a.com/3",
        publishedDateTime="2021-04-02T09:00:00Z",
        quality="80",
        provider=A,
        topics="[Space]",
    ),
    "a4.txt": article("a4", "https://a.com/4", quality="90", provider=A, topics="[AI]"),
    "c1.txt": article("c1", "https://c.com/1", quality="50", topics="[Sport]"),
}


@pytest.fixture(scope="module")
def calendar(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """The tables built from CALENDAR_FILES, once for the module."""
    return build_tables(tmp_path_factory.mktemp("calendar"), CALENDAR_FILES)


def test_dim_months_has_every_month_and_only_the_latest_is_incomplete(calendar):
    assert rows(
        calendar, "select month, articles, is_complete from marts.dim_months order by month"
    ) == [
        (JAN, 4, True),
        (FEB, 0, True),
        (MAR, 3, True),
        (APR, 1, False),
    ]


def test_quality_monthly_has_every_month_and_its_band_counts_add_up(calendar):
    assert rows(
        calendar,
        "select month, articles, rated_articles, avg_quality, p10_quality, median_quality,"
        " p90_quality, low_articles, medium_articles, high_articles, top_articles,"
        " unrated_articles from marts.quality_monthly order by month",
    ) == [
        # quantile_cont over 10, 30, 150: positions 0.2 and 1.8.
        (
            JAN,
            4,
            3,
            pytest.approx(190 / 3),
            pytest.approx(14.0),
            30.0,
            pytest.approx(126.0),
            1,
            1,
            0,
            1,
            1,
        ),
        (FEB, 0, 0, None, None, None, None, 0, 0, 0, 0, 0),
        (MAR, 3, 2, 50.0, pytest.approx(42.0), 50.0, pytest.approx(58.0), 0, 1, 1, 0, 1),
        (APR, 1, 1, 80.0, 80.0, 80.0, 80.0, 0, 0, 1, 0, 0),
    ]


def test_provider_monthly_runs_from_the_providers_first_month_to_the_last(calendar):
    # c.com has undated articles only: no row. share is NULL in February (no dated article at
    # all), 0 in a month others have articles in.
    assert rows(
        calendar,
        "select provider_domain, month, articles, rated_articles, avg_quality, median_quality,"
        " share_of_articles from marts.provider_monthly order by provider_domain, month",
    ) == [
        ("a.com", JAN, 4, 3, pytest.approx(190 / 3), 30.0, 1.0),
        ("a.com", FEB, 0, 0, None, None, None),
        ("a.com", MAR, 0, 0, None, None, 0.0),
        ("a.com", APR, 1, 1, 80.0, 80.0, 1.0),
        ("b.com", MAR, 2, 2, 50.0, 50.0, pytest.approx(2 / 3)),
        ("b.com", APR, 0, 0, None, None, 0.0),
        ("d.com", MAR, 1, 0, None, None, pytest.approx(1 / 3)),
        ("d.com", APR, 0, 0, None, None, 0.0),
    ]


def test_topic_monthly_runs_from_the_topics_first_month_with_its_label_in_every_row(calendar):
    # ai is labelled "ai" once (January) and "AI" three times (one undated): "AI" in every row,
    # the empty ones too. Sport is on an undated article only: no row.
    assert rows(
        calendar,
        "select topic_key, month, topic, articles, rated_articles, avg_quality, providers,"
        " share_of_articles from marts.topic_monthly order by topic_key, month",
    ) == [
        ("ai", JAN, "AI", 1, 1, 10.0, 1, 0.25),
        ("ai", FEB, "AI", 0, 0, None, 0, None),
        ("ai", MAR, "AI", 2, 1, 40.0, 2, pytest.approx(2 / 3)),
        ("ai", APR, "AI", 0, 0, None, 0, 0.0),
        ("space", MAR, "Space", 1, 1, 60.0, 1, pytest.approx(1 / 3)),
        ("space", APR, "Space", 1, 1, 80.0, 1, 1.0),
    ]


def test_lag_over_months_gives_the_previous_calendar_month(calendar):
    assert rows(
        calendar,
        "select month, lag(articles) over (order by month) from marts.dim_months order by month",
    ) == [(JAN, None), (FEB, 4), (MAR, 0), (APR, 3)]
    # a.com's April follows its empty March, not its January.
    assert rows(
        calendar,
        "select month, lag(articles) over (order by month) from marts.provider_monthly"
        " where provider_domain = 'a.com' order by month",
    ) == [(JAN, None), (FEB, 4), (MAR, 0), (APR, 0)]
    for table, group in [
        ("dim_months", "true"),
        ("quality_monthly", "true"),
        ("provider_monthly", "provider_domain"),
        ("topic_monthly", "topic_key"),
    ]:
        assert (
            rows(
                calendar,
                f"select * from (select month, lag(month) over (partition by {group}"
                f" order by month) as previous from marts.{table})"
                " where previous is not null and previous <> month - interval 1 month",
            )
            == []
        ), table


def test_fct_articles_winning_file_file_count_topic_keys_and_provider_distinct_names(tmp_path):
    def msn(name: str | None) -> str:
        return f"{{name: {name}, domain: msn.com}}" if name else "{domain: msn.com}"

    files = {
        "m1.txt": article("M1", "https://msn.com/1", provider=msn("MSN")),
        # Three files of one article: the newest wins, with its topics and provider name.
        "m2.txt": (
            article(
                "M2",
                "https://msn.com/2",
                provider=msn("Reuters"),
                topics="[Zeta, alpha, ALPHA, Mid]",
            ),
            3_000_000,
        ),
        "m2-old.txt": (
            article("M2 old", "https://www.msn.com/2/", provider=msn("Ghost"), topics="[Old]"),
            2_000_000,
        ),
        "older/m2.txt": (article("M2 older", "http://msn.com/2", provider=msn("Ghost")), 1_000_000),
        "m3.txt": article("M3", "https://msn.com/3", provider=msn("Reuters")),
        "m4.txt": article("M4", "https://msn.com/4", provider=msn(None)),
        "n1.txt": article("N1", "https://nameless.com/1"),
        "n2.txt": article("N2", "https://nameless.com/2", topics="[]"),
    }
    con = build_tables(tmp_path, files)
    assert rows(
        con,
        "select title, provider_domain, provider_name, source_path, n_files, topic_keys"
        " from marts.fct_articles order by title",
    ) == [
        ("M1", "msn.com", "MSN", "m1.txt", 1, []),
        ("M2", "msn.com", "Reuters", "m2.txt", 3, ["alpha", "mid", "zeta"]),
        ("M3", "msn.com", "Reuters", "m3.txt", 1, []),
        ("M4", "msn.com", None, "m4.txt", 1, []),
        ("N1", "nameless.com", None, "n1.txt", 1, []),
        ("N2", "nameless.com", None, "n2.txt", 1, []),
    ]
    # msn.com: MSN and Reuters (the losing files' Ghost and the NULL name do not count).
    assert rows(
        con,
        "select provider_domain, provider_name, distinct_names, articles"
        " from marts.dim_providers order by provider_domain",
    ) == [("msn.com", "Reuters", 2, 4), ("nameless.com", None, 0, 2)]
