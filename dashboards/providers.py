"""Providers: the leaderboard, share of voice, quality by provider, and one provider's months."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from .data import Warehouse
from .figures import count_axis, figure, no_data, provider_labels
from .page import Chart, Column, Page, Table, count_note

LEADERBOARD_ROWS = 500
SHARE_PROVIDERS = 8
BOX_PROVIDERS = 15
SELECTOR_PROVIDERS = 25


def build(warehouse: Warehouse) -> Page:
    """The Providers page."""
    return Page(
        slug="providers",
        title="Providers",
        summary="Who publishes, how much, and how good it is.",
        sections=[
            leaderboard(warehouse),
            share_of_voice(warehouse),
            quality_boxes(warehouse),
            provider_selector(warehouse),
        ],
    )


def leaderboard(warehouse: Warehouse) -> Table:
    """Every provider (up to LEADERBOARD_ROWS), sortable by any column."""
    frame = warehouse.frame("provider_leaderboard", rows=LEADERBOARD_ROWS)
    total = warehouse.row("headline")["providers"]
    shown = count_note(frame.height, total, "providers")
    return Table(
        key="leaderboard",
        title="Provider leaderboard",
        columns=[
            Column("provider_name", "Provider"),
            Column("provider_domain", "Domain"),
            Column("articles", "Articles", "int"),
            Column("share_of_articles", "Share", "pct"),
            Column("rated_articles", "Rated", "int"),
            Column("avg_quality", "Average quality", "float"),
            Column("median_quality", "Median quality", "float"),
            Column("first_published_at", "First article", "datetime"),
            Column("last_published_at", "Last article", "datetime"),
        ],
        rows=frame.to_dicts(),
        caption=f"{shown}, most articles first, from marts.dim_providers. Click a heading to sort.",
    )


def share_of_voice(warehouse: Warehouse) -> Chart:
    """Each leading provider's share of the month's articles, the rest stacked as 'others'."""
    frame = warehouse.frame("provider_months", top=SHARE_PROVIDERS)
    months = warehouse.frame("quality_monthly").select("month")
    fig = figure(hovermode="x unified", yaxis_title="% of the month's articles")
    leaders = frame.unique("provider_domain", maintain_order=True)
    for label, domain in zip(provider_labels(leaders), leaders["provider_domain"], strict=True):
        series = months.join(
            frame.filter(pl.col("provider_domain") == domain), on="month", how="left"
        ).with_columns(pl.col("share_of_articles").fill_null(0.0))
        fig.add_trace(
            go.Scatter(
                name=label,
                x=series["month"].to_list(),
                y=(series["share_of_articles"] * 100).to_list(),
                stackgroup="share",
                mode="lines",
                line={"width": 0.5},
                hovertemplate="%{y:.1f}%",
            )
        )
    if leaders.height:
        shares = months.join(
            frame.group_by("month").agg(pl.col("share_of_articles").sum()), on="month", how="left"
        ).with_columns(pl.col("share_of_articles").fill_null(0.0))
        fig.add_trace(
            go.Scatter(
                name="all other providers",
                x=shares["month"].to_list(),
                y=((1 - shares["share_of_articles"]).clip(0, 1) * 100).to_list(),
                stackgroup="share",
                mode="lines",
                line={"width": 0.5, "color": "#cccccc"},
                hovertemplate="%{y:.1f}%",
            )
        )
    else:
        no_data(fig, "No dated articles yet")
    return Chart(
        key="share-of-voice",
        title=f"Share of voice: the {SHARE_PROVIDERS} leading providers",
        figure=fig,
        caption="marts.provider_monthly.share_of_articles per month for the providers with the"
        " most articles; the grey band is every other provider.",
        wide=True,
    )


def quality_boxes(warehouse: Warehouse) -> Chart:
    """Quality quartiles per provider as box plots, computed in the warehouse."""
    frame = warehouse.frame("provider_quality", top=BOX_PROVIDERS)
    fig = figure(yaxis_title="quality", showlegend=False)
    fig.add_trace(
        go.Box(
            x=provider_labels(frame),
            lowerfence=frame["min_quality"].to_list(),
            q1=frame["q1_quality"].to_list(),
            median=frame["median_quality"].to_list(),
            q3=frame["q3_quality"].to_list(),
            upperfence=frame["max_quality"].to_list(),
            mean=frame["avg_quality"].to_list(),
            boxmean=True,
            marker_color="#3b6ea8",
            name="quality",
        )
    )
    fig.update_xaxes(tickangle=-30, automargin=True)
    if frame.is_empty():
        no_data(fig, "No rated articles yet")
    return Chart(
        key="quality-by-provider",
        title=f"Quality by provider: the {BOX_PROVIDERS} with the most rated articles",
        figure=fig,
        caption="Quartiles of marts.fct_articles.quality per provider; whiskers reach the lowest"
        " and highest quality, the dashed line is the mean.",
        wide=True,
    )


def provider_selector(warehouse: Warehouse) -> Chart:
    """One provider's monthly articles and median quality, chosen from a menu."""
    frame = warehouse.frame("provider_months", top=SELECTOR_PROVIDERS)
    leaders = frame.unique("provider_domain", maintain_order=True)
    labels = provider_labels(leaders)
    fig = figure(
        hovermode="x unified",
        yaxis=count_axis("articles", frame["articles"].max()),
        yaxis2={
            "title": {"text": "median quality"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        margin={"l": 56, "r": 56, "t": 56, "b": 48},
    )
    for index, domain in enumerate(leaders["provider_domain"]):
        series = frame.filter(pl.col("provider_domain") == domain)
        fig.add_trace(
            go.Bar(
                name="articles",
                x=series["month"].to_list(),
                y=series["articles"].to_list(),
                marker_color="#3b6ea8",
                visible=index == 0,
                hovertemplate="%{y:,}",
            )
        )
        fig.add_trace(
            go.Scatter(
                name="median quality",
                x=series["month"].to_list(),
                y=series["median_quality"].to_list(),
                yaxis="y2",
                mode="lines+markers",
                line={"color": "#d95f02"},
                visible=index == 0,
                hovertemplate="%{y:.1f}",
            )
        )
    buttons = [
        {
            "label": label,
            "method": "update",
            "args": [{"visible": [i // 2 == index for i in range(2 * len(labels))]}],
        }
        for index, label in enumerate(labels)
    ]
    if buttons:
        fig.update_layout(
            updatemenus=[
                {"buttons": buttons, "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"}
            ]
        )
    else:
        no_data(fig, "No dated articles yet")
    return Chart(
        key="provider-months",
        title="One provider, month by month",
        figure=fig,
        caption=f"marts.provider_monthly for one of the {SELECTOR_PROVIDERS} providers with the"
        " most articles: pick it from the menu.",
        wide=True,
    )
