"""Overview: the headline figures against the month before, what grows fastest, the months."""

from __future__ import annotations

from .page import Page, Section

TOP_PROVIDERS = 15
GROWING = 10
# A provider or topic needs this many articles in the last 3 months to be called growing.
GROWING_MIN_ARTICLES = 5


def build() -> Page:
    """The Overview page."""
    return Page(
        slug="overview",
        title="Overview",
        summary="What the warehouse holds, month by month, for the months, providers and "
        "topics chosen above.",
        sections=[
            Section(
                key="headline",
                kind="tiles",
                title="The latest complete month",
                caption="Articles, providers that published, and average quality in the latest"
                " complete month of the range, against the month before.",
                query=("tiles",),
                display="tiles",
            ),
            growing("topic"),
            growing("provider"),
            articles_by_band("articles-by-band"),
            Section(
                key="top-providers",
                kind="ranking",
                title=f"Top {TOP_PROVIDERS} providers by articles",
                caption="Articles per provider over the range; a click on a bar opens the"
                " provider's page.",
                query=("provider_ranking",),
                options={"dimension": "provider", "top": TOP_PROVIDERS, "order": "articles"},
                wide=False,
            ),
        ],
    )


def growing(by: str) -> Section:
    """The providers or topics that gained most articles: the last 3 complete months against
    the 3 before, or the latest complete month against the one before in a short range."""
    plural = "topics" if by == "topic" else "providers"
    return Section(
        key=f"growing-{plural}",
        kind="growth",
        title=f"{plural.capitalize()} growing fastest",
        caption=f"The {plural} that gained most articles in the last 3 complete months of the"
        " range against the 3 months before (in a range of fewer than 6 complete months, the"
        " latest against the one before); the change in percent only on 30 articles or more,"
        " 'new' had none before.",
        query=("_growth_window", f"{by}_growth"),
        options={"dimension": by, "top": GROWING, "min_articles": GROWING_MIN_ARTICLES},
        display="table",
        wide=False,
    )


def articles_by_band(key: str, percent: bool = False) -> Section:
    """Dated articles per month stacked by quality band (as shares when `percent`)."""
    return Section(
        key=key,
        kind="band_months",
        title="Quality band mix per month" if percent else "Articles per month by quality band",
        caption="Dated articles of marts.fct_articles per month of the range, by quality band;"
        " the tooltip gives the count behind each bar.",
        query=("band_months",),
        options={"percent": percent},
        legend=True,
        means=("quality", "thin"),
    )
