"""Tests of the independent reference computation of the marts (tests/reference/)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest

from tests.reference.check import KEYS
from tests.reference.compare import assert_same_rows
from tests.reference.marts import expected_tables

_RELATED = pl.Struct(
    {
        "title": pl.String,
        "source_url": pl.String,
        "canonical_url": pl.String,
        "published_at": pl.Datetime("us"),
        "quality": pl.Int64,
        "provider_name": pl.String,
        "provider_domain": pl.String,
    }
)
_IMAGE = pl.Struct({"url": pl.String, "width": pl.Int64, "height": pl.Int64, "title": pl.String})
_RAW_SCHEMA = {
    "source_path": pl.String,
    "file_size": pl.Int64,
    "file_mtime": pl.Datetime("us"),
    "content_sha256": pl.String,
    "title": pl.String,
    "excerpt": pl.String,
    "category": pl.String,
    "type": pl.String,
    "source_url": pl.String,
    "source_url_key": pl.String,
    "canonical_url": pl.String,
    "published_at": pl.Datetime("us"),
    "quality": pl.Int64,
    "heat": pl.Int64,
    "is_published": pl.Boolean,
    "provider_name": pl.String,
    "provider_domain": pl.String,
    "topics": pl.List(pl.String),
    "images": pl.List(_IMAGE),
    "related": pl.List(_RELATED),
    "body_words": pl.Int64,
    "secured_sha256": pl.String,
    "front_matter": pl.String,
}
_MTIME = datetime(2024, 1, 1)


def _file(path: str, url: str, **fields: Any) -> dict[str, Any]:
    """One raw.articles row; fields not given are NULL or a plain default."""
    row: dict[str, Any] = dict.fromkeys(_RAW_SCHEMA)
    row.update(
        source_path=path,
        file_size=100,
        file_mtime=_MTIME,
        content_sha256="0" * 64,
        title=path,
        source_url=url,
        source_url_key=url,
        canonical_url=url,
        provider_domain="example.com",
        body_words=3,
        front_matter="{}",
    )
    row.update(fields)
    return row


def _raw(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=_RAW_SCHEMA)


def _id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _row(frame: pl.DataFrame, **key: Any) -> dict[str, Any]:
    """The one row of a frame matching a key."""
    matches = frame.filter(**key)
    assert matches.height == 1, matches
    return matches.row(0, named=True)


def test_dedup_winner_is_latest_mtime_then_greatest_path() -> None:
    late = datetime(2024, 2, 1)
    raw = _raw(
        _file("a/1.txt", "https://x.com/one", file_mtime=late, quality=10),
        _file("a/2.txt", "https://x.com/one", file_mtime=_MTIME, quality=20),
        # Same mtime: the greatest path wins ("b/9" > "b/10" by code point).
        _file("b/10.txt", "https://x.com/two", quality=30),
        _file("b/9.txt", "https://x.com/two", quality=40),
        _file("B/z.txt", "https://x.com/two", quality=50),
        _file("c.txt", "https://x.com/three"),
    )
    stg = expected_tables(raw)["staging.stg_articles"]
    assert stg.height == 3
    one = _row(stg, canonical_url="https://x.com/one")
    assert (one["article_id"], one["source_path"], one["quality"]) == (
        _id("https://x.com/one"),
        "a/1.txt",
        10,
    )
    assert one["duplicate_files"] == ["a/2.txt"]
    two = _row(stg, canonical_url="https://x.com/two")
    assert (two["source_path"], two["quality"]) == ("b/9.txt", 40)
    assert two["duplicate_files"] == ["B/z.txt", "b/10.txt"]
    assert _row(stg, canonical_url="https://x.com/three")["duplicate_files"] == []


def test_article_id_is_sha256_prefix_of_the_url() -> None:
    raw = _raw(_file("a.txt", "https://example.com/a"))
    stg = expected_tables(raw)["staging.stg_articles"]
    # From `printf %s https://example.com/a | sha256sum`, first 16 characters.
    assert stg["article_id"].to_list() == ["2dce0a4c50441bfc"]


def test_topics_keep_the_first_label_of_each_key() -> None:
    raw = _raw(
        _file("a.txt", "https://x.com/a", topics=["Tech", "AI", "tech", "TECH", "ai"]),
        _file("b.txt", "https://x.com/b", topics=[]),
        _file("c.txt", "https://x.com/c"),
        _file("d.txt", "https://x.com/d", topics=["tech"]),
        _file("e.txt", "https://x.com/e", topics=["tech"]),
    )
    tables = expected_tables(raw)
    topics = tables["staging.stg_article_topics"].sort("article_id", "topic_key")
    a = _id("https://x.com/a")
    assert _row(topics, article_id=a, topic_key="tech")["topic"] == "Tech"
    assert _row(topics, article_id=a, topic_key="ai")["topic"] == "AI"
    assert topics.height == 4
    fct = tables["marts.fct_articles"]
    assert _row(fct, article_id=a)["n_topics"] == 2
    assert _row(fct, article_id=_id("https://x.com/b"))["n_topics"] == 0
    # "tech" is written "tech" by two articles and "Tech" by one.
    dim = tables["marts.dim_topics"]
    assert _row(dim, topic_key="tech")["topic"] == "tech"
    assert _row(dim, topic_key="tech")["articles"] == 3


def test_related_entries_are_numbered_and_kept_when_url_is_null() -> None:
    entries = [
        {"title": "R1", "canonical_url": "https://r.com/1", "quality": 5},
        {"title": "R2", "canonical_url": None},
    ]
    raw = _raw(
        _file("a.txt", "https://x.com/a", related=entries, images=[{"url": "https://i/1"}] * 3),
        _file("b.txt", "https://x.com/b", related=[]),
    )
    tables = expected_tables(raw)
    related = tables["staging.stg_related_articles"].sort("position")
    assert related["position"].to_list() == [1, 2]
    assert related["related_url"].to_list() == ["https://r.com/1", None]
    assert related["related_title"].to_list() == ["R1", "R2"]
    assert related["related_quality"].to_list() == [5, None]
    fct = tables["marts.fct_articles"]
    a = _row(fct, article_id=_id("https://x.com/a"))
    assert (a["n_related"], a["n_images"]) == (2, 3)
    b = _row(fct, article_id=_id("https://x.com/b"))
    assert (b["n_related"], b["n_images"]) == (0, 0)


def test_month_is_the_utc_calendar_month() -> None:
    raw = _raw(
        _file("a.txt", "https://x.com/a", published_at=datetime(2024, 1, 31, 23, 59, 59)),
        _file("b.txt", "https://x.com/b", published_at=datetime(2024, 2, 1, 0, 0, 0)),
        _file("c.txt", "https://x.com/c"),
    )
    tables = expected_tables(raw)
    fct = tables["marts.fct_articles"]
    a = _row(fct, article_id=_id("https://x.com/a"))
    assert (a["published_date"], a["published_month"]) == (date(2024, 1, 31), date(2024, 1, 1))
    b = _row(fct, article_id=_id("https://x.com/b"))
    assert (b["published_date"], b["published_month"]) == (date(2024, 2, 1), date(2024, 2, 1))
    monthly = tables["marts.quality_monthly"].sort("month")
    assert monthly["month"].to_list() == [date(2024, 1, 1), date(2024, 2, 1)]
    assert monthly["articles"].to_list() == [1, 1]
    # The undated article is still a provider's article.
    assert tables["marts.dim_providers"]["articles"].to_list() == [3]


def test_quality_bands() -> None:
    qualities = [None, 0, 24, 25, 49, 50, 99, 100, 219]
    raw = _raw(
        *(_file(f"{i}.txt", f"https://x.com/{i}", quality=q) for i, q in enumerate(qualities))
    )
    fct = expected_tables(raw)["marts.fct_articles"]
    bands = {row["quality"]: row["quality_band"] for row in fct.iter_rows(named=True)}
    assert bands == {
        None: None,
        0: "low",
        24: "low",
        25: "medium",
        49: "medium",
        50: "high",
        99: "high",
        100: "top",
        219: "top",
    }


def test_quantiles_on_four_qualities() -> None:
    # Sorted 10, 20, 30, 70 (and one unrated): p at position (n - 1) * p = 3p, interpolated.
    # p10: 0.3 -> 10 + 0.3 * 10 = 13; median: 1.5 -> 25; p90: 2.7 -> 30 + 0.7 * 40 = 58.
    published = datetime(2024, 3, 15)
    qualities = [30, 10, 70, None, 20]
    raw = _raw(
        *(
            _file(f"{i}.txt", f"https://x.com/{i}", quality=q, published_at=published)
            for i, q in enumerate(qualities)
        )
    )
    tables = expected_tables(raw)
    month = _row(tables["marts.quality_monthly"], month=date(2024, 3, 1))
    assert (month["articles"], month["rated_articles"]) == (5, 4)
    assert month["avg_quality"] == pytest.approx(32.5)
    assert month["p10_quality"] == pytest.approx(13.0)
    assert month["median_quality"] == pytest.approx(25.0)
    assert month["p90_quality"] == pytest.approx(58.0)
    provider = _row(tables["marts.provider_monthly"], provider_domain="example.com")
    assert provider["median_quality"] == pytest.approx(25.0)
    assert provider["share_of_articles"] == pytest.approx(1.0)


def test_unrated_groups_have_null_statistics() -> None:
    raw = _raw(_file("a.txt", "https://x.com/a", published_at=datetime(2024, 3, 1)))
    month = expected_tables(raw)["marts.quality_monthly"].row(0, named=True)
    assert (month["articles"], month["rated_articles"]) == (1, 0)
    assert month["avg_quality"] is None
    assert month["median_quality"] is None
    assert month["p10_quality"] is None


def test_provider_monthly_share_and_provider_name() -> None:
    march = datetime(2024, 3, 2)
    raw = _raw(
        _file("a.txt", "https://x.com/a", provider_domain="p.com", provider_name="P",
              published_at=march),
        _file("b.txt", "https://x.com/b", provider_domain="p.com", provider_name="Pee",
              published_at=march),
        _file("c.txt", "https://x.com/c", provider_domain="q.com", published_at=march),
        _file("d.txt", "https://x.com/d", provider_domain="q.com"),
    )  # fmt: skip
    tables = expected_tables(raw)
    monthly = tables["marts.provider_monthly"]
    assert _row(monthly, provider_domain="p.com")["share_of_articles"] == pytest.approx(2 / 3)
    assert _row(monthly, provider_domain="q.com")["share_of_articles"] == pytest.approx(1 / 3)
    providers = tables["marts.dim_providers"]
    # One "P", one "Pee": a tie, so the smallest; q.com has no name at all.
    assert _row(providers, provider_domain="p.com")["provider_name"] == "P"
    q = _row(providers, provider_domain="q.com")
    assert (q["provider_name"], q["articles"]) == (None, 2)
    assert (q["first_published_at"], q["last_published_at"]) == (march, march)


def test_lift_on_three_articles() -> None:
    # N = 3; a: {x, y}, b: {x}, c: no topics. n_x = 2, n_y = 1, both = 1.
    # lift(x, y) = (1/3) / ((2/3) * (1/3)) = 1.5.
    raw = _raw(
        _file("a.txt", "https://x.com/a", topics=["y", "X"]),
        _file("b.txt", "https://x.com/b", topics=["x"]),
        _file("c.txt", "https://x.com/c"),
    )
    pairs = expected_tables(raw)["marts.topic_pairs"]
    assert pairs.height == 1
    pair = pairs.row(0, named=True)
    assert (pair["topic_key_a"], pair["topic_key_b"], pair["articles"]) == ("x", "y", 1)
    assert pair["lift"] == pytest.approx(1.5)


def test_topic_monthly_counts_providers_and_shares() -> None:
    may = datetime(2024, 5, 9)
    raw = _raw(
        _file("a.txt", "https://x.com/a", topics=["T"], provider_domain="p.com", quality=10,
              published_at=may),
        _file("b.txt", "https://x.com/b", topics=["t"], provider_domain="q.com", quality=30,
              published_at=may),
        _file("c.txt", "https://x.com/c", topics=["u"], provider_domain="q.com", published_at=may),
        _file("d.txt", "https://x.com/d", topics=["u"], provider_domain="q.com"),
    )  # fmt: skip
    tables = expected_tables(raw)
    t = _row(tables["marts.topic_monthly"], topic_key="t")
    # Labels "T" and "t" once each: the smallest, "T" (code point 84 < 116).
    assert (t["topic"], t["articles"], t["providers"]) == ("T", 2, 2)
    assert t["avg_quality"] == pytest.approx(20.0)
    assert t["share_of_articles"] == pytest.approx(2 / 3)
    u = _row(tables["marts.topic_monthly"], topic_key="u")
    assert (u["articles"], u["avg_quality"]) == (1, None)
    provider_topic = tables["marts.provider_topic"]
    assert _row(provider_topic, provider_domain="q.com", topic_key="u")["articles"] == 2


def test_every_table_is_keyed_uniquely() -> None:
    raw = _raw(
        _file(
            "a.txt", "https://x.com/a", topics=["x", "y", "z"], published_at=datetime(2024, 1, 2)
        ),
        _file("b.txt", "https://x.com/a", topics=["x"]),
        _file("c.txt", "https://x.com/c", topics=["y", "z"], published_at=datetime(2024, 1, 3)),
    )
    tables = expected_tables(raw)
    assert set(tables) == set(KEYS)
    for name, key in KEYS.items():
        assert not tables[name].select(key).is_duplicated().any(), name


# compare.py


def _frame(values: list[float | None], names: list[str] | None = None) -> pl.DataFrame:
    names = names or ["a", "b", "c"][: len(values)]
    return pl.DataFrame({"k": names, "v": values}, schema={"k": pl.String, "v": pl.Float64})


def test_compare_accepts_floats_within_tolerance_and_nulls() -> None:
    expected = _frame([1.0, 1e6, None])
    actual = _frame([1.0 + 1e-12, 1e6 * (1 + 5e-10), None]).with_columns(extra=pl.lit(1))
    assert_same_rows(actual.reverse(), expected, ["k"], "t")


def test_compare_rejects_changed_value_naming_the_key() -> None:
    expected = _frame([1.0, 2.0, 3.0])
    actual = _frame([1.0, 2.000001, 3.0])
    with pytest.raises(AssertionError) as error:
        assert_same_rows(actual, expected, ["k"], "marts.t")
    message = str(error.value)
    assert "marts.t" in message
    assert "1 of 3" in message
    assert "k='b'" in message
    assert "expected 2.0" in message


def test_compare_rejects_null_against_value() -> None:
    with pytest.raises(AssertionError, match="k='a'"):
        assert_same_rows(_frame([None]), _frame([0.0]), ["k"], "t")


def test_compare_is_exact_for_ints_strings_dates_and_lists() -> None:
    expected = pl.DataFrame(
        {
            "k": [1, 2],
            "n": [10, 20],
            "s": ["x", None],
            "d": [date(2024, 1, 1), date(2024, 2, 1)],
            "l": [["a"], []],
        }
    )
    assert_same_rows(expected.with_columns(pl.col("n").cast(pl.Int128)), expected, ["k"], "t")
    for column, value in [("n", 21), ("s", "y"), ("d", date(2024, 2, 2)), ("l", ["b"])]:
        changed = expected.with_columns(
            pl.when(pl.col("k") == 2).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
        )
        with pytest.raises(AssertionError, match=f"at \\(k=2\\):\n    {column}:"):
            assert_same_rows(changed, expected, ["k"], "t")


def test_compare_reports_missing_and_extra_keys() -> None:
    expected = _frame([1.0, 2.0], ["a", "b"])
    actual = _frame([1.0, 2.0], ["a", "z"])
    with pytest.raises(AssertionError) as error:
        assert_same_rows(actual, expected, ["k"], "t")
    message = str(error.value)
    assert "missing from actual: (k='b')" in message
    assert "unexpected in actual: (k='z')" in message


def test_compare_rejects_missing_column_and_repeated_key() -> None:
    expected = _frame([1.0])
    with pytest.raises(AssertionError, match="lacks columns"):
        assert_same_rows(expected.drop("v"), expected, ["k"], "t")
    with pytest.raises(AssertionError, match="repeats keys"):
        assert_same_rows(pl.concat([expected, expected]), expected, ["k"], "t")
