"""Providers: the leaderboard, share of voice, volume and quality of the leading providers."""

from __future__ import annotations

from .page import Page, Section

LEADERBOARD_ROWS = 500
SERIES_PROVIDERS = 8
QUALITY_PROVIDERS = 15


def build() -> Page:
    """The Providers page."""
    return Page(
        slug="providers",
        title="Providers",
        summary="Who publishes, how much, and how good it is.",
        sections=[
            Section(
                key="leaderboard",
                kind="ranking",
                title="Provider leaderboard",
                caption=f"Providers over the range, most articles first (up to"
                f" {LEADERBOARD_ROWS}); a click on a heading sorts, a name opens its page.",
                query=("provider_ranking",),
                options={
                    "dimension": "provider",
                    "top": LEADERBOARD_ROWS,
                    "order": "articles",
                    "min_rated": True,
                    "table": True,
                },
                display="table",
                means=("quality",),
            ),
            series("share-of-voice", "share"),
            series("provider-articles", "articles"),
            Section(
                key="quality-by-provider",
                kind="ranking",
                title=f"Average quality: the {QUALITY_PROVIDERS} best-rated providers",
                caption="Average quality over the range of the providers with at least 10 rated"
                " articles in it, best first.",
                query=("provider_ranking",),
                options={
                    "dimension": "provider",
                    "top": QUALITY_PROVIDERS,
                    "order": "quality",
                    "min_rated": True,
                },
                means=("quality",),
            ),
        ],
    )


def series(key: str, measure: str) -> Section:
    """One line per leading provider: articles, or share of the month's articles."""
    share = measure == "share"
    return Section(
        key=key,
        kind="series",
        title=f"Share of voice: the {SERIES_PROVIDERS} leading providers"
        if share
        else f"Articles per month: the {SERIES_PROVIDERS} leading providers",
        caption="The providers with the most articles in the range (or those chosen), month by"
        " month; a month without articles is a gap or a zero, never a line drawn across.",
        query=("provider_series",),
        options={"dimension": "provider", "top": SERIES_PROVIDERS, "measure": measure},
        legend=True,
        means=("share", "thin") if share else ("thin",),
    )
