"""Quality: the average per month, and the band mix per month."""

from __future__ import annotations

from .overview import articles_by_band
from .page import Page, Section


def build() -> Page:
    """The Quality page."""
    return Page(
        slug="quality",
        title="Quality",
        summary="How good the coverage is, and how that moves.",
        sections=[
            Section(
                key="quality-average",
                kind="quality_months",
                title="Average quality per month",
                caption="The mean quality of the month's rated articles; a month without rated"
                " articles is a gap. The tooltip gives how many articles it rests on.",
                query=("quality_months",),
                means=("quality", "thin"),
            ),
            articles_by_band("band-mix", percent=True),
        ],
    )
