"""Overview: the headline figures, articles per month by quality band, and the top providers."""

from __future__ import annotations

import plotly.graph_objects as go

from .data import Warehouse
from .figures import BAND_COLOURS, BANDS, count_axis, figure, no_data, provider_labels
from .page import Chart, Page, Tile, Tiles

TOP_PROVIDERS = 15


def build(warehouse: Warehouse) -> Page:
    """The Overview page."""
    head = warehouse.row("headline")
    built = warehouse.provenance.data_built_at
    median = head["median_quality"]
    tiles = Tiles(
        [
            Tile("Articles", f"{head['articles']:,}", f"{head['undated_articles']:,} undated"),
            Tile("Providers", f"{head['providers']:,}"),
            Tile("Topics", f"{head['topics']:,}"),
            Tile(
                "Median quality",
                "–" if median is None else f"{median:.1f}",
                f"over {head['rated_articles']:,} rated articles",
            ),
            Tile("Files quarantined", f"{head['files_quarantined']:,}", "see Data health"),
            Tile("Data through", str(head["data_through"] or "–"), "latest publication date"),
            Tile(
                "Built at", built.strftime("%Y-%m-%d %H:%M UTC"), "when the warehouse was published"
            ),
        ]
    )
    return Page(
        slug="overview",
        title="Overview",
        summary="What the warehouse holds, month by month.",
        sections=[tiles, band_chart(warehouse, "articles-by-band"), top_providers(warehouse)],
    )


def band_chart(warehouse: Warehouse, key: str, percent: bool = False) -> Chart:
    """Dated articles per month stacked by quality band (as shares when `percent`)."""
    frame = warehouse.frame("band_monthly")
    fig = figure(
        barmode="stack",
        barnorm="percent" if percent else None,
        hovermode="x unified",
        yaxis_title="% of articles" if percent else "articles",
    )
    for band in BANDS:
        rows = frame.filter(frame["quality_band"] == band)
        if rows.height:
            fig.add_trace(
                go.Bar(
                    name=band,
                    x=rows["month"].to_list(),
                    y=rows["articles"].to_list(),
                    marker_color=BAND_COLOURS[band],
                    hovertemplate="%{y:,}" if not percent else "%{y:.1f}%",
                )
            )
    if frame.is_empty():
        no_data(fig, "No dated articles yet")
    title = "Quality band mix per month" if percent else "Articles per month by quality band"
    return Chart(
        key=key,
        title=title,
        figure=fig,
        caption="Dated articles of marts.fct_articles by published_month and quality_band"
        " (low 0–24, medium 25–49, high 50–99, top 100+).",
        wide=True,
    )


def top_providers(warehouse: Warehouse) -> Chart:
    """The providers with the most articles, as horizontal bars."""
    frame = warehouse.frame("provider_leaderboard", rows=TOP_PROVIDERS)
    fig = figure(
        height=max(320, 28 * frame.height + 80),
        xaxis=count_axis("articles", frame["articles"].max()),
    )
    fig.add_trace(
        go.Bar(
            x=frame["articles"].to_list(),
            y=provider_labels(frame),
            orientation="h",
            marker_color="#3b6ea8",
            customdata=[[share * 100] for share in frame["share_of_articles"].fill_null(0)],
            hovertemplate="%{y}: %{x:,} articles (%{customdata[0]:.1f}%)<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    if frame.is_empty():
        no_data(fig)
    return Chart(
        key="top-providers",
        title=f"Top {TOP_PROVIDERS} providers by articles",
        figure=fig,
        caption="marts.dim_providers: articles per provider domain, and their share of all.",
    )
