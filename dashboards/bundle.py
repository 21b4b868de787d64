"""The data the pages compute from, written once per site beside the pages as small scripts.

`data/base.js` holds what every page needs: the calendar, every provider and topic, and the
sums per month and provider and per month and topic. A chosen provider's topic sums
(`data/p<i>.js`) and a chosen topic's provider sums (`data/t<j>.js`) load when an input asks
for them; `data/stories.js` holds each month's biggest stories for the pages that show them.
Scripts rather than JSON files, because a page opened from `file://` may not fetch.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .data import Warehouse
from .page import CELL_TEXT, shorten
from .topics import PAIR_TOPICS

# The biggest stories of each month, and the first items of each, that the pages can show.
STORIES_PER_MONTH = 20
ITEMS_PER_STORY = 12
# Titles in story lists are cut to this many characters; the warehouse keeps them whole.
STORY_TITLE = 160

_CELL_COLUMNS = {
    "articles": "n",
    "rated": "r",
    "quality_sum": "q",
    "low": "lo",
    "medium": "me",
    "high": "hi",
    "top": "tp",
}


@dataclass(frozen=True)
class Bundle:
    """The data scripts of a site, by file name, and the lists the pages' Python reads."""

    files: dict[str, str]
    providers: pl.DataFrame
    topics: pl.DataFrame


def build_bundle(warehouse: Warehouse) -> Bundle:
    """Every data script of the site, from the published warehouse."""
    months = warehouse.frame("bundle_months")
    providers = warehouse.frame("bundle_providers")
    topics = warehouse.frame("bundle_topics")
    month_of = {month: i for i, month in enumerate(months["month"])}
    provider_of = {domain: i for i, domain in enumerate(providers["provider_domain"])}
    topic_of = {key: i for i, key in enumerate(topics["topic_key"])}

    def indexed(frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with months, providers and topics replaced by their positions."""
        out = frame.with_columns(pl.col("month").replace_strict(month_of, return_dtype=pl.Int32))
        for column, index in (("provider_domain", provider_of), ("topic_key", topic_of)):
            if column in out.columns:
                out = out.with_columns(
                    pl.col(column).replace_strict(index, default=-1, return_dtype=pl.Int32)
                )
        for column in ("topic_key_a", "topic_key_b"):
            if column in out.columns:
                out = out.with_columns(
                    pl.col(column).replace_strict(topic_of, default=-1, return_dtype=pl.Int32)
                )
        return out

    cells = indexed(warehouse.frame("bundle_topic_cells"))
    pairs = indexed(warehouse.frame("bundle_pair_cells", topics=PAIR_TOPICS))
    by_month_topic = (
        cells.group_by("month", "topic_key", maintain_order=True)
        .agg(pl.col(list(_CELL_COLUMNS)).sum())
        .sort("month", "topic_key")
    )
    base = {
        "months": {
            "month": months["month"].to_list(),
            "articles": months["articles"].to_list(),
            "is_complete": months["is_complete"].to_list(),
            "latest_day": months["latest_day"][0] if months.height else None,
        },
        "providers": {
            "domain": providers["provider_domain"].to_list(),
            "name": [shorten(n, CELL_TEXT) if n else None for n in providers["provider_name"]],
            "label": _provider_labels(providers),
            "articles": providers["articles"].to_list(),
        },
        "topics": {
            "key": topics["topic_key"].to_list(),
            "label": [
                shorten(t or k, CELL_TEXT)
                for t, k in zip(topics["topic"], topics["topic_key"], strict=True)
            ],
            "articles": topics["articles"].to_list(),
        },
        "provider_months": _columns(
            indexed(warehouse.frame("bundle_provider_months")),
            {"month": "m", "provider_domain": "p"},
        ),
        "topic_months": _columns(by_month_topic, {"month": "m", "topic_key": "t"}),
        "pairs": _pair_columns(
            pairs.group_by("month", "topic_key_a", "topic_key_b").agg(pl.col("articles").sum())
        ),
        # The providers and topics with a data script of their own (those with topic cells).
        "written": {
            "p": cells["provider_domain"].unique().sort().to_list(),
            "t": cells["topic_key"].unique().sort().to_list(),
        },
    }
    files = {"base.js": _script("base", base)}
    for (provider,), rows in cells.partition_by("provider_domain", as_dict=True).items():
        mine = pairs.filter(pl.col("provider_domain") == provider)
        chunk = {
            "topics": _columns(rows.drop("provider_domain"), {"month": "m", "topic_key": "t"}),
            "pairs": _pair_columns(mine),
        }
        files[f"p{provider}.js"] = _script(f"p{provider}", chunk)
    for (topic,), rows in cells.partition_by("topic_key", as_dict=True).items():
        chunk = _columns(rows.drop("topic_key"), {"month": "m", "provider_domain": "p"})
        files[f"t{topic}.js"] = _script(f"t{topic}", chunk)
    files["stories.js"] = _script("stories", _stories(warehouse, month_of))
    return Bundle(
        files,
        providers.with_columns(pl.Series("label", base["providers"]["label"], dtype=pl.String)),
        topics.with_columns(pl.Series("label", base["topics"]["label"], dtype=pl.String)),
    )


def _columns(frame: pl.DataFrame, keys: dict[str, str]) -> dict[str, list]:
    """A frame as short-named columns: the keys, then the sums."""
    names = {**keys, **_CELL_COLUMNS}
    sorted_frame = frame.sort(list(keys))
    return {names[column]: sorted_frame[column].to_list() for column in names}


def _pair_columns(frame: pl.DataFrame) -> dict[str, list]:
    ordered = frame.sort("month", "topic_key_a", "topic_key_b")
    return {
        "m": ordered["month"].to_list(),
        "a": ordered["topic_key_a"].to_list(),
        "b": ordered["topic_key_b"].to_list(),
        "n": ordered["articles"].to_list(),
    }


# A provider whose articles carry this many outlet names or more syndicates them (msn.com
# carries Engadget's and a hundred others'): its label is its domain and its outlet count,
# not the most frequent outlet's name.
SYNDICATOR_NAMES = 10


def _provider_labels(providers: pl.DataFrame) -> list[str]:
    """A label per provider: its name, with its domain when another provider has that name;
    a syndicator's domain with its outlet count."""
    outlets = (
        providers["distinct_names"].to_list()
        if "distinct_names" in providers.columns
        else [None] * providers.height
    )
    names = [
        f"{shorten(domain, 60)} ({count:,} outlets)"
        if count is not None and count >= SYNDICATOR_NAMES
        else shorten(name or domain, 60)
        for name, domain, count in zip(
            providers["provider_name"], providers["provider_domain"], outlets, strict=True
        )
    ]
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return [
        f"{name} ({shorten(domain, 60)})" if counts[name] > 1 else name
        for name, domain in zip(names, providers["provider_domain"], strict=True)
    ]


def _stories(warehouse: Warehouse, month_of: dict[str, int]) -> dict:
    """Each month's biggest stories with their first items, and who was first per month."""
    stories = warehouse.frame("bundle_stories", per_month=STORIES_PER_MONTH)
    items = warehouse.frame(
        "bundle_story_items", per_month=STORIES_PER_MONTH, items=ITEMS_PER_STORY
    )
    firsts = warehouse.frame("bundle_story_firsts")
    domains: dict[str, int] = {}

    def domain(value: str | None) -> int | None:
        if value is None:
            return None
        return domains.setdefault(value, len(domains))

    topic_names: dict[str, int] = {}
    by_story: dict[str, list] = {}
    for item in items.iter_rows(named=True):
        by_story.setdefault(item["story_id"], []).append(
            {
                "url": item["canonical_url"],
                "d": domain(item["provider_domain"]),
                "at": item["published_at"],
                "h": item["hours_after_first"],
                "title": None if item["title"] is None else shorten(item["title"], STORY_TITLE),
            }
        )
    out = []
    for story in stories.iter_rows(named=True):
        if story["month"] not in month_of:
            continue  # first told by a related entry from before the calendar
        out.append(
            {
                "id": story["story_id"],
                "m": month_of[story["month"]],
                "title": None if story["title"] is None else shorten(story["title"], STORY_TITLE),
                "first": story["first_published_at"],
                "first_domain": domain(story["first_provider_domain"]),
                "first_date_only": story["first_date_only"],
                "providers": story["providers"],
                "items": story["items"],
                "span": story["span_hours"],
                "domains": sorted({domain(d) for d in story["domains"] if d is not None}),
                "topics": sorted(
                    topic_names.setdefault(t, len(topic_names)) for t in story["topic_keys"]
                ),
                "item_list": by_story.get(story["story_id"], []),
            }
        )
    firsts = firsts.filter(pl.col("month").is_in(list(month_of)))
    first_cells = {
        "m": [month_of[m] for m in firsts["month"]],
        "d": [domain(d) for d in firsts["provider_domain"]],
        "s": firsts["stories"].to_list(),
        "f": firsts["stories_first"].to_list(),
        "h": firsts["hours"].to_list(),
    }
    kind_of = dict(zip(firsts["provider_domain"], firsts["provider_kind"], strict=True))
    return {
        "stories": out,
        "firsts": first_cells,
        "domains": list(domains),
        # Each domain's kind where it is on a first-to-publish board (else null).
        "kinds": [kind_of.get(d) for d in domains],
        "topics": list(topic_names),
    }


def _script(name: str, data: object) -> str:
    """A script that hands `data` to the pages as gzipped JSON in base64, under `name`.

    Gzip makes the sums about a fifth of their JSON; the page inflates them with the browser's
    own DecompressionStream. Base64 holds no character that could end the script. Level 5, not
    9: about 7 times faster on these numbers for some 5% more bytes (at 1,000,000 articles,
    level 9 took 6 of the dashboards' 19 s).
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    packed = gzip.compress(text.encode("utf-8"), compresslevel=5, mtime=0)
    packed = base64.b64encode(packed).decode("ascii")
    return f'newsdwData("{name}", "{packed}");\n'


def write_bundle(bundle: Bundle, folder: Path) -> int:
    """Write the data scripts into `folder/data`; the bytes written."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    size = 0
    for name, text in bundle.files.items():
        encoded = text.encode("utf-8")
        (data / name).write_bytes(encoded)
        size += len(encoded)
    return size
