"""The contract's field normalisations, applied to one parsed front-matter mapping.

One rule each, applied alike to an article and to the entries of its `related` list. They
run in the parse workers, once per new or changed file; `RULES_VERSION` in
pipelines/frontmatter/version.py changes with this file, so a changed rule re-derives every
row it made.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

import orjson

from .urls import canonical_parts
from .values import WHITESPACE, clean_text, strip_ws

_WHITESPACE_RUN = re.compile(f"[{re.escape(WHITESPACE)}]+")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r" ?(?:([Zz])|([+-])(\d{1,2})(?::?(\d{2}))?)?",
    re.ASCII,
)
_INT64_MAX = 2**63 - 1
_DAY = dt.timedelta(days=1)
URL_KEYS = ("sourceUrl", "originalUrl", "webUrl")


def json_text(value: Any) -> str | None:
    """The text of a scalar as its JSON spelling reads; None for mappings, lists and nulls."""
    kind = type(value)
    if kind is str:
        return value
    if value is None or kind in (dict, list, tuple, set, frozenset):
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value) if math.isfinite(value) else None
    return orjson.dumps(value, option=orjson.OPT_NAIVE_UTC).decode().strip('"')


def as_list(value: Any) -> list:
    """A list as a list, a single value as a list of one, null as empty."""
    if value is None:
        return []
    if type(value) in (list, tuple):
        return list(value)
    return [value]


@lru_cache(maxsize=1 << 16)
def _timestamp_text(text: str) -> dt.datetime | None:
    match = _ISO.fullmatch(strip_ws(text))
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if hour is None and (zulu or sign):
        return None
    offset = 0
    if sign:
        offset = int(off_h) * 60 + (int(off_m) if off_m else 0)
        if offset >= 24 * 60:
            return None
        offset = offset if sign == "+" else -offset
    micro = int((fraction or "")[:6].ljust(6, "0"))
    hour, minute, second = int(hour or 0), int(minute or 0), int(second or 0)
    # DuckDB's own cast, which the rule follows, reads 24:00:00 as the next midnight.
    next_day = hour == 24 and minute == second == micro == 0
    try:
        stamp = dt.datetime(
            int(year), int(month), int(day), 0 if next_day else hour, minute, second, micro
        )
        return stamp + _DAY * next_day - dt.timedelta(minutes=offset)
    except (ValueError, OverflowError):
        return None


def timestamp_value(value: Any) -> dt.datetime | None:
    """ISO-8601 text (T or space, optional fraction, Z or ±HH:MM) or a date alone -> naive UTC."""
    kind = type(value)
    if kind is str:
        return _timestamp_text(value)
    # Dates and datetimes, should a loader build them (yaml-rs leaves timestamps as text).
    if kind is dt.datetime:
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return None


def non_negative_int(value: Any) -> int | None:
    """A non-negative integer: a YAML int, an integral float, or a string of digits."""
    kind = type(value)
    if kind is int:
        return value if 0 <= value <= _INT64_MAX else None
    if kind is float:
        if math.isfinite(value) and value >= 0 and value == math.floor(value) and value < 9.2e18:
            return int(value)
        return None
    if kind is str:
        digits = strip_ws(value)
        if _DIGITS.fullmatch(digits):
            number = int(digits)
            return number if number <= _INT64_MAX else None
    return None


def heat_value(value: Any) -> int | None:
    """An integer, with -1 (the exporters' "unknown") as None."""
    kind = type(value)
    number = None
    if kind is int:
        number = value if -_INT64_MAX - 1 <= value <= _INT64_MAX else None
    elif kind is float and math.isfinite(value) and value == math.floor(value):
        number = int(value) if abs(value) < 9.2e18 else None
    return None if number == -1 else number


def boolean_value(value: Any) -> bool | None:
    """A YAML boolean, else None."""
    return value if type(value) is bool else None


def text_value(value: Any) -> str | None:
    """The value when it is text, else None."""
    return value if type(value) is str else None


def domain_value(value: Any) -> str | None:
    """A provider domain: lowercased, without a leading www.; None when absent or blank."""
    text = json_text(value)
    if text is None:
        return None
    domain = strip_ws(text).lower().removeprefix("www.")
    return domain or None


def name_value(value: Any) -> str | None:
    """A provider name, trimmed; None when absent or blank."""
    text = json_text(value)
    return (strip_ws(text) or None) if text is not None else None


def topic_labels(value: Any) -> list[str]:
    """Topic labels: trimmed, inner white space collapsed to one space, blanks dropped."""
    labels = []
    for item in as_list(value):
        text = json_text(item)
        if text is not None:
            label = _WHITESPACE_RUN.sub(" ", strip_ws(text))
            if label:
                labels.append(label)
    return labels


def image_list(value: Any) -> list[dict]:
    """The images list: url, width, height, title (invalid sizes are None)."""
    images = []
    for item in as_list(value):
        if type(item) is dict:
            title = json_text(item.get("title"))
            images.append(
                {
                    "url": json_text(item.get("url")),
                    "width": non_negative_int(item.get("width")),
                    "height": non_negative_int(item.get("height")),
                    "title": strip_ws(title) if title is not None else None,
                }
            )
        else:
            images.append({"url": json_text(item), "width": None, "height": None, "title": None})
    return images


def _member(mapping: Any, key: str) -> Any:
    return mapping.get(key) if type(mapping) is dict else None


def provider_fields(provider: Any, host: str | None) -> tuple[str | None, str | None]:
    """(provider_name, provider_domain), the domain falling back to the URL's host."""
    return name_value(_member(provider, "name")), domain_value(_member(provider, "domain")) or host


def related_list(value: Any) -> list[dict]:
    """The related entries, each normalised like the article."""
    entries = []
    for entry in as_list(value):
        url = title = None
        if type(entry) is dict:
            key = next((name for name in URL_KEYS if name in entry), "webUrl")
            url = text_value(entry.get(key))
            url = strip_ws(url) if url is not None else None
            title = clean_text(entry.get("title"))
        canonical, host = canonical_parts(url) if url is not None else (None, None)
        name, domain = provider_fields(_member(entry, "provider"), host)
        entries.append(
            {
                "title": title,
                "source_url": url,
                "canonical_url": canonical,
                "published_at": timestamp_value(_member(entry, "publishedDateTime")),
                "quality": non_negative_int(_member(entry, "quality")),
                "provider_name": name,
                "provider_domain": domain,
            }
        )
    return entries
