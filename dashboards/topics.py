"""Topics: articles and share per topic over time, providers by topic, and topic pairs."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from .data import Warehouse
from .figures import figure, no_data, provider_labels, text
from .page import Chart, Column, Page, Table

SERIES_TOPICS = 10
HEATMAP_PROVIDERS = 20
HEATMAP_TOPICS = 20
PAIRS = 20


def build(warehouse: Warehouse) -> Page:
    """The Topics page."""
    pairs_threshold = min_pair_articles(warehouse.row("headline")["articles"])
    pairs = warehouse.frame("topic_pairs", top=PAIRS, min_articles=pairs_threshold)
    return Page(
        slug="topics",
        title="Topics",
        summary="What the coverage is about, and how topics travel together.",
        sections=[
            topic_lines(warehouse, "articles"),
            topic_lines(warehouse, "share_of_articles"),
            heatmap(warehouse),
            pair_bars(pairs, pairs_threshold),
            pair_table(pairs, pairs_threshold),
        ],
    )


def min_pair_articles(articles: int) -> int:
    """The fewest articles a pair needs to be ranked: 5, or 0.1% of articles when more."""
    return max(5, math.ceil(articles / 1000))


def topic_lines(warehouse: Warehouse, measure: str) -> Chart:
    """One line per leading topic: monthly articles, or monthly share of articles."""
    frame = warehouse.frame("topic_series", top=SERIES_TOPICS)
    share = measure == "share_of_articles"
    fig = figure(
        hovermode="x unified", yaxis_title="% of the month's articles" if share else "articles"
    )
    leaders = frame.unique("topic_key", maintain_order=True)
    for key, label in zip(leaders["topic_key"], text(leaders["topic"]), strict=True):
        series = frame.filter(pl.col("topic_key") == key)
        values = series[measure] * 100 if share else series[measure]
        fig.add_trace(
            go.Scatter(
                name=label,
                x=series["month"].to_list(),
                y=values.to_list(),
                mode="lines",
                hovertemplate="%{y:.1f}%" if share else "%{y:,}",
            )
        )
    if frame.is_empty():
        no_data(fig, "No dated articles with topics yet")
    if share:
        title, key = "Each topic's share of the month's articles", "topic-share"
        caption = (
            "marts.topic_monthly.share_of_articles: articles carrying the topic over all dated"
            " articles of the month (an article can carry several topics)."
        )
    else:
        title, key = "Articles per topic per month", "topic-articles"
        caption = "marts.topic_monthly.articles for the topics with the most articles."
    return Chart(
        key=key, title=f"{title} (top {SERIES_TOPICS})", figure=fig, caption=caption, wide=True
    )


def heatmap(warehouse: Warehouse) -> Chart:
    """Articles per leading provider and leading topic."""
    frame = warehouse.frame("provider_topic", providers=HEATMAP_PROVIDERS, topics=HEATMAP_TOPICS)
    providers = frame.unique("provider_domain", maintain_order=True)
    topics = frame.unique("topic_key", maintain_order=True)
    columns = topics.height or 1
    share = (frame["articles"] / frame["provider_articles"] * 100).to_list()
    details = [
        [articles, quality]
        for articles, quality in zip(frame["articles"], frame["avg_quality"], strict=True)
    ]
    fig = figure(height=max(380, 24 * providers.height + 160))
    fig.add_trace(
        go.Heatmap(
            z=[share[row : row + columns] for row in range(0, len(share), columns)],
            x=text(topics["topic"]),
            y=provider_labels(providers),
            customdata=[details[row : row + columns] for row in range(0, len(details), columns)],
            colorscale="Blues",
            colorbar={"title": {"text": "% of the<br>provider's<br>articles"}},
            hovertemplate="%{y} · %{x}<br>%{customdata[0]:,} articles (%{z:.1f}% of the"
            " provider's)<br>average quality %{customdata[1]:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(tickangle=-40, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    if frame.is_empty():
        no_data(fig, "No topics yet")
    return Chart(
        key="provider-topic",
        title=f"Providers × topics (top {HEATMAP_PROVIDERS} × top {HEATMAP_TOPICS})",
        figure=fig,
        caption="marts.provider_topic: the share of each provider's articles that carry each"
        " topic, for the providers and topics with the most articles.",
        wide=True,
    )


def pair_bars(pairs: pl.DataFrame, threshold: int) -> Chart:
    """The topic pairs with the highest lift, as horizontal bars."""
    labels = [
        f"{a} + {b}" for a, b in zip(text(pairs["topic_a"]), text(pairs["topic_b"]), strict=True)
    ]
    fig = figure(height=max(320, 26 * pairs.height + 80), xaxis_title="lift")
    fig.add_trace(
        go.Bar(
            x=pairs["lift"].to_list(),
            y=labels,
            orientation="h",
            marker_color="#7570b3",
            customdata=pairs["articles"].to_list(),
            hovertemplate="%{y}: lift %{x:.2f}, %{customdata:,} articles<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    if pairs.is_empty():
        no_data(fig, f"No topic pair has {threshold:,} articles yet")
    return Chart(
        key="topic-pairs",
        title=f"Strongest topic pairs (top {PAIRS} by lift)",
        figure=fig,
        caption=f"marts.topic_pairs with at least {threshold:,} articles carrying both topics;"
        " lift above 1 means they appear together more often than chance.",
    )


def pair_table(pairs: pl.DataFrame, threshold: int) -> Table:
    """The same pairs as a table."""
    return Table(
        key="topic-pairs-table",
        title="Topic pairs",
        columns=[
            Column("topic_a", "Topic"),
            Column("topic_b", "With topic"),
            Column("articles", "Articles", "int"),
            Column("lift", "Lift", "ratio"),
        ],
        rows=pairs.to_dicts(),
        wide=False,
        caption=f"Pairs with at least {threshold:,} articles, from marts.topic_pairs.",
    )
