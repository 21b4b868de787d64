"""The parts a page is made of: sections that the page's script fills from the data bundle.

Each section names the kind of chart or table the script draws (`kind`), its options, and the
query that gives the same rows from the warehouse (`query`), which the page shows under the
chart with the inputs filled in, and which its CSV download equals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

# Content text is cut to this many characters in a cell: one 100 kB title must not make a
# page heavy. The warehouse keeps it whole.
CELL_TEXT = 300

CHART_SQL = Path(__file__).resolve().parent / "queries" / "charts"

# Plain-language meanings, one line each, shown under the charts that use them.
MEANS = {
    "quality": "Quality is the score a file gives its article: low 0–24, medium 25–49, high "
    "50–99, top 100 and over; unrated articles have none.",
    "heat": "Heat is the share of a provider's articles in the range that carry the topic: "
    "the darker the cell, the larger the share.",
    "lift": "Lift says how much more often two topics come together than chance would have "
    "it: 1 is chance, 2 twice as often.",
    "share": "Share is the part of all the month's dated articles that the provider or topic has.",
    "story": "A story is one event told by several outlets: articles that list each other as "
    "related or share most of a headline, close in time, and never over 96 hours apart; it is "
    "named by its most linked item.",
    "thin": "A thin month (under 20 articles, or under 5% of the median month) is a loose dot, "
    "never joined to a line, or a faded bar labelled with its count; open markers are months of "
    "fewer than 5 articles; the shaded latest month is incomplete.",
    "topics": "With topics chosen, an article counts once for each chosen topic it carries.",
}


def shorten(value: str, limit: int) -> str:
    """`value`, cut to `limit` characters with an ellipsis when longer."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


@cache
def _sql_part(name: str) -> str:
    path = CHART_SQL / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no chart query named {name!r} ({path})")
    return path.read_text(encoding="utf-8").strip()


def chart_sql(parts: tuple[str, ...]) -> str:
    """The SQL of a section: its parts joined, after the inputs when the first continues them."""
    texts = [_sql_part(part) for part in parts]
    body = "\n".join(texts)
    if _strip_comments(texts[0]).startswith(","):
        return _sql_part("_inputs") + "\n" + body
    return body


def chart_queries() -> list[tuple[str, ...]]:
    """The parts of every section query there is: each chart file, after the part it continues
    (`stories` for the story list, `_growth_window` for the growth lists)."""
    names = sorted(path.stem for path in CHART_SQL.glob("*.sql") if not path.stem.startswith("_"))
    after = {"story_list": "stories", "story_timeline": "stories"}
    after |= {"provider_growth": "_growth_window", "topic_growth": "_growth_window"}
    return [
        (after[name], name) if name in after else (name,) for name in names if name != "stories"
    ]


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--")).lstrip()


@dataclass(frozen=True)
class Section:
    """A chart, table or row of tiles, drawn by the page's script."""

    key: str
    kind: str
    title: str
    caption: str
    query: tuple[str, ...]
    options: dict = field(default_factory=dict)
    display: str = "chart"  # chart, table or tiles
    wide: bool = True
    legend: bool = False
    means: tuple[str, ...] = ()

    @property
    def sql(self) -> str:
        """The section's query, with `$name` placeholders for the inputs, without comments."""
        lines = chart_sql(self.query).splitlines()
        return "\n".join(line for line in lines if not line.lstrip().startswith("--"))

    @property
    def meanings(self) -> list[str]:
        """The plain-language lines shown under the section."""
        return [MEANS[name] for name in self.means]

    def spec(self) -> dict:
        """What the page's script needs of the section."""
        return {"key": self.key, "kind": self.kind, "options": self.options, "sql": self.sql}


@dataclass(frozen=True)
class Page:
    """One page of the site."""

    slug: str
    title: str
    summary: str
    sections: list[Section] = field(default_factory=list)
    preset: dict = field(default_factory=dict)
    in_menu: bool = True

    @property
    def filename(self) -> str:
        """The page's file name in the site folder."""
        return "index.html" if self.slug == "overview" else f"{self.slug}.html"

    @property
    def charts(self) -> list[Section]:
        """The page's charts (sections drawn by Plotly)."""
        return [section for section in self.sections if section.display == "chart"]
