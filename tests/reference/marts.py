"""An independent, pure-Polars computation of the warehouse's staging and mart tables.

It is written from the contract (section 2 of warehouse-contract.md) and the project's rules,
not from the SQL models, so that a build can be checked against a second opinion.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

_ID_LENGTH = 16
# Stories: the longest distance between the two sides of an edge, and the least similarity
# as a fraction (Jaccard >= 2/5 is tested as 5 * shared >= 2 * union, in integers).
_EDGE_WINDOW = timedelta(hours=72)
_SIMILARITY_NUMERATOR, _SIMILARITY_DENOMINATOR = 2, 5
# Two articles are linked by their titles alone within 12 hours when their token sets are at
# most one token apart (one has it, the other not) at a Jaccard index of at least 0.8; a
# story holds items within 96 hours of its core, and spans 96 hours at most.
_TITLE_LINK_WINDOW = timedelta(hours=12)
_TITLE_LINK_NUMERATOR, _TITLE_LINK_DENOMINATOR = 4, 5
_STORY_SPAN = timedelta(hours=96)
_MIN_TOKEN = 3
# The contract's stop words, in its order.
# fmt: off
STOP_WORDS = frozenset({
    "about", "after", "all", "and", "are", "but", "can", "could", "for", "from", "had", "has",
    "have", "how", "into", "its", "more", "most", "new", "not", "now", "one", "our", "out",
    "over", "said", "says", "than", "that", "the", "their", "this", "two", "was", "were",
    "what", "who", "why", "will", "with", "you", "your"
})
# fmt: on
# Python's \w is a Unicode letter or digit, or "_": so [\W_] is "not a letter or a digit"
# (tests/unit/test_reference_marts.py checks the two agree on every code point).
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_HOUR = 3.6e9


def expected_tables(
    raw: pl.DataFrame, known_kinds: dict[str, str] | None = None
) -> dict[str, pl.DataFrame]:
    """The contract columns of every staging and mart table, computed from `raw.articles` rows
    and the outlets of known kind (`seeds.provider_kinds`: domain -> kind), an input as raw is."""
    winners = _winning_files(raw)
    stg_articles = _stg_articles(raw, winners)
    stg_topics = _stg_article_topics(winners)
    stg_related = _stg_related_articles(winners)
    story_items = _story_items(stg_articles, stg_related)
    stories = _stories(story_items)
    fct = _fct_articles(winners, stg_articles, stg_topics, story_items)
    dim_topics = _dim_topics(stg_topics, fct)
    dim_months = _dim_months(fct)
    dim_providers = _dim_providers(fct, stg_articles, known_kinds or {})
    return {
        "staging.stg_articles": stg_articles,
        "staging.stg_article_topics": stg_topics,
        "staging.stg_related_articles": stg_related,
        "intermediate.int_story_edges": _story_edges(stg_articles, stg_related),
        "marts.fct_articles": fct,
        "marts.dim_providers": dim_providers,
        "marts.dim_topics": dim_topics,
        "marts.dim_months": dim_months,
        "marts.agg_provider_months": _agg_provider_months(fct),
        "marts.agg_provider_topic_months": _agg_provider_topic_months(fct),
        "marts.provider_monthly": _provider_monthly(fct, dim_months),
        "marts.topic_monthly": _topic_monthly(fct, stg_topics, dim_topics, dim_months),
        "marts.quality_monthly": _quality_monthly(fct, dim_months),
        "marts.provider_topic": _provider_topic(fct, stg_topics),
        "marts.topic_pairs": _topic_pairs(fct, stg_topics),
        "marts.stories": stories,
        "marts.story_items": story_items,
        "marts.provider_firsts": _provider_firsts(
            stories, story_items, dim_providers, known_kinds or {}
        ),
    }


def article_id(canonical_url: str) -> str:
    """The first 16 hex characters of the SHA-256 of the URL's UTF-8 bytes."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:_ID_LENGTH]


def _python_map(expr: pl.Expr, function: Callable[[str], str]) -> pl.Expr:
    """A string expression mapped element-wise through a Python function, nulls kept."""
    # Python's own semantics (hashlib, str.lower) are the rule, not Polars' equivalents.
    return expr.map_batches(
        lambda s: pl.Series(s.name, [None if v is None else function(v) for v in s], pl.String),
        return_dtype=pl.String,
        is_elementwise=True,
    )


def _winning_files(raw: pl.DataFrame) -> pl.DataFrame:
    """One raw row per canonical_url: the latest file_mtime, then the greatest source_path."""
    return (
        raw.sort(["file_mtime", "source_path"], descending=True)
        .unique(subset="canonical_url", keep="first", maintain_order=True)
        .with_columns(article_id=_python_map(pl.col("canonical_url"), article_id))
    )


def _stg_articles(raw: pl.DataFrame, winners: pl.DataFrame) -> pl.DataFrame:
    """One row per article, taken from its winning file, with the other files listed."""
    others = (
        raw.select("canonical_url", other=pl.col("source_path"))
        .join(winners.select("canonical_url", winner=pl.col("source_path")), on="canonical_url")
        .group_by("canonical_url")
        .agg(duplicate_files=pl.col("other").filter(pl.col("other") != pl.col("winner")).sort())
    )
    return winners.join(others, on="canonical_url", how="left").select(
        "article_id",
        "canonical_url",
        "source_path",
        "duplicate_files",
        "title",
        "excerpt",
        "category",
        "type",
        "published_at",
        "quality",
        "heat",
        "is_published",
        "provider_domain",
        "provider_name",
    )


def _stg_article_topics(winners: pl.DataFrame) -> pl.DataFrame:
    """One row per (article, topic key), labelled by the key's first label in the article."""
    return (
        winners.select("article_id", topic=pl.col("topics"))
        .filter(pl.col("topic").list.len() > 0)
        .explode("topic")
        .filter(pl.col("topic").is_not_null())
        .with_columns(topic_key=_python_map(pl.col("topic"), str.lower))
        # explode keeps list order, so the first row of a key is its first label.
        .unique(subset=["article_id", "topic_key"], keep="first", maintain_order=True)
        .select("article_id", "topic_key", "topic")
    )


def _stg_related_articles(winners: pl.DataFrame) -> pl.DataFrame:
    """One row per entry of the winning file's related list, numbered from 1 in list order."""
    return (
        winners.select("article_id", "related")
        .filter(pl.col("related").list.len() > 0)
        .with_columns(position=pl.int_ranges(1, pl.col("related").list.len() + 1))
        .explode("related", "position")
        .select(
            "article_id",
            "position",
            related_url=pl.col("related").struct.field("canonical_url"),
            related_title=pl.col("related").struct.field("title"),
            related_provider_domain=pl.col("related").struct.field("provider_domain"),
            related_published_at=pl.col("related").struct.field("published_at"),
            related_quality=pl.col("related").struct.field("quality"),
        )
    )


def _quality_band() -> pl.Expr:
    """The quality band of an article: low, medium, high or top; null when unrated."""
    quality = pl.col("quality")
    return (
        pl.when(quality.is_null())
        .then(pl.lit(None, pl.String))
        .when(quality < 25)
        .then(pl.lit("low"))
        .when(quality < 50)
        .then(pl.lit("medium"))
        .when(quality < 100)
        .then(pl.lit("high"))
        .otherwise(pl.lit("top"))
    )


def _fct_articles(
    winners: pl.DataFrame,
    stg_articles: pl.DataFrame,
    stg_topics: pl.DataFrame,
    story_items: pl.DataFrame,
) -> pl.DataFrame:
    """One row per article with its dates, provider, files, topics, story and list sizes."""
    topics = stg_topics.group_by("article_id").agg(
        n_topics=pl.len().cast(pl.Int64), topic_keys=pl.col("topic_key").unique().sort()
    )
    files = stg_articles.select(
        "article_id", n_files=1 + pl.col("duplicate_files").list.len().cast(pl.Int64)
    )
    stories = story_items.filter(pl.col("article_id").is_not_null()).select(
        "article_id", "story_id"
    )
    no_keys = pl.lit([], dtype=pl.List(pl.String))
    return (
        winners.join(topics, on="article_id", how="left")
        .join(files, on="article_id", how="left")
        .join(stories, on="article_id", how="left")
        .select(
            "article_id",
            "published_at",
            published_date=pl.col("published_at").dt.date(),
            published_month=pl.col("published_at").dt.truncate("1mo").dt.date(),
            provider_domain=pl.col("provider_domain"),
            provider_name=pl.col("provider_name"),
            source_path=pl.col("source_path"),
            n_files=pl.col("n_files"),
            topic_keys=pl.col("topic_keys").fill_null(no_keys),
            story_id=pl.col("story_id"),
            quality=pl.col("quality"),
            quality_band=_quality_band(),
            n_topics=pl.col("n_topics").fill_null(0),
            n_related=pl.col("related").list.len().cast(pl.Int64).fill_null(0),
            n_images=pl.col("images").list.len().cast(pl.Int64).fill_null(0),
        )
    )


def _articles() -> pl.Expr:
    """The number of distinct articles in a group."""
    return pl.col("article_id").n_unique().cast(pl.Int64).alias("articles")


def _rated_articles() -> pl.Expr:
    """The number of articles in a group that carry a quality."""
    return pl.col("quality").count().cast(pl.Int64).alias("rated_articles")


def _avg_quality() -> pl.Expr:
    """The mean quality over a group's rated articles; null when none is rated."""
    return pl.col("quality").cast(pl.Float64).mean().alias("avg_quality")


def _quality_quantile(q: float, name: str) -> pl.Expr:
    """A continuous quantile (linear interpolation) of a group's rated qualities."""
    quality = pl.col("quality").drop_nulls().cast(pl.Float64)
    return quality.quantile(q, interpolation="linear").alias(name)


def _most_frequent(frame: pl.DataFrame, key: str, value: str) -> pl.DataFrame:
    """Per key, the most frequent non-null value; on a tie, the smallest."""
    return (
        frame.filter(pl.col(value).is_not_null())
        .group_by(key, value)
        .agg(count=pl.len())
        .sort(["count", value], descending=[True, False])
        .unique(subset=key, keep="first", maintain_order=True)
        .select(key, value)
    )


# A wire by its domain's name, and a press release by its URL's path.
_WIRE_DOMAIN = re.compile(r"newswire|presswire|pressrelease|prweb|prlog")
_RELEASE_URL = re.compile(r"/(news|press)[-_]?releases?(/|$|\?)")


def _provider_kind(domain: str, names: int, releases: int, articles: int, known: dict) -> str:
    if domain in known:
        return known[domain]
    if _WIRE_DOMAIN.search(domain) or (releases > 0 and 2 * releases >= articles):
        return "wire"
    return "syndicator" if names >= 10 else "newsroom"


def _dim_providers(
    fct: pl.DataFrame, stg_articles: pl.DataFrame, known_kinds: dict[str, str]
) -> pl.DataFrame:
    """One row per provider domain, over all its articles, dated or not."""
    names = _most_frequent(stg_articles, "provider_domain", "provider_name")
    stats = fct.group_by("provider_domain").agg(
        _articles(),
        _rated_articles(),
        _avg_quality(),
        first_published_at=pl.col("published_at").min(),
        last_published_at=pl.col("published_at").max(),
        distinct_names=pl.col("provider_name").drop_nulls().n_unique().cast(pl.Int64),
    )
    releases = Counter(
        row["provider_domain"]
        for row in stg_articles.iter_rows(named=True)
        if _RELEASE_URL.search(row["canonical_url"].lower())
    )
    kinds = pl.DataFrame(
        [
            {
                "provider_domain": row["provider_domain"],
                "provider_kind": _provider_kind(
                    row["provider_domain"],
                    row["distinct_names"],
                    releases[row["provider_domain"]],
                    row["articles"],
                    known_kinds,
                ),
            }
            for row in stats.iter_rows(named=True)
        ],
        schema={"provider_domain": pl.String, "provider_kind": pl.String},
    )
    return (
        stats.join(names, on="provider_domain", how="left")
        .join(kinds, on="provider_domain", how="left")
        .select(
            "provider_domain",
            "provider_name",
            "distinct_names",
            "provider_kind",
            "articles",
            "rated_articles",
            "avg_quality",
            "first_published_at",
            "last_published_at",
        )
    )


def _dim_topics(stg_topics: pl.DataFrame, fct: pl.DataFrame) -> pl.DataFrame:
    """One row per topic key, over all the articles carrying it."""
    labels = _most_frequent(stg_topics, "topic_key", "topic")
    stats = (
        stg_topics.join(fct.select("article_id", "quality"), on="article_id")
        .group_by("topic_key")
        .agg(_articles(), _avg_quality())
    )
    return stats.join(labels, on="topic_key", how="left").select(
        "topic_key", "topic", "articles", "avg_quality"
    )


def _dated(fct: pl.DataFrame) -> pl.DataFrame:
    """The dated articles, with their month."""
    return fct.filter(pl.col("published_at").is_not_null()).with_columns(
        month=pl.col("published_month")
    )


def _dim_months(fct: pl.DataFrame) -> pl.DataFrame:
    """Every month from the first to the last month of a dated article, gaps included."""
    dated = _dated(fct)
    if dated.is_empty():
        return pl.DataFrame(
            schema={"month": pl.Date, "articles": pl.Int64, "is_complete": pl.Boolean}
        )
    first, last = dated["month"].min(), dated["month"].max()
    months = pl.DataFrame({"month": pl.date_range(first, last, "1mo", eager=True)})
    counts = dated.group_by("month").agg(_articles())
    return months.join(counts, on="month", how="left").select(
        "month",
        articles=pl.col("articles").fill_null(0),
        # The month of the latest published_at may still be receiving articles.
        is_complete=pl.col("month") < last,
    )


def _month_totals(dim_months: pl.DataFrame) -> pl.DataFrame:
    """The number of dated articles in each calendar month (0 in a gap month)."""
    return dim_months.select("month", month_articles=pl.col("articles"))


def _share_of_articles() -> pl.Expr:
    """A group's articles over all the dated articles of its month; null when the month has none."""
    return (
        pl.when(pl.col("month_articles") > 0)
        .then(pl.col("articles") / pl.col("month_articles"))
        .otherwise(pl.lit(None, pl.Float64))
        .alias("share_of_articles")
    )


def _dense_months(
    dated: pl.DataFrame, key: str, groups: pl.DataFrame, dim_months: pl.DataFrame
) -> pl.DataFrame:
    """The group's rows on every month from its first dated month to the calendar's last.

    `dated` holds (key, month) of the group's dated articles; `groups` its statistics per
    (month, key). Months without an article get 0 counts and null statistics.
    """
    starts = dated.group_by(key).agg(start=pl.col("month").min())
    grid = (
        starts.join(_month_totals(dim_months), how="cross")
        .filter(pl.col("month") >= pl.col("start"))
        .drop("start")
    )
    counts = [c for c in ("articles", "rated_articles", "providers") if c in groups.columns]
    return grid.join(groups, on=["month", key], how="left").with_columns(
        pl.col(counts).fill_null(0)
    )


def _provider_monthly(fct: pl.DataFrame, dim_months: pl.DataFrame) -> pl.DataFrame:
    """One row per (month, provider) from the provider's first dated month to the last month."""
    dated = _dated(fct)
    groups = dated.group_by("month", "provider_domain").agg(
        _articles(),
        _rated_articles(),
        _avg_quality(),
        _quality_quantile(0.5, "median_quality"),
    )
    return _dense_months(dated, "provider_domain", groups, dim_months).select(
        "month",
        "provider_domain",
        "articles",
        "rated_articles",
        "avg_quality",
        "median_quality",
        _share_of_articles(),
    )


def _topic_monthly(
    fct: pl.DataFrame,
    stg_topics: pl.DataFrame,
    dim_topics: pl.DataFrame,
    dim_months: pl.DataFrame,
) -> pl.DataFrame:
    """One row per (month, topic key) from the topic's first dated month to the last month."""
    dated = _dated(fct).join(stg_topics.select("article_id", "topic_key"), on="article_id")
    groups = dated.group_by("month", "topic_key").agg(
        _articles(),
        _avg_quality(),
        providers=pl.col("provider_domain").n_unique().cast(pl.Int64),
    )
    return (
        _dense_months(dated, "topic_key", groups, dim_months)
        .join(dim_topics.select("topic_key", "topic"), on="topic_key", how="left")
        .select(
            "month",
            "topic_key",
            "topic",
            "articles",
            "avg_quality",
            "providers",
            _share_of_articles(),
        )
    )


def _band_count(band: str | None, name: str) -> pl.Expr:
    """The number of a group's articles in a quality band (band None: the unrated)."""
    in_band = pl.col("quality").is_null() if band is None else _quality_band() == band
    return pl.col("article_id").filter(in_band).n_unique().cast(pl.Int64).alias(name)


def _quality_monthly(fct: pl.DataFrame, dim_months: pl.DataFrame) -> pl.DataFrame:
    """One row per calendar month: the quality distribution of that month's dated articles."""
    bands = {
        "low_articles": "low",
        "medium_articles": "medium",
        "high_articles": "high",
        "top_articles": "top",
        "unrated_articles": None,
    }
    months = (
        _dated(fct)
        .group_by("month")
        .agg(
            _rated_articles(),
            _avg_quality(),
            _quality_quantile(0.1, "p10_quality"),
            _quality_quantile(0.5, "median_quality"),
            _quality_quantile(0.9, "p90_quality"),
            *(_band_count(band, name) for name, band in bands.items()),
        )
    )
    return dim_months.join(months, on="month", how="left").select(
        "month",
        "articles",
        pl.col("rated_articles").fill_null(0),
        "avg_quality",
        "p10_quality",
        "median_quality",
        "p90_quality",
        *(pl.col(name).fill_null(0) for name in bands),
    )


def _cube_measures() -> list[pl.Expr]:
    """The additive measures of a cube cell, each counted or summed over its articles."""
    bands = {"low_articles": "low", "medium_articles": "medium", "high_articles": "high"}
    return [
        pl.len().cast(pl.Int64).alias("articles"),
        _rated_articles(),
        pl.col("quality").sum().cast(pl.Int64).alias("quality_sum"),
        *(_band_count(band, name) for name, band in bands.items()),
        _band_count("top", "top_articles"),
        _band_count(None, "unrated_articles"),
    ]


def _agg_provider_months(fct: pl.DataFrame) -> pl.DataFrame:
    """One row per (month, provider) holding dated articles: counts and sums."""
    return _dated(fct).group_by("month", "provider_domain").agg(*_cube_measures())


def _agg_provider_topic_months(fct: pl.DataFrame) -> pl.DataFrame:
    """One row per (month, provider, topic key) holding dated articles: counts and sums."""
    return (
        _dated(fct)
        .explode("topic_keys")
        .rename({"topic_keys": "topic_key"})
        .filter(pl.col("topic_key").is_not_null())
        .group_by("month", "provider_domain", "topic_key")
        .agg(*_cube_measures())
    )


def _provider_topic(fct: pl.DataFrame, stg_topics: pl.DataFrame) -> pl.DataFrame:
    """One row per (provider, topic key), over all articles, dated or not."""
    return (
        fct.join(stg_topics.select("article_id", "topic_key"), on="article_id")
        .group_by("provider_domain", "topic_key")
        .agg(_articles(), _avg_quality())
        .select("provider_domain", "topic_key", "articles", "avg_quality")
    )


def _topic_pairs(fct: pl.DataFrame, stg_topics: pl.DataFrame) -> pl.DataFrame:
    """One row per pair of topic keys carried together, with its lift over all articles."""
    n = fct.height
    keys = stg_topics.select("article_id", "topic_key")
    per_key = keys.group_by("topic_key").agg(n=_articles())
    pairs = (
        keys.rename({"topic_key": "topic_key_a"})
        .join(keys.rename({"topic_key": "topic_key_b"}), on="article_id")
        .filter(pl.col("topic_key_a") < pl.col("topic_key_b"))
        .group_by("topic_key_a", "topic_key_b")
        .agg(_articles())
        .join(per_key.rename({"topic_key": "topic_key_a", "n": "n_a"}), on="topic_key_a")
        .join(per_key.rename({"topic_key": "topic_key_b", "n": "n_b"}), on="topic_key_b")
    )
    share = pl.col("articles") / n
    share_a, share_b = pl.col("n_a") / n, pl.col("n_b") / n
    return pairs.select("topic_key_a", "topic_key_b", "articles", lift=share / (share_a * share_b))


# Stories: plain Python over rows, obviously correct rather than fast.


def title_tokens(title: str | None) -> frozenset[str]:
    """A title's tokens: lowercased, split on non-letters/digits, short and stop words dropped."""
    if title is None:
        return frozenset()
    pieces = _NOT_LETTER_OR_DIGIT.split(title.lower())
    return frozenset(p for p in pieces if len(p) >= _MIN_TOKEN and p not in STOP_WORDS)


def similar_titles(
    a: frozenset[str],
    b: frozenset[str],
    numerator: int = _SIMILARITY_NUMERATOR,
    denominator: int = _SIMILARITY_DENOMINATOR,
) -> bool:
    """Whether the Jaccard index of two token sets is at least numerator / denominator (0.4
    unless told; two sets sharing nothing: no)."""
    shared = len(a & b)
    return shared > 0 and denominator * shared >= numerator * len(a | b)


def story_id(urls: Iterable[str]) -> str:
    """The story's id: article_id of its smallest canonical URL, compared as UTF-8 bytes."""
    return article_id(min(urls, key=lambda url: url.encode("utf-8")))


class _Components:
    """Union-find over hashable nodes: which nodes the edges added so far connect."""

    def __init__(self) -> None:
        # Each node's parent; a component's root is its own parent.
        self.parent: dict[str, str] = {}

    def add(self, node: str) -> None:
        """Make `node` a node (a component of its own if it is new)."""
        self.parent.setdefault(node, node)

    def root(self, node: str) -> str:
        """The root of `node`'s component (halving the path on the way up)."""
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: str, b: str) -> None:
        """Add the edge a-b: their two components become one."""
        self.add(a)
        self.add(b)
        self.parent[self.root(a)] = self.root(b)

    def groups(self) -> list[list[str]]:
        """Every component, as a list of its nodes."""
        found: dict[str, list[str]] = {}
        for node in self.parent:
            found.setdefault(self.root(node), []).append(node)
        return list(found.values())


@dataclass(frozen=True)
class _Item:
    """What a story item shows: its article (None when known only from related lists)."""

    article_id: str | None
    title: str | None
    provider_domain: str | None
    published_at: datetime | None


def _is_edge(article: dict, entry: dict) -> bool:
    """Whether an article and an entry of its related list are the same story."""
    a, b = article["published_at"], entry["related_published_at"]
    if a is None or b is None or abs(a - b) > _EDGE_WINDOW:
        return False
    return similar_titles(title_tokens(article["title"]), title_tokens(entry["related_title"]))


def _link_rows(articles: dict[str, dict], entries: list[dict]) -> set[tuple[str, str, str]]:
    """Every link from the side of the article that makes it: (article URL, linked URL, kind),
    related-list edges once and title links from both articles."""
    by_id = {row["article_id"]: row for row in articles.values()}
    rows = set()
    for entry in entries:
        article = by_id[entry["article_id"]]
        url = entry["related_url"]
        if url is None or url == article["canonical_url"]:
            continue
        if _is_edge(article, entry):
            rows.add((article["canonical_url"], url, "related"))
    # Title links: articles at most 12 h apart, compared in time order, whose token sets are
    # the same or one token apart, with a Jaccard index of at least 0.8.
    timed = sorted(
        (row["published_at"], url, title_tokens(row["title"]))
        for url, row in articles.items()
        if row["published_at"] is not None
    )
    for i, (when, url, tokens) in enumerate(timed):
        for later, other, other_tokens in timed[i + 1 :]:
            if later - when > _TITLE_LINK_WINDOW:
                break
            one_apart = len(tokens ^ other_tokens) <= 1
            if one_apart and similar_titles(
                tokens, other_tokens, _TITLE_LINK_NUMERATOR, _TITLE_LINK_DENOMINATOR
            ):
                rows.update({(url, other, "title"), (other, url, "title")})
    return rows


def _story_edges(stg_articles: pl.DataFrame, stg_related: pl.DataFrame) -> pl.DataFrame:
    """intermediate.int_story_edges: one row per link, from the article that makes it."""
    articles = {row["canonical_url"]: row for row in stg_articles.iter_rows(named=True)}
    rows = sorted(_link_rows(articles, list(stg_related.iter_rows(named=True))))
    schema = {"canonical_url": pl.String, "linked_url": pl.String, "kind": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _links(articles: dict[str, dict], entries: list[dict]) -> set[tuple[str, str]]:
    """Every link as a pair of URLs (smaller first)."""
    return {
        tuple(sorted((source, target), key=str.encode))
        for source, target, _ in _link_rows(articles, entries)
    }


def _window(members: list[str], core: str, items: dict[str, _Item]) -> list[str]:
    """The members within the 96 hours that hold the core and the most members (tie: the
    earliest such 96 hours)."""
    times = sorted(items[url].published_at for url in members)
    if times[-1] - times[0] <= _STORY_SPAN:
        return members
    core_time = items[core].published_at
    best = max(
        (start for start in times if start <= core_time <= start + _STORY_SPAN),
        key=lambda start: (
            sum(start <= t <= start + _STORY_SPAN for t in times),
            -start.timestamp(),
        ),
    )
    return [url for url in members if best <= items[url].published_at <= best + _STORY_SPAN]


def _core_rank(url: str, degree: Counter[str], items: dict[str, _Item]) -> tuple:
    """The order a group's core is the first of: most links, earliest time, smallest URL."""
    when = items[url].published_at
    return (-degree[url], when is None, when or datetime.min, url.encode())


def _cut(links: set[tuple[str, str]], items: dict[str, _Item]) -> tuple[dict, dict]:
    """Each linked URL's core and group: the groups (components of the links) cut into stories
    in rounds around their cores, as the contract's Stories section says."""
    groups: dict[str, str] = {}
    everything = _Components()
    for a, b in links:
        everything.join(a, b)
    for members in everything.groups():
        smallest = min(members, key=str.encode)
        groups.update(dict.fromkeys(members, smallest))
    core_of: dict[str, str] = {}
    alive = set(groups)
    while True:
        live = [(a, b) for a, b in links if a in alive and b in alive]
        if not live:
            break
        degree: Counter[str] = Counter()
        components = _Components()
        for a, b in live:
            degree[a] += 1
            degree[b] += 1
            components.join(a, b)
        for members in components.groups():
            core = min(members, key=lambda url: _core_rank(url, degree, items))
            home, tokens = items[core], title_tokens(items[core].title)
            close = [core] + [
                url
                for url in members
                if url != core
                and home.published_at is not None
                and items[url].published_at is not None
                and abs(items[url].published_at - home.published_at) <= _STORY_SPAN
                and similar_titles(title_tokens(items[url].title), tokens)
            ]
            for url in _window(close, core, items):
                core_of[url] = core
                alive.discard(url)
    core_of.update({url: url for url in alive})
    return core_of, groups


def _story_components(
    articles: dict[str, dict], entries: list[dict], items: dict[str, _Item]
) -> list[tuple[list[str], str, str]]:
    """The stories as (URLs, core URL, group URL): every article, and related URLs via links; a
    related-only URL the cut leaves alone is no item."""
    core_of, groups = _cut(_links(articles, entries), items)
    stories: dict[str, list[str]] = {}
    for url, core in core_of.items():
        stories.setdefault(core, []).append(url)
    for url in articles:
        if url not in core_of:
            stories[url] = [url]
            groups[url] = url
    return [
        (urls, core, groups[core])
        for core, urls in stories.items()
        if len(urls) > 1 or urls[0] in articles
    ]


def _items(articles: dict[str, dict], entries: list[dict]) -> dict[str, _Item]:
    """Per URL, its item fields: its article's, else its earliest related entry's."""

    def order(entry: dict) -> tuple:
        when = entry["related_published_at"]
        # NULLS LAST, then the smallest article_id, then the first in list order.
        return (when is None, when or datetime.min, entry["article_id"], entry["position"])

    items: dict[str, _Item] = {}
    for entry in sorted(entries, key=order, reverse=True):
        if entry["related_url"] is not None:
            items[entry["related_url"]] = _Item(
                None,
                entry["related_title"],
                entry["related_provider_domain"],
                entry["related_published_at"],
            )
    for url, row in articles.items():
        items[url] = _Item(
            row["article_id"], row["title"], row["provider_domain"], row["published_at"]
        )
    return items


def _hours(later: datetime | None, earlier: datetime | None) -> float | None:
    """Hours from `earlier` to `later` (exact microseconds over 3.6e9); None when either is."""
    if later is None or earlier is None:
        return None
    return ((later - earlier) // _MICROSECOND) / _MICROSECONDS_PER_HOUR


def _date_only(when: datetime | None) -> bool | None:
    """Whether a time is a date alone: exactly midnight (None when there is no time)."""
    return None if when is None else when == datetime.combine(when.date(), datetime.min.time())


def _first_url(urls: list[str], items: dict[str, _Item]) -> str:
    """The story's first item: the earliest with a time of day, then a date-only one, then an
    undated one; ties on the smallest URL bytes."""

    def order(url: str) -> tuple:
        when = items[url].published_at
        return (when is None, bool(_date_only(when)), when or datetime.min, url.encode("utf-8"))

    return min(urls, key=order)


def _story_items(stg_articles: pl.DataFrame, stg_related: pl.DataFrame) -> pl.DataFrame:
    """One row per (story, item URL), with the item's fields and its distance from the first."""
    articles = {row["canonical_url"]: row for row in stg_articles.iter_rows(named=True)}
    entries = list(stg_related.iter_rows(named=True))
    items = _items(articles, entries)
    rows = []
    for urls, core, group in _story_components(articles, entries, items):
        story, first_url = story_id(urls), _first_url(urls, items)
        first = items[first_url]
        for url in urls:
            item = items[url]
            rows.append(
                {
                    "story_id": story,
                    "canonical_url": url,
                    "article_id": item.article_id,
                    "title": item.title,
                    "provider_domain": item.provider_domain,
                    "published_at": item.published_at,
                    "date_only": _date_only(item.published_at),
                    "is_core": url == core,
                    "group_id": article_id(group),
                    "is_first": url == first_url,
                    "hours_after_first": _hours(item.published_at, first.published_at),
                }
            )
    schema = {
        "story_id": pl.String,
        "canonical_url": pl.String,
        "article_id": pl.String,
        "title": pl.String,
        "provider_domain": pl.String,
        "published_at": stg_articles.schema["published_at"],
        "date_only": pl.Boolean,
        "is_core": pl.Boolean,
        "group_id": pl.String,
        "is_first": pl.Boolean,
        "hours_after_first": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def _stories(story_items: pl.DataFrame) -> pl.DataFrame:
    """One row per story: its core's title, its first item's provider, its span and sizes."""
    rows = []
    for (story,), items in story_items.group_by("story_id"):
        first = items.filter(pl.col("is_first")).row(0, named=True)
        core = items.filter(pl.col("is_core")).row(0, named=True)
        times = [t for t in items["published_at"].to_list() if t is not None]
        domains = {d for d in items["provider_domain"].to_list() if d is not None}
        rows.append(
            {
                "story_id": story,
                "title": core["title"],
                "first_published_at": min(times, default=None),
                "last_published_at": max(times, default=None),
                "first_provider_domain": first["provider_domain"],
                "first_date_only": first["date_only"],
                "items": items.height,
                "articles": items["article_id"].count(),
                "providers": len(domains),
                "span_hours": _hours(max(times, default=None), min(times, default=None)),
            }
        )
    when = story_items.schema["published_at"]
    schema = {
        "story_id": pl.String,
        "title": pl.String,
        "first_published_at": when,
        "last_published_at": when,
        "first_provider_domain": pl.String,
        "first_date_only": pl.Boolean,
        "items": pl.Int64,
        "articles": pl.Int64,
        "providers": pl.Int64,
        "span_hours": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def _wilson_lower(first: int, stories: int, z: float = 1.96) -> float:
    """The lower bound of the Wilson score interval of first / stories."""
    p = first / stories
    centre = p + z * z / (2 * stories)
    spread = z * math.sqrt(p * (1 - p) / stories + z * z / (4 * stories * stories))
    return (centre - spread) / (1 + z * z / stories)


def _provider_firsts(
    stories: pl.DataFrame,
    story_items: pl.DataFrame,
    dim_providers: pl.DataFrame,
    known_kinds: dict[str, str],
) -> pl.DataFrame:
    """Per provider, over the stories of 2 providers or more: how often it has the first item,
    how far that can be trusted (Wilson's lower bound), and its place among its kind."""
    shared = stories.filter(pl.col("providers") >= 2).select("story_id", "first_provider_domain")
    per_story = (
        story_items.join(shared, on="story_id")
        .filter(pl.col("provider_domain").is_not_null())
        .group_by("provider_domain", "story_id")
        .agg(
            first=(pl.col("first_provider_domain") == pl.col("provider_domain")).any(),
            # Its earliest item with a time of day (or the first item); null when none.
            earliest=pl.col("hours_after_first")
            .filter(pl.col("is_first") | ~pl.col("date_only"))
            .min(),
        )
    )
    counted = per_story.group_by("provider_domain").agg(
        stories=pl.len().cast(pl.Int64),
        stories_first=pl.col("first").sum().cast(pl.Int64),
        median_hours_after_first=pl.col("earliest").drop_nulls().median(),
    )
    kinds = dict(zip(dim_providers["provider_domain"], dim_providers["provider_kind"], strict=True))
    rows = []
    for row in counted.iter_rows(named=True):
        domain = row["provider_domain"]
        kind = kinds.get(domain) or known_kinds.get(domain)
        if kind is None:
            kind = "wire" if _WIRE_DOMAIN.search(domain) else "newsroom"
        lower = _wilson_lower(row["stories_first"], row["stories"])
        rows.append({**row, "provider_kind": kind, "first_share_lower": lower})
    places: Counter = Counter()
    out = []
    for row in sorted(
        rows,
        key=lambda r: (
            r["provider_kind"],
            -r["first_share_lower"],
            -r["stories_first"],
            r["provider_domain"],
        ),
    ):
        places[row["provider_kind"]] += 1
        out.append({**row, "kind_rank": places[row["provider_kind"]]})
    schema = {
        "provider_domain": pl.String,
        "provider_kind": pl.String,
        "stories": pl.Int64,
        "stories_first": pl.Int64,
        "first_share": pl.Float64,
        "first_share_lower": pl.Float64,
        "kind_rank": pl.Int64,
        "median_hours_after_first": pl.Float64,
    }
    return pl.DataFrame(
        [{**r, "first_share": r["stories_first"] / r["stories"]} for r in out],
        schema=schema,
    )
