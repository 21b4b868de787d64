"""One look for every chart, and the rules that keep content text inert inside figures."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable

import plotly.graph_objects as go
import polars as pl

from .page import shorten

# Bands from best to worst, then unrated; the colours read as a scale.
BANDS = ["top", "high", "medium", "low", "unrated"]
BAND_COLOURS = {
    "top": "#1a9850",
    "high": "#91cf60",
    "medium": "#fee08b",
    "low": "#fc8d59",
    "unrated": "#bdbdbd",
}

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_GRID = "#e5eaf0"
_AXIS = {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "automargin": True}
# A few settings instead of a full Plotly template: a template holds defaults for every trace
# type, which would add kilobytes to each chart and a tenth of a second to each build.
_LAYOUT = {
    "template": "none",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "colorway": [
        "#3b6ea8",
        "#d95f02",
        "#1b9e77",
        "#7570b3",
        "#e7298a",
        "#66a61e",
        "#e6ab02",
        "#a6761d",
        "#17becf",
        "#666666",
    ],
    "font": {"family": _FONT, "size": 12, "color": "#1f2933"},
    "margin": {"l": 56, "r": 24, "t": 16, "b": 48},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
    "hoverlabel": {"namelength": -1},
    "xaxis": _AXIS,
    "yaxis": _AXIS,
}


# Content text is cut to this many characters in a chart label, which must fit on an axis.
LABEL_TEXT = 60


def text(values: Iterable[object]) -> list[str]:
    """Content strings made safe and short for Plotly labels.

    Plotly renders a subset of HTML in labels, hover text and menus; escaping makes a name
    such as `<b>x</b>` or `<a href=…>` show as written instead of as markup.
    """
    return [
        html.escape(shorten("" if value is None else str(value), LABEL_TEXT), quote=False)
        for value in values
    ]


def provider_labels(frame: pl.DataFrame) -> list[str]:
    """A unique, escaped label per provider row: its name, or name and domain when shared."""
    domains = frame.get_column("provider_domain").to_list()
    names = [
        shorten(name or domain, LABEL_TEXT)
        for name, domain in zip(frame.get_column("provider_name"), domains, strict=True)
    ]
    shared = {name for name, count in Counter(names).items() if count > 1}
    labels = [
        f"{name} ({shorten(domain, LABEL_TEXT)})" if name in shared else name
        for name, domain in zip(names, domains, strict=True)
    ]
    return [html.escape(label, quote=False) for label in labels]


def figure(height: int = 380, **layout: object) -> go.Figure:
    """An empty figure with the site's layout."""
    fig = go.Figure(layout=_LAYOUT)
    fig.update_layout(height=height, **layout)
    return fig


def count_axis(title: str, largest: object) -> dict:
    """An axis of counts: whole-number ticks when the counts are small."""
    axis: dict = {"title": {"text": title}, "rangemode": "tozero"}
    if isinstance(largest, int) and largest <= 10:
        axis["dtick"] = 1
    return axis


def no_data(fig: go.Figure, message: str = "No data yet") -> go.Figure:
    """Mark an empty figure so that readers see it is empty, not broken."""
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 16}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
