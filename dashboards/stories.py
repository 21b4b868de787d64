"""Stories: the biggest stories of the range as timelines of their outlets, and who is first."""

from __future__ import annotations

from .bundle import ITEMS_PER_STORY, STORIES_PER_MONTH
from .page import Page, Section

TIMELINE_STORIES = 10
LIST_STORIES = 30
FIRSTS_ROWS = 30
FIRSTS_MIN_STORIES = 3


def build() -> Page:
    """The Stories page."""
    return Page(
        slug="stories",
        title="Stories",
        summary="One event, several outlets: who told it first, and how fast the others followed.",
        sections=story_sections(),
    )


def story_sections(prefix: str = "") -> list[Section]:
    """The story timeline, the story list, the items and the first-to-publish board."""
    options = {"per_month": STORIES_PER_MONTH, "items_per_story": ITEMS_PER_STORY}
    return [
        Section(
            key=f"{prefix}story-timeline",
            kind="story_timeline",
            title=f"The {TIMELINE_STORIES} biggest stories, outlet by outlet",
            caption="Each row is a story; each dot an outlet's article, placed by the hours after"
            " the first (orange) that it came.",
            query=("stories", "story_timeline"),
            options={**options, "top": TIMELINE_STORIES},
            means=("story",),
        ),
        Section(
            key=f"{prefix}story-list",
            kind="stories",
            title=f"The {LIST_STORIES} biggest stories",
            caption=f"Among each month's {STORIES_PER_MONTH} stories with the most outlets, those"
            " of the range and the inputs, the most outlets first.",
            query=("stories", "story_list"),
            options={**options, "top": LIST_STORIES},
            display="table",
        ),
        Section(
            key=f"{prefix}story-items",
            kind="story_items",
            title="Their articles",
            caption=f"The first {ITEMS_PER_STORY} items of each of the biggest stories; only http"
            " and https links open.",
            query=("stories", "story_timeline"),
            options={**options, "top": TIMELINE_STORIES},
            display="table",
        ),
        firsts(prefix, "newsroom"),
        firsts(prefix, "other"),
    ]


def firsts(prefix: str, kind: str) -> Section:
    """A first-to-publish board: the newsrooms, or the syndicators and wires apart from them."""
    newsrooms = kind == "newsroom"
    return Section(
        key=f"{prefix}firsts" if newsrooms else f"{prefix}firsts-other",
        kind="firsts",
        title="First to publish: newsrooms"
        if newsrooms
        else "First to publish: syndicators and wires",
        caption=f"Providers in at least {FIRSTS_MIN_STORIES} stories of 2 or more outlets in"
        " the range, ranked by the lower bound of their share of firsts (Wilson, 95%), so that"
        " a few lucky stories do not lead; the median of the hours after the first at which"
        " their own item with a time of day came (as marts.provider_firsts holds it). A date"
        " alone is first only in a story without a time of day. The topic input does not apply."
        + (
            ""
            if newsrooms
            else " Syndicators carry other outlets' articles and wires publish press releases:"
            " they rank apart from the newsrooms."
        ),
        query=("firsts",),
        options={"top": FIRSTS_ROWS, "min_stories": FIRSTS_MIN_STORIES, "kind": kind},
        display="table",
    )
