"""Quality: the median and its p10–p90 band per month, the band mix, and the distribution."""

from __future__ import annotations

import plotly.graph_objects as go

from .data import Warehouse
from .figures import figure, no_data
from .overview import band_chart
from .page import Chart, Page

BIN_WIDTH = 5


def build(warehouse: Warehouse) -> Page:
    """The Quality page."""
    return Page(
        slug="quality",
        title="Quality",
        summary="How good the coverage is, and how that moves.",
        sections=[
            quantile_band(warehouse),
            band_chart(warehouse, "band-mix", percent=True),
            distribution(warehouse),
        ],
    )


def quantile_band(warehouse: Warehouse) -> Chart:
    """Median quality per month inside its p10–p90 band."""
    frame = warehouse.frame("quality_monthly").drop_nulls("median_quality")
    months = frame["month"].to_list()
    fig = figure(hovermode="x unified", yaxis_title="quality")
    fig.add_trace(
        go.Scatter(
            name="p90",
            x=months,
            y=frame["p90_quality"].to_list(),
            mode="lines",
            line={"width": 0, "color": "#9ecae1"},
            hovertemplate="%{y:.1f}",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="p10–p90",
            x=months,
            y=frame["p10_quality"].to_list(),
            mode="lines",
            fill="tonexty",
            fillcolor="rgba(158, 202, 225, 0.5)",
            line={"width": 0, "color": "#9ecae1"},
            hovertemplate="p10 %{y:.1f}",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="median",
            x=months,
            y=frame["median_quality"].to_list(),
            mode="lines+markers",
            line={"color": "#08519c", "width": 2},
            marker={"size": 4},
            hovertemplate="%{y:.1f}",
        )
    )
    if frame.is_empty():
        no_data(fig, "No rated, dated articles yet")
    return Chart(
        key="quality-median",
        title="Median quality per month, with the p10–p90 band",
        figure=fig,
        caption="marts.quality_monthly: continuous quantiles over the month's rated articles.",
        wide=True,
    )


def distribution(warehouse: Warehouse) -> Chart:
    """How many rated articles have each quality, in bins of BIN_WIDTH."""
    frame = warehouse.frame("quality_histogram", width=BIN_WIDTH)
    starts = frame["bin_start"].to_list()
    fig = figure(xaxis_title="quality", yaxis_title="articles", bargap=0.05, showlegend=False)
    fig.add_trace(
        go.Bar(
            x=[start + BIN_WIDTH / 2 for start in starts],
            y=frame["articles"].to_list(),
            width=BIN_WIDTH,
            marker_color="#3b6ea8",
            customdata=[[start, start + BIN_WIDTH - 1] for start in starts],
            hovertemplate="quality %{customdata[0]:.0f}–%{customdata[1]:.0f}: %{y:,} articles"
            "<extra></extra>",
        )
    )
    if frame.is_empty():
        no_data(fig, "No rated articles yet")
    return Chart(
        key="quality-distribution",
        title="Distribution of quality",
        figure=fig,
        caption=f"Rated articles of marts.fct_articles in bins of {BIN_WIDTH} quality points.",
        wide=True,
    )
