"""An independent, pure-Polars computation of the warehouse's staging and mart tables.

It is written from the contract (section 2 of warehouse-contract.md) and the project's rules,
not from the SQL models, so that a build can be checked against a second opinion.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import polars as pl

_ID_LENGTH = 16


def expected_tables(raw: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The contract columns of every staging and mart table, computed from `raw.articles` rows."""
    winners = _winning_files(raw)
    stg_articles = _stg_articles(raw, winners)
    stg_topics = _stg_article_topics(winners)
    stg_related = _stg_related_articles(winners)
    fct = _fct_articles(winners, stg_topics)
    dim_topics = _dim_topics(stg_topics, fct)
    return {
        "staging.stg_articles": stg_articles,
        "staging.stg_article_topics": stg_topics,
        "staging.stg_related_articles": stg_related,
        "marts.fct_articles": fct,
        "marts.dim_providers": _dim_providers(fct, stg_articles),
        "marts.dim_topics": dim_topics,
        "marts.provider_monthly": _provider_monthly(fct),
        "marts.topic_monthly": _topic_monthly(fct, stg_topics, dim_topics),
        "marts.quality_monthly": _quality_monthly(fct),
        "marts.provider_topic": _provider_topic(fct, stg_topics),
        "marts.topic_pairs": _topic_pairs(fct, stg_topics),
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


def _fct_articles(winners: pl.DataFrame, stg_topics: pl.DataFrame) -> pl.DataFrame:
    """One row per article with its dates, provider, quality band and list sizes."""
    n_topics = stg_topics.group_by("article_id").agg(n_topics=pl.len().cast(pl.Int64))
    return winners.join(n_topics, on="article_id", how="left").select(
        "article_id",
        "published_at",
        published_date=pl.col("published_at").dt.date(),
        published_month=pl.col("published_at").dt.truncate("1mo").dt.date(),
        provider_domain=pl.col("provider_domain"),
        quality=pl.col("quality"),
        quality_band=_quality_band(),
        n_topics=pl.col("n_topics").fill_null(0),
        n_related=pl.col("related").list.len().cast(pl.Int64).fill_null(0),
        n_images=pl.col("images").list.len().cast(pl.Int64).fill_null(0),
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


def _dim_providers(fct: pl.DataFrame, stg_articles: pl.DataFrame) -> pl.DataFrame:
    """One row per provider domain, over all its articles, dated or not."""
    names = _most_frequent(stg_articles, "provider_domain", "provider_name")
    stats = fct.group_by("provider_domain").agg(
        _articles(),
        _rated_articles(),
        _avg_quality(),
        first_published_at=pl.col("published_at").min(),
        last_published_at=pl.col("published_at").max(),
    )
    return stats.join(names, on="provider_domain", how="left").select(
        "provider_domain",
        "provider_name",
        "articles",
        "rated_articles",
        "avg_quality",
        "first_published_at",
        "last_published_at",
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


def _month_totals(fct: pl.DataFrame) -> pl.DataFrame:
    """The number of dated articles in each month, over all providers and topics."""
    return _dated(fct).group_by("month").agg(month_articles=_articles())


def _share_of_articles() -> pl.Expr:
    """A group's articles over all the dated articles of its month."""
    return (pl.col("articles") / pl.col("month_articles")).alias("share_of_articles")


def _provider_monthly(fct: pl.DataFrame) -> pl.DataFrame:
    """One row per (month, provider) over dated articles."""
    return (
        _dated(fct)
        .group_by("month", "provider_domain")
        .agg(
            _articles(),
            _rated_articles(),
            _avg_quality(),
            _quality_quantile(0.5, "median_quality"),
        )
        .join(_month_totals(fct), on="month")
        .select(
            "month",
            "provider_domain",
            "articles",
            "rated_articles",
            "avg_quality",
            "median_quality",
            _share_of_articles(),
        )
    )


def _topic_monthly(
    fct: pl.DataFrame, stg_topics: pl.DataFrame, dim_topics: pl.DataFrame
) -> pl.DataFrame:
    """One row per (month, topic key) over dated articles."""
    return (
        _dated(fct)
        .join(stg_topics.select("article_id", "topic_key"), on="article_id")
        .group_by("month", "topic_key")
        .agg(
            _articles(),
            _avg_quality(),
            providers=pl.col("provider_domain").n_unique().cast(pl.Int64),
        )
        .join(_month_totals(fct), on="month")
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


def _quality_monthly(fct: pl.DataFrame) -> pl.DataFrame:
    """One row per month: the quality distribution of that month's dated articles."""
    return (
        _dated(fct)
        .group_by("month")
        .agg(
            _articles(),
            _rated_articles(),
            _avg_quality(),
            _quality_quantile(0.1, "p10_quality"),
            _quality_quantile(0.5, "median_quality"),
            _quality_quantile(0.9, "p90_quality"),
        )
        .select(
            "month",
            "articles",
            "rated_articles",
            "avg_quality",
            "p10_quality",
            "median_quality",
            "p90_quality",
        )
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
