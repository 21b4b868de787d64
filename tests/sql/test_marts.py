"""SQL unit tests of the staging and mart models: given a few content files, expect these rows.

Expected values are worked out by hand from the contract's definitions.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest

from tests.conftest import article
from tests.helpers import build_tables, rows

P = "{name: P, domain: p.com}"


def article_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode()).hexdigest()[:16]


def test_article_without_a_date_is_in_facts_and_dimensions_but_no_monthly_mart(tmp_path):
    con = build_tables(
        tmp_path,
        {
            "a.txt": article(
                "Dated",
                "https://p.com/a",
                publishedDateTime="2021-03-05T10:00:00Z",
                quality="40",
                provider=P,
                topics="[AI]",
            ),
            "b.txt": article("Undated", "https://p.com/b", quality="60", provider=P, topics="[AI]"),
        },
    )
    assert rows(
        con,
        "select title, published_at, published_date, published_month"
        " from marts.fct_articles order by title",
    ) == [
        ("Dated", datetime(2021, 3, 5, 10), date(2021, 3, 5), date(2021, 3, 1)),
        ("Undated", None, None, None),
    ]
    assert rows(
        con,
        "select provider_domain, provider_name, articles, rated_articles, avg_quality,"
        " median_quality, first_published_at, last_published_at from marts.dim_providers",
    ) == [("p.com", "P", 2, 2, 50.0, 50.0, datetime(2021, 3, 5, 10), datetime(2021, 3, 5, 10))]
    assert rows(con, "select topic_key, topic, articles, avg_quality from marts.dim_topics") == [
        ("ai", "AI", 2, 50.0)
    ]
    assert rows(con, "select * from marts.provider_monthly") == [
        (date(2021, 3, 1), "p.com", 1, 1, 40.0, 40.0, 1.0)
    ]
    assert rows(con, "select * from marts.quality_monthly") == [
        (date(2021, 3, 1), 1, 1, 40.0, 40.0, 40.0, 40.0, 0, 1, 0, 0, 0)
    ]
    assert rows(con, "select * from marts.topic_monthly") == [
        (date(2021, 3, 1), "ai", "AI", 1, 1, 40.0, 1, 1.0)
    ]
    assert rows(con, "select * from marts.provider_topic") == [("p.com", "ai", "AI", 2, 2, 50.0)]


def test_unrated_articles_count_as_articles_but_not_in_quality(tmp_path):
    con = build_tables(
        tmp_path,
        {
            "a.txt": article("A", "https://u.com/a", publishedDateTime="2021-03-01", topics="[X]"),
            "b.txt": article(
                "B", "https://u.com/b", publishedDateTime="2021-03-02", quality="abc", topics="X"
            ),
            "c.txt": article("C", "https://r.com/c", publishedDateTime="2021-03-03", quality="30"),
        },
    )
    assert rows(con, "select title, quality, quality_band from marts.fct_articles order by 1") == [
        ("A", None, None),
        ("B", None, None),
        ("C", 30, "medium"),
    ]
    assert rows(con, "select * from marts.provider_monthly order by provider_domain") == [
        (date(2021, 3, 1), "r.com", 1, 1, 30.0, 30.0, pytest.approx(1 / 3)),
        (date(2021, 3, 1), "u.com", 2, 0, None, None, pytest.approx(2 / 3)),
    ]
    assert rows(con, "select * from marts.quality_monthly") == [
        (date(2021, 3, 1), 3, 1, 30.0, 30.0, 30.0, 30.0, 0, 1, 0, 0, 2)
    ]
    assert rows(
        con,
        "select provider_domain, articles, rated_articles, avg_quality, median_quality"
        " from marts.dim_providers order by 1",
    ) == [("r.com", 1, 1, 30.0, 30.0), ("u.com", 2, 0, None, None)]
    assert rows(
        con,
        "select topic_key, articles, rated_articles, avg_quality from marts.dim_topics",
    ) == [("x", 2, 0, None)]


def test_one_article_in_two_files_keeps_the_latest_file_and_on_a_tie_the_greatest_path(
    tmp_path,
):
    files = {
        "old.txt": (
            article("Old", "http://www.d.com/story/?utm_source=feed", quality="10", topics="[A]"),
            1_000_000,
        ),
        "new.txt": (article("New", "https://d.com/story", quality="20", topics="[B]"), 2_000_000),
        "tie/x.txt": (article("X", "https://e.com/t"), 5_000_000),
        "tie/y.txt": (article("Y", "https://e.com/t#comments"), 5_000_000),
    }
    con = build_tables(tmp_path, files)
    D_ID = article_id("https://d.com/story")  # noqa: N806
    assert rows(
        con,
        "select article_id, canonical_url, source_path, duplicate_files, title, quality"
        " from staging.stg_articles order by canonical_url",
    ) == [
        (D_ID, "https://d.com/story", "new.txt", ["old.txt"], "New", 20),
        (article_id("https://e.com/t"), "https://e.com/t", "tie/y.txt", ["tie/x.txt"], "Y", None),
    ]
    assert rows(con, "select count(*) from marts.fct_articles") == [(2,)]
    assert rows(con, "select topic_key, articles from marts.dim_topics") == [("b", 1)]
    assert rows(con, "select provider_domain, articles from marts.dim_providers order by 1") == [
        ("d.com", 1),
        ("e.com", 1),
    ]

    # The id is a function of the URL alone: another build of other files gives the same id.
    again = build_tables(tmp_path / "again", {"z.txt": article("Z", "https://D.com/story/")})
    assert rows(again, "select article_id from staging.stg_articles") == [
        (article_id("https://d.com/story"),)
    ]


def test_articles_with_several_topics_give_pairs_with_lift(tmp_path):
    day = "2021-05-10T08:00:00Z"
    con = build_tables(
        tmp_path,
        {
            "1.txt": article("1", "https://p.com/1", publishedDateTime=day, topics="[A, B, C]"),
            "2.txt": article("2", "https://p.com/2", publishedDateTime=day, topics="[A, B]"),
            "3.txt": article("3", "https://p.com/3", publishedDateTime=day, topics="[A]"),
            "4.txt": article("4", "https://p.com/4", publishedDateTime=day),
        },
    )
    assert rows(con, "select title, n_topics from marts.fct_articles order by title") == [
        ("1", 3),
        ("2", 2),
        ("3", 1),
        ("4", 0),
    ]
    # Four articles: A on 3, B on 2, C on 1. lift = P(both) / (P(a) * P(b)).
    assert rows(
        con,
        "select topic_key_a, topic_key_b, topic_a, topic_b, articles, lift from marts.topic_pairs",
    ) == [
        ("a", "b", "A", "B", 2, pytest.approx((2 / 4) / ((3 / 4) * (2 / 4)))),
        ("a", "c", "A", "C", 1, pytest.approx(4 / 3)),
        ("b", "c", "B", "C", 1, pytest.approx(2.0)),
    ]
    assert rows(con, "select topic_key, articles, share_of_articles from marts.topic_monthly") == [
        ("a", 3, 0.75),
        ("b", 2, 0.5),
        ("c", 1, 0.25),
    ]
    assert rows(con, "select topic_key, articles from marts.provider_topic") == [
        ("a", 3),
        ("b", 2),
        ("c", 1),
    ]


def test_offsets_move_articles_across_utc_month_and_year_boundaries(tmp_path):
    con = build_tables(
        tmp_path,
        {
            "x.txt": article("x", "https://p.com/x", publishedDateTime="2021-01-31T23:30:00-02:00"),
            "y.txt": article("y", "https://p.com/y", publishedDateTime="2021-02-01T00:30:00+01:00"),
            "z.txt": article("z", "https://p.com/z", publishedDateTime="2021-12-31 22:00:00-03:00"),
        },
    )
    assert rows(
        con,
        "select title, published_at, published_date, published_month"
        " from marts.fct_articles order by 1",
    ) == [
        ("x", datetime(2021, 2, 1, 1, 30), date(2021, 2, 1), date(2021, 2, 1)),
        ("y", datetime(2021, 1, 31, 23, 30), date(2021, 1, 31), date(2021, 1, 1)),
        ("z", datetime(2022, 1, 1, 1, 0), date(2022, 1, 1), date(2022, 1, 1)),
    ]
    for table in ("quality_monthly", "provider_monthly"):
        assert rows(con, f"select month, articles from marts.{table} where articles > 0") == [
            (date(2021, 1, 1), 1),
            (date(2021, 2, 1), 1),
            (date(2022, 1, 1), 1),
        ]
        # The calendar has no gap: March to December 2021 are there, with no articles.
        assert rows(con, f"select count(*), sum(articles) from marts.{table}") == [(13, 3)]


def test_topic_labels_differing_in_case_or_spacing_are_one_topic(tmp_path):
    files = {
        "1.txt": article(
            "1", "https://p.com/1", topics='["Machine  Learning", "machine learning"]'
        ),
        "2.txt": article("2", "https://p.com/2", topics='["machine learning"]'),
        "3.txt": article("3", "https://p.com/3", topics='[" MACHINE LEARNING "]'),
    }
    con = build_tables(tmp_path, files)
    assert rows(
        con,
        "select f.title, t.topic_key, t.topic from staging.stg_article_topics as t"
        " join marts.fct_articles as f using (article_id) order by f.title",
    ) == [
        ("1", "machine learning", "Machine Learning"),
        ("2", "machine learning", "machine learning"),
        ("3", "machine learning", "MACHINE LEARNING"),
    ]
    assert rows(con, "select title, n_topics from marts.fct_articles order by 1") == [
        ("1", 1),
        ("2", 1),
        ("3", 1),
    ]
    # Each label on one article: the tie goes to the smallest label.
    assert rows(con, "select topic_key, topic, articles from marts.dim_topics") == [
        ("machine learning", "MACHINE LEARNING", 3)
    ]

    files["4.txt"] = article("4", "https://p.com/4", topics="[machine learning]")
    con = build_tables(tmp_path / "more", files)
    assert rows(con, "select topic_key, topic, articles from marts.dim_topics") == [
        ("machine learning", "machine learning", 4)
    ]


def test_provider_known_by_two_names_takes_its_most_frequent_name(tmp_path):
    reuters = "{{name: {}, domain: reuters.com}}"
    con = build_tables(
        tmp_path,
        {
            "r1.txt": article("r1", "https://reuters.com/1", provider=reuters.format("Reuters")),
            "r2.txt": article("r2", "https://reuters.com/2", provider=reuters.format("Reuters")),
            "r3.txt": article("r3", "https://reuters.com/3", provider=reuters.format("Reuters UK")),
            "r4.txt": article(
                "r4", "https://uk.reuters.com/4", provider="{domain: www.Reuters.COM}"
            ),
            "t1.txt": article("t1", "https://t.com/1", provider="{name: Zeta}"),
            "t2.txt": article("t2", "https://www.T.com/2", provider="{name: Alpha}"),
        },
    )
    assert rows(
        con, "select provider_domain, provider_name, articles from marts.dim_providers order by 1"
    ) == [("reuters.com", "Reuters", 4), ("t.com", "Alpha", 2)]


def test_quantiles_are_continuous_over_rated_articles(tmp_path):
    files = {
        f"{quality}.txt": article(
            str(quality),
            f"https://q.com/{quality}",
            publishedDateTime="2021-06-15T12:00:00Z",
            quality=str(quality),
        )
        for quality in (10, 20, 30, 40)
    }
    files["unrated.txt"] = article("u", "https://q.com/u", publishedDateTime="2021-06-01")
    con = build_tables(tmp_path, files)
    # quantile_cont over 10, 20, 30, 40: position q * (n - 1), interpolated.
    assert rows(con, "select * from marts.quality_monthly") == [
        (
            date(2021, 6, 1),
            5,
            4,
            25.0,
            pytest.approx(13.0),
            25.0,
            pytest.approx(37.0),
            2,
            2,
            0,
            0,
            1,
        )
    ]
    assert rows(
        con,
        "select articles, rated_articles, median_quality from marts.provider_monthly",
    ) == [(5, 4, 25.0)]


@pytest.mark.parametrize(
    ("quality", "band"),
    [
        ("0", "low"),
        ("24", "low"),
        ("25", "medium"),
        ("49", "medium"),
        ("50", "high"),
        ("99", "high"),
        ("88.0", "high"),
        ("100", "top"),
        ("219", "top"),
        ("-3", None),
    ],
)
def test_quality_bands(tmp_path, quality, band):
    con = build_tables(tmp_path, {"a.txt": article("a", "https://p.com/a", quality=quality)})
    assert rows(con, "select quality_band from marts.fct_articles") == [(band,)]


def test_related_entries_of_the_winning_file_in_order(tmp_path):
    related = (
        "\n  - {title: 'One &amp; two', sourceUrl: 'https://www.R.com/one/?utm_medium=x',"
        " publishedDateTime: '2020-01-01T10:00:00+02:00', quality: 7, provider: {name: R}}"
        "\n  - {title: No url}"
        "\n  - {title: Two, sourceUrl: 'https://p.com/self'}"
    )
    con = build_tables(
        tmp_path,
        {
            "self.txt": (article("Self", "https://p.com/self", related=related), 2_000_000),
            "older.txt": (article("Older", "https://p.com/self", related="[{title: Z}]"), 1_000),
        },
    )
    SELF_ID = article_id("https://p.com/self")  # noqa: N806
    assert rows(
        con,
        "select position, related_url, related_article_id, related_title,"
        " related_provider_domain, related_provider_name, related_published_at, related_quality"
        " from staging.stg_related_articles order by position",
    ) == [
        (
            1,
            "https://r.com/one",
            article_id("https://r.com/one"),
            "One & two",
            "r.com",
            "R",
            datetime(2020, 1, 1, 8),
            7,
        ),
        (2, None, None, "No url", None, None, None, None),
        (3, "https://p.com/self", SELF_ID, "Two", "p.com", None, None, None),
    ]
    assert rows(con, "select n_related, n_images from marts.fct_articles") == [(3, 0)]
