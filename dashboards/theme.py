"""The look every chart shares: a plotly.io template and the palettes, made here once.

The pages' scripts draw with plotly.js; each figure's layout names this template
(`SPEC.template`), and its colours come from `SPEC.palette`, so one place says how a chart
looks. Every mark is at least 3:1 against the white card; the tests check it.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# One colour per provider or topic, by its place in the warehouse's order: Okabe–Ito's hues,
# darkened where needed to reach 3:1 on white (a dash and then a marker tell more apart).
ENTITY_COLOURS = [
    "#c38700",
    "#4a9bc8",
    "#009e73",
    "#9c942b",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#000000",
]
# Ordered bands, blue for the better and orange for the worse, told apart by lightness and
# by hue under deuteranopia.
BAND_COLOURS = {
    "top": "#08306b",
    "high": "#4a78b5",
    "medium": "#b8792a",
    "low": "#8a3b0a",
    "unrated": "#767676",
}
# Light to dark, so that the largest share is the darkest cell (ColorBrewer's Blues; plotly's
# named "Blues" runs dark to light).
HEAT_SCALE = [
    [0, "#f7fbff"],
    [0.25, "#c6dbef"],
    [0.5, "#6baed6"],
    [0.75, "#2171b5"],
    [1, "#08306b"],
]
INK = "#1f2933"
GRID = "#e5eaf0"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

pio.templates["newsdw"] = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 12, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": ENTITY_COLOURS,
        "margin": {"l": 56, "r": 16, "t": 12, "b": 44},
        "showlegend": False,
        "hoverlabel": {"namelength": -1},
        "xaxis": {"gridcolor": GRID, "linecolor": GRID, "automargin": True},
        "yaxis": {"gridcolor": GRID, "linecolor": GRID, "automargin": True, "rangemode": "tozero"},
    },
    data={"heatmap": [{"colorscale": HEAT_SCALE, "zmin": 0}]},
)

# What a page embeds: the template as plotly.js reads it, and the palettes by name.
TEMPLATE_JSON = pio.templates["newsdw"].to_plotly_json()
PALETTE = {"entities": ENTITY_COLOURS, "bands": BAND_COLOURS, "heat": HEAT_SCALE}
