"""Topics: articles and share per topic over time, providers by topic, and topic pairs."""

from __future__ import annotations

import math

from .page import Page, Section

SERIES_TOPICS = 8  # lines: as many as the colour-blind-safe palette has colours
HEATMAP_PROVIDERS = 15
HEATMAP_TOPICS = 15
PAIRS = 20
PAIR_TOPICS = 20


def build(articles: int) -> Page:
    """The Topics page; `articles` sets how many articles a pair needs to be ranked."""
    return Page(
        slug="topics",
        title="Topics",
        summary="What the coverage is about, and how topics travel together.",
        sections=[
            series("topic-articles", "articles"),
            series("topic-share", "share"),
            heatmap(),
            pairs(min_pair_articles(articles)),
            Section(
                key="topic-table",
                kind="ranking",
                title="Topics",
                caption="Topics over the range, most articles first; a name opens its page.",
                query=("topic_ranking",),
                options={"dimension": "topic", "top": 500, "table": True},
                display="table",
                means=("topics",),
            ),
        ],
    )


def min_pair_articles(articles: int) -> int:
    """The fewest articles a pair needs to be ranked: 5, or 0.1% of articles when more."""
    return max(5, math.ceil(articles / 1000))


def series(key: str, measure: str) -> Section:
    """One line per leading topic: monthly articles, or monthly share of articles."""
    share = measure == "share"
    return Section(
        key=key,
        kind="series",
        title=(
            "Each topic's share of the month's articles"
            if share
            else "Articles per topic per month"
        )
        + f" (top {SERIES_TOPICS})",
        caption="Articles carrying each of the topics with the most articles in the range"
        + (", over the month's articles (an article can carry several topics)." if share else "."),
        query=("topic_series",),
        options={"dimension": "topic", "top": SERIES_TOPICS, "measure": measure},
        legend=True,
        means=("share", "thin") if share else ("thin",),
    )


def heatmap() -> Section:
    """Articles per leading provider and leading topic, as a share of the provider's."""
    return Section(
        key="provider-topic",
        kind="heatmap",
        title="Providers × topics",
        caption=f"The {HEATMAP_PROVIDERS} providers with the most articles in the range (or those"
        f" chosen) by the {HEATMAP_TOPICS} topics they carry most; fewer on a phone.",
        query=("heatmap",),
        options={
            "providers_n": HEATMAP_PROVIDERS,
            "topics_n": HEATMAP_TOPICS,
            # A phone's columns are about 25 px apart: at the labels' slant, more topics
            # would lay one label over the next beside a long provider name.
            "narrow": {"providers_n": 10, "topics_n": 5},
        },
        means=("heat",),
    )


def pairs(threshold: int) -> Section:
    """The topic pairs with the highest lift, as horizontal bars."""
    return Section(
        key="topic-pairs",
        kind="pairs",
        title=f"Strongest topic pairs (top {PAIRS} by lift)",
        caption=f"Pairs of the {PAIR_TOPICS} leading topics carried together by at least"
        f" {threshold:,} articles of the range.",
        query=("pairs",),
        options={
            "top": PAIRS,
            "min_articles": threshold,
            "pair_topics": PAIR_TOPICS,
        },
        means=("lift",),
    )
