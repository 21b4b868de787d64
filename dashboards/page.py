"""The parts a page is made of: headline tiles, charts and tables, in the order shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import plotly.graph_objects as go

# Content text is cut to this many characters in a cell: one 100 kB title must not make a
# page heavy. The warehouse keeps it whole.
CELL_TEXT = 300


@dataclass(frozen=True)
class Tile:
    """One headline figure."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Tiles:
    """A row of headline figures."""

    tiles: list[Tile]
    kind: str = "tiles"


@dataclass(frozen=True)
class Chart:
    """A Plotly figure with a title and a caption that says what it shows and from where."""

    key: str
    title: str
    figure: go.Figure
    caption: str
    wide: bool = False
    kind: str = "chart"


@dataclass(frozen=True)
class Column:
    """A table column: the row key it shows, its heading, and how to format it."""

    key: str
    heading: str
    format: str = "text"  # text, int, float, ratio, pct, datetime, list

    def display(self, value: object) -> str:
        """The cell text (escaped later, by the template)."""
        if value is None:
            return "–"
        if self.format == "int":
            return f"{value:,}"
        if self.format == "float":
            return f"{value:,.1f}"
        if self.format == "ratio":
            return f"{value:,.2f}"
        if self.format == "pct":
            return f"{value:.1%}"
        if self.format == "datetime" and isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if self.format == "list":
            return "\n".join(shorten(str(item), CELL_TEXT) for item in value)
        return shorten(str(value), CELL_TEXT)

    def sort_value(self, value: object) -> str:
        """A value that sorts the column correctly as a number or as text."""
        if value is None:
            return ""
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, list):
            return str(len(value))
        return shorten(str(value), CELL_TEXT)

    @property
    def numeric(self) -> bool:
        """Whether the column sorts as numbers."""
        return self.format in {"int", "float", "ratio", "pct"}


def shorten(value: str, limit: int) -> str:
    """`value`, cut to `limit` characters with an ellipsis when longer."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def count_note(shown: int, total: int, what: str) -> str:
    """'All 40 providers', or 'The first 30 of 40 providers' when a list was cut."""
    if shown == total:
        return f"All {total:,} {what}"
    return f"The first {shown:,} of {total:,} {what} (query the table for all)"


@dataclass(frozen=True)
class Table:
    """Rows of a query shown as an HTML table, sortable by a click on a heading."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    caption: str
    wide: bool = True
    kind: str = "table"


@dataclass(frozen=True)
class Page:
    """One page of the site."""

    slug: str
    title: str
    summary: str
    sections: list[Tiles | Chart | Table] = field(default_factory=list)

    @property
    def filename(self) -> str:
        """The page's file name in the site folder."""
        return "index.html" if self.slug == "overview" else f"{self.slug}.html"

    @property
    def charts(self) -> list[Chart]:
        """The page's charts."""
        return [section for section in self.sections if isinstance(section, Chart)]
