"""Tests of the independent reference computation of the marts (tests/reference/)."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.reference.check import KEYS
from tests.reference.compare import assert_same_rows
from tests.reference.marts import STOP_WORDS, expected_tables, similar_titles, title_tokens

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


def test_fct_articles_files_topic_keys_and_provider_names() -> None:
    raw = _raw(
        _file("a/1.txt", "https://x.com/a", topics=["Zeta", "alpha", "ZETA", "Beta"],
              provider_name="Pee", provider_domain="p.com"),
        _file("a/2.txt", "https://x.com/a", provider_name="P", provider_domain="p.com",
              file_mtime=datetime(2023, 1, 1)),
        _file("a/3.txt", "https://x.com/a", file_mtime=datetime(2023, 1, 1)),
        _file("b.txt", "https://x.com/b", provider_name="P", provider_domain="p.com"),
        _file("c.txt", "https://x.com/c", provider_name=None, provider_domain="p.com"),
        _file("d.txt", "https://x.com/d", provider_name=None, provider_domain="q.com"),
    )  # fmt: skip
    tables = expected_tables(raw)
    fct = tables["marts.fct_articles"]
    a = _row(fct, article_id=_id("https://x.com/a"))
    # The winner is a/1.txt (latest mtime); three files describe the article.
    assert (a["source_path"], a["n_files"], a["provider_name"]) == ("a/1.txt", 3, "Pee")
    # Keys lowercased, distinct, sorted; the losing files' fields are not used.
    assert a["topic_keys"] == ["alpha", "beta", "zeta"]
    b = _row(fct, article_id=_id("https://x.com/b"))
    assert (b["source_path"], b["n_files"], b["topic_keys"]) == ("b.txt", 1, [])
    providers = tables["marts.dim_providers"]
    # p.com's articles carry "Pee", "P" and a NULL name: two names. q.com: none at all.
    assert _row(providers, provider_domain="p.com")["distinct_names"] == 2
    assert _row(providers, provider_domain="q.com")["distinct_names"] == 0


# The calendar


def test_calendar_fills_gap_months_and_marks_the_last_incomplete() -> None:
    jan, mar = datetime(2024, 1, 10), datetime(2024, 3, 31, 23)
    raw = _raw(
        _file("a.txt", "https://x.com/a", provider_domain="p.com", topics=["T"], quality=10,
              published_at=jan),
        _file("b.txt", "https://x.com/b", provider_domain="q.com", topics=["t"], quality=60,
              published_at=mar),
        _file("c.txt", "https://x.com/c", provider_domain="q.com", published_at=mar),
        _file("d.txt", "https://x.com/d", provider_domain="r.com", quality=30),
    )  # fmt: skip
    tables = expected_tables(raw)
    months = tables["marts.dim_months"].sort("month")
    feb = date(2024, 2, 1)
    assert months.rows() == [
        (date(2024, 1, 1), 1, True),
        (feb, 0, True),
        (date(2024, 3, 1), 2, False),
    ]
    quality = tables["marts.quality_monthly"].sort("month")
    assert quality["month"].to_list() == months["month"].to_list()
    empty = _row(quality, month=feb)
    assert (empty["articles"], empty["rated_articles"]) == (0, 0)
    assert [empty[c] for c in ("avg_quality", "p10_quality", "median_quality")] == [None] * 3
    bands = ["low_articles", "medium_articles", "high_articles", "top_articles"]
    assert [empty[c] for c in [*bands, "unrated_articles"]] == [0] * 5
    march = _row(quality, month=date(2024, 3, 1))
    assert [march[c] for c in [*bands, "unrated_articles"]] == [0, 0, 1, 0, 1]

    provider = tables["marts.provider_monthly"]
    # p.com from January through March; q.com from March only; r.com has no dated article.
    assert sorted(provider["provider_domain"].to_list()) == ["p.com"] * 3 + ["q.com"]
    p_feb = _row(provider, provider_domain="p.com", month=feb)
    assert (p_feb["articles"], p_feb["rated_articles"]) == (0, 0)
    assert (p_feb["avg_quality"], p_feb["median_quality"]) == (None, None)
    assert p_feb["share_of_articles"] is None  # February has no dated article at all
    p_mar = _row(provider, provider_domain="p.com", month=date(2024, 3, 1))
    assert (p_mar["articles"], p_mar["share_of_articles"]) == (0, 0.0)
    assert _row(provider, provider_domain="q.com")["share_of_articles"] == pytest.approx(1.0)

    topic = tables["marts.topic_monthly"].sort("month")
    assert topic["month"].to_list() == months["month"].to_list()
    assert topic["topic"].to_list() == ["T"] * 3  # the label in the empty month too
    assert topic["articles"].to_list() == [1, 0, 1]
    assert topic["providers"].to_list() == [1, 0, 1]
    assert topic["avg_quality"].to_list() == [10.0, None, 60.0]
    assert topic["share_of_articles"].to_list() == [1.0, None, 0.5]


def test_no_dated_article_means_an_empty_calendar() -> None:
    tables = expected_tables(_raw(_file("a.txt", "https://x.com/a")))
    for name in ("marts.dim_months", "marts.quality_monthly", "marts.provider_monthly"):
        assert tables[name].height == 0, name


# Stories: titles


def test_title_tokens() -> None:
    title = "The U.S. & AT&T's new_chip: Apple's 5G-ready iPhone 15 «Pro» — IS HERE"
    # Pieces: the u s at t s new chip apple s 5g ready iphone 15 pro is here; "the", "new"
    # are stop words, the rest under three characters.
    assert title_tokens(title) == {"chip", "apple", "ready", "iphone", "pro", "here"}
    # Letters and digits of any script are kept; "½" is a digit (No), "’" and "-" split.
    assert title_tokens("Citroën’s déjà-vu: ÄRGER in 東京都 x½y") == {
        "citroën", "déjà", "ärger", "東京都", "x½y",
    }  # fmt: skip
    # The title is already decoded: "&amp;" is text, and "amp" a token.
    assert title_tokens("Fish &amp; Chips") == {"fish", "amp", "chips"}
    assert title_tokens("It is on, and so: an AI") == set()
    assert title_tokens(None) == set()


def test_stop_words_are_the_contracts() -> None:
    contract = Path(__file__).parents[1] / "fixtures" / "warehouse-contract.md"
    text = " ".join(contract.read_text(encoding="utf-8").split())
    listed = re.search(r"these stop words are dropped: (.*?)\. ", text)
    assert listed is not None
    assert set(listed.group(1).split(", ")) == STOP_WORDS
    assert len(STOP_WORDS) == 42


def test_python_word_characters_are_letters_digits_and_underscore() -> None:
    # The reference splits on [\W_]: right only if \w is exactly \p{L}, \p{N} and "_".
    word = re.compile(r"\w")
    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(word.match(chr(code)))
        != (chr(code) == "_" or unicodedata.category(chr(code))[0] in "LN")
    ]
    assert differ == []


def test_similarity_is_at_least_two_fifths() -> None:
    two = frozenset({"apple", "chip"})
    assert similar_titles(two, two | {"c1x", "d1x", "e1x"})  # 2/5 exactly
    assert not similar_titles(two, two | {"c1x", "d1x", "e1x", "f1x"})  # 2/6
    assert similar_titles(frozenset({"apple"}), frozenset({"apple"}))
    assert not similar_titles(frozenset(), frozenset())
    assert not similar_titles(frozenset(), two)


# Stories: items, edges and components


_T0 = datetime(2024, 5, 1, 12, 0)
_HOUR = timedelta(hours=1)


def _entry(url: str | None, title: str | None, when: datetime | None, domain: str = "r.com"):
    """One `related` entry of a raw row."""
    return {"canonical_url": url, "title": title, "published_at": when, "provider_domain": domain}


def _stories(*rows: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The stories, story items and provider firsts of raw rows."""
    tables = expected_tables(_raw(*rows))
    return tables["marts.stories"], tables["marts.story_items"], tables["marts.provider_firsts"]


def _chain() -> list[dict[str, Any]]:
    """Articles A -> B -> C (each lists the next, a day later) and D, alone."""
    a, b, c = "https://z.com/apple", "https://b.com/apple", "https://y.com/apple"
    b_title, c_title = "Apple unveils a foldable iPhone", "Foldable iPhone: Apple unveils it"
    return [
        _file("a.txt", a, title="Apple unveils foldable iPhone in Paris", published_at=_T0,
              provider_domain="z.com", related=[_entry(b, b_title, _T0 + 24 * _HOUR)]),
        _file("b.txt", b, title=b_title, published_at=_T0 + 24 * _HOUR, provider_domain="b.com",
              related=[_entry(c, c_title, _T0 + 48 * _HOUR)]),
        _file("c.txt", c, title=c_title, published_at=_T0 + 48 * _HOUR, provider_domain="y.com"),
        _file("d.txt", "https://d.com/d", title="Tesla recalls chips", published_at=_T0,
              provider_domain="d.com"),
    ]  # fmt: skip


def test_a_chain_of_one_event_is_one_story_named_by_its_core() -> None:
    # Tokens: A {apple, unveils, foldable, iphone, paris}, B {apple, unveils, foldable,
    # iphone}, C the same as B: A-B 4/5, B-C 5/5, and A does not list C. B (two links) is the
    # core; A and C are within 0.4 of it and 24 h from it.
    rows = _chain()
    stories, items, _ = _stories(*rows)
    assert stories.height == 2
    chain = _id("https://b.com/apple")  # the smallest of the three URLs
    got = items.filter(story_id=chain).sort("published_at")
    assert got["canonical_url"].to_list() == [
        "https://z.com/apple",
        "https://b.com/apple",
        "https://y.com/apple",
    ]
    assert got["article_id"].to_list() == [_id(url) for url in got["canonical_url"]]
    assert got["is_first"].to_list() == [True, False, False]
    assert got["hours_after_first"].to_list() == [0.0, 24.0, 48.0]
    assert got["provider_domain"].to_list() == ["z.com", "b.com", "y.com"]
    assert got["is_core"].to_list() == [False, True, False]
    assert got["group_id"].to_list() == [chain] * 3
    story = _row(stories, story_id=chain)
    assert story == {
        "story_id": chain,
        "title": "Apple unveils a foldable iPhone",
        "first_published_at": _T0,
        "last_published_at": _T0 + 48 * _HOUR,
        "first_provider_domain": "z.com",
        "first_date_only": False,
        "items": 3,
        "articles": 3,
        "providers": 3,
        "span_hours": 48.0,
    }
    alone = _row(items, canonical_url="https://d.com/d")
    assert (alone["story_id"], alone["is_first"], alone["hours_after_first"]) == (
        _id("https://d.com/d"),
        True,
        0.0,
    )
    d_story = _row(stories, story_id=_id("https://d.com/d"))
    assert (d_story["items"], d_story["providers"], d_story["span_hours"]) == (1, 1, 0.0)
    fct = expected_tables(_raw(*rows))["marts.fct_articles"]
    assert sorted(fct["story_id"].to_list()) == sorted([chain] * 3 + [_id("https://d.com/d")])


def test_a_related_only_item_takes_its_earliest_entry_from_any_article() -> None:
    r, x, y = "https://r.com/r", "https://x.com/x", "https://y.com/y"
    title = "Nvidia launches graphics card in Seoul"
    raw = [
        _file("x.txt", x, title=title, published_at=_T0, provider_domain="x.com", related=[
            _entry(r, "Nvidia launches graphics card", _T0 + _HOUR),  # 4/5: an edge
            _entry("https://r.com/other", "Tesla recalls chips", _T0 + _HOUR),  # no edge
            _entry(None, title, _T0),  # no URL
            _entry(x, title, _T0),  # its own URL
        ]),
        # Far in time and unlike in title: no edge, but the earliest entry pointing at r (its
        # title 4/7 from x's, so r stays with x).
        _file("y.txt", y, title="Weather", published_at=_T0 + 2400 * _HOUR,
              provider_domain="y.com",
              related=[_entry(r, "Nvidia launches graphics card, old copy", _T0 - 2 * _HOUR,
                              "o.com")]),
    ]  # fmt: skip
    stories, items, _ = _stories(*raw)
    assert sorted(items["canonical_url"].to_list()) == [r, x, y]
    story = _id(r)  # "https://r.com/r" < "https://x.com/x"
    item = _row(items, canonical_url=r)
    assert item == {
        "story_id": story,
        "canonical_url": r,
        "article_id": None,
        "title": "Nvidia launches graphics card, old copy",
        "provider_domain": "o.com",
        "published_at": _T0 - 2 * _HOUR,
        "date_only": False,
        "is_core": True,  # one link each: the earlier
        "group_id": story,
        "is_first": True,
        "hours_after_first": 0.0,
    }
    assert _row(items, canonical_url=x)["hours_after_first"] == 2.0
    row = _row(stories, story_id=story)
    assert (row["title"], row["first_provider_domain"], row["items"], row["articles"]) == (
        "Nvidia launches graphics card, old copy",
        "o.com",
        2,
        1,
    )
    assert (row["providers"], row["span_hours"]) == (2, 2.0)


def test_related_entry_ties_go_to_the_smallest_article_id_then_list_order() -> None:
    r = "https://r.com/r"
    y, z = "https://y.com/y", "https://z.com/z"
    assert _id(z) < _id(y)  # 09ea6102... < 53f030c4...
    late, early = _T0 + 2400 * _HOUR, _T0 - 2 * _HOUR
    raw = [
        _file("x.txt", "https://x.com/x", title="Nvidia graphics card", published_at=_T0,
              related=[_entry(r, "Nvidia graphics card", _T0)]),
        _file("y.txt", y, title="Y", published_at=late, related=[
            _entry(r, "undated", None), _entry(r, "Nvidia graphics card from y", early),
        ]),
        _file("z.txt", z, title="Z", published_at=late, related=[
            _entry(r, "undated", None), _entry(r, "Nvidia graphics card from z, first", early),
            _entry(r, "Nvidia graphics card from z, second", early),
        ]),
    ]  # fmt: skip
    _, items, _ = _stories(*raw)
    assert _row(items, canonical_url=r)["title"] == "Nvidia graphics card from z, first"


def test_an_edge_is_at_most_72_hours_either_way() -> None:
    p = "https://p.com/p"
    title = "Samsung recalls foldable phone"
    raw = [
        _file("p.txt", p, title=title, published_at=_T0, provider_domain="p.com", related=[
            _entry("https://q.com/1", title, _T0 + 72 * _HOUR),
            _entry("https://q.com/2", title, _T0 - 72 * _HOUR),
            _entry("https://q.com/3", title, _T0 + 72 * _HOUR + timedelta(microseconds=1)),
            _entry("https://q.com/4", title, None),
        ]),
        # No time on the article side: no edge either.
        _file("u.txt", "https://u.com/u", title=title, related=[
            _entry("https://q.com/5", title, _T0),
        ]),
    ]  # fmt: skip
    stories, items, _ = _stories(*raw)
    linked = items.filter(story_id=_id(p)).sort("canonical_url")
    # p (two links) is the core, q.com/1 and q.com/2 72 hours from it; the story keeps 96 hours
    # of them: q.com/2 to p, the earlier of two with two items. q.com/1, alone, is no item.
    assert linked["canonical_url"].to_list() == [p, "https://q.com/2"]
    assert linked["is_first"].to_list() == [False, True]
    assert linked["hours_after_first"].to_list() == [72.0, 0.0]
    assert _row(stories, story_id=_id(p))["span_hours"] == 72.0
    undated = _row(items, canonical_url="https://u.com/u")
    assert (undated["is_first"], undated["hours_after_first"]) == (True, None)
    u_story = _row(stories, story_id=_id("https://u.com/u"))
    assert (u_story["first_published_at"], u_story["span_hours"], u_story["items"]) == (
        None,
        None,
        1,
    )
    assert items.height == 3


def test_first_item_tie_and_an_undated_article_out_of_the_story() -> None:
    m, a, u = "https://m.com/b", "https://m.com/a", "https://u.com/u"
    title = "Sony delays PlayStation update"
    raw = [
        _file("m.txt", m, title=title, published_at=_T0, provider_domain="m.com", related=[
            _entry(a, title, _T0, "a.com"),  # the same time: the smaller URL is first
            _entry(u, title, _T0 + _HOUR),  # an article without a date of its own
        ]),
        _file("u.txt", u, title="Sony delays the PlayStation update", provider_domain="u.com"),
    ]  # fmt: skip
    stories, items, _ = _stories(*raw)
    assert items.height == 3
    assert _row(items, canonical_url=a)["is_first"]
    assert not _row(items, canonical_url=m)["is_first"]
    assert _row(items, canonical_url=m)["hours_after_first"] == 0.0
    undated = _row(items, canonical_url=u)
    # The item shows the article's own fields: no date, so it is within no 96 hours of the core
    # (m) and is a story of its own, in m's group.
    assert (undated["article_id"], undated["published_at"]) == (_id(u), None)
    assert (undated["story_id"], undated["is_first"]) == (_id(u), True)
    assert undated["group_id"] == _id(a)
    story = _row(stories, story_id=_id(a))
    assert (story["items"], story["articles"], story["providers"]) == (2, 1, 2)
    assert (story["first_published_at"], story["last_published_at"]) == (_T0, _T0)
    assert story["span_hours"] == 0.0


def test_provider_firsts_over_stories_of_two_providers_or_more() -> None:
    t1 = _T0 + 1000 * _HOUR
    e_title = "Intel opens chip factory in Texas"
    raw = _chain() + [
        # Story 2: b.com first; y.com twice (6 and 10 hours after); k.com without a date.
        _file("e.txt", "https://b.com/e", title=e_title, published_at=t1,
              provider_domain="b.com", related=[
                  _entry("https://y.com/f", e_title, t1 + 6 * _HOUR, "y.com"),
                  _entry("https://y.com/g", e_title, t1 + 10 * _HOUR, "y.com"),
                  _entry("https://k.com/k", e_title, t1 + _HOUR, "k.com"),
              ]),
        _file("k.txt", "https://k.com/k", title=e_title, provider_domain="k.com"),
        # Story 3 has one provider: it does not count. (Weeks later: at t1, its title would link
        # it to story 2.)
        _file("h.txt", "https://h.com/h", title=e_title, published_at=t1 + 500 * _HOUR,
              provider_domain="h.com", related=[
                  _entry("https://h.com/i", e_title, t1 + 499 * _HOUR, "h.com"),
              ]),
    ]  # fmt: skip
    stories, _, firsts = _stories(*raw)
    assert _row(stories, story_id=_id("https://h.com/h"))["providers"] == 1
    got = {row["provider_domain"]: row for row in firsts.iter_rows(named=True)}
    # k.com's undated article is a story of its own: of one provider, it does not count.
    assert set(got) == {"z.com", "b.com", "y.com"}
    expected = {
        # (stories, stories_first, first_share, median_hours_after_first)
        "z.com": (1, 1, 1.0, 0.0),
        "b.com": (2, 1, 0.5, 12.0),  # 24 in the chain, 0 in story 2
        "y.com": (2, 0, 0.0, 27.0),  # 48 in the chain, min(6, 10) in story 2
    }
    for domain, values in expected.items():
        row = got[domain]
        assert (
            row["stories"],
            row["stories_first"],
            row["first_share"],
            row["median_hours_after_first"],
        ) == values, domain


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
