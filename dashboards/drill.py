"""Drill-down pages: one for each leading provider and each leading topic."""

from __future__ import annotations

import hashlib
import re

import polars as pl

from .overview import articles_by_band
from .page import Page, Section
from .stories import story_sections

TOP = 50


def slug(kind: str, key: str) -> str:
    """A file-name-safe, unique slug for a provider domain or a topic key."""
    readable = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:40] or kind
    return f"{kind}-{readable}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"


def pages(providers: pl.DataFrame, topics: pl.DataFrame) -> list[Page]:
    """The drill-down pages of the TOP providers and TOP topics with the most articles."""
    out = []
    for domain, label in zip(
        providers["provider_domain"].head(TOP), providers["label"].head(TOP), strict=True
    ):
        out.append(provider_page(domain, label))
    for key, label in zip(topics["topic_key"].head(TOP), topics["label"].head(TOP), strict=True):
        out.append(topic_page(key, label))
    return out


def provider_page(domain: str, label: str) -> Page:
    """One provider: its months, quality, topics and stories."""
    return Page(
        slug=slug("provider", domain),
        title=label,
        summary=f"{domain}: its articles month by month, their quality, topics and stories. The"
        " provider is chosen below; choose others to compare.",
        preset={"providers": [domain]},
        in_menu=False,
        sections=[
            _series("provider", "Articles per month"),
            _quality(),
            articles_by_band("band-mix", percent=True),
            Section(
                key="topics-of",
                kind="ranking",
                title="Its topics",
                caption="The topics its articles in the range carry most.",
                query=("topic_ranking",),
                options={"dimension": "topic", "top": 15},
            ),
            *_stories(),
        ],
    )


def topic_page(key: str, label: str) -> Page:
    """One topic: its months, quality, providers and stories."""
    return Page(
        slug=slug("topic", key),
        title=label,
        summary="Articles carrying this topic, month by month, their quality, providers and"
        " stories. The topic is chosen below; choose others to compare.",
        preset={"topics": [key]},
        in_menu=False,
        sections=[
            _series("topic", "Articles per month"),
            _quality(),
            articles_by_band("band-mix", percent=True),
            Section(
                key="providers-of",
                kind="ranking",
                title="Its providers",
                caption="The providers with the most articles carrying it in the range.",
                query=("provider_ranking",),
                options={"dimension": "provider", "top": 15, "order": "articles"},
            ),
            *_stories(),
        ],
    )


def _series(by: str, title: str) -> Section:
    return Section(
        key="series",
        kind="series",
        title=title,
        caption="Articles per month of the range; a month without articles is a zero.",
        query=(f"{by}_series",),
        options={"dimension": by, "top": 8, "measure": "articles"},
        legend=True,
        means=("thin",),
    )


def _quality() -> Section:
    return Section(
        key="quality-average",
        kind="quality_months",
        title="Average quality per month",
        caption="The mean quality of the month's rated articles; a gap where there are none.",
        query=("quality_months",),
        means=("quality", "thin"),
    )


def _stories() -> list[Section]:
    return [section for section in story_sections() if section.key in {"story-list", "firsts"}]
