"""Normalising optional front-matter values; an unusable value becomes None, never an error."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any

_INT64_MAX = 2**63 - 1
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r" ?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?"
)
_DIGITS = re.compile(r"[0-9]+")


def scalar_text(value: Any) -> str | None:
    """The text of a YAML scalar; None for mappings, lists and nulls."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def clean_text(value: Any) -> str | None:
    """HTML entities decoded and surrounding whitespace trimmed; None when not a scalar."""
    if type(value) is str:  # the common case, kept cheap: this runs for every related entry
        return (html.unescape(value) if "&" in value else value).strip()
    text = scalar_text(value)
    if text is None:
        return None
    if "&" in text:
        text = html.unescape(text)
    return text.strip()


def timestamp_utc(value: Any) -> dt.datetime | None:
    """A YAML timestamp/date or ISO-8601 string as a naive UTC datetime."""
    if type(value) is dt.datetime and value.tzinfo is dt.UTC:
        return value.replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value
        try:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:
            return None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return _parse_iso(value.strip())
    return None


def _parse_iso(text: str) -> dt.datetime | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if hour is None and (zulu or sign):
        return None
    try:
        stamp = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
        )
        if sign:
            offset = dt.timedelta(hours=int(off_h), minutes=int(off_m))
            if offset >= dt.timedelta(hours=24):
                return None
            stamp = stamp - offset if sign == "+" else stamp + offset
    except (ValueError, OverflowError):
        return None
    return stamp


def non_negative_int(value: Any) -> int | None:
    """A quality score: an int, an integral float or a digit string, at least zero."""
    if type(value) is int:
        return value if 0 <= value <= _INT64_MAX else None
    number = _integer(value, allow_digit_string=True)
    return number if number is not None and number >= 0 else None


def heat(value: Any) -> int | None:
    """Heat as an integer, with -1 (the exporters' "unknown") as None."""
    number = _integer(value, allow_digit_string=False)
    return None if number == -1 else number


def _integer(value: Any, *, allow_digit_string: bool) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        number = int(value)
    elif allow_digit_string and isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if -_INT64_MAX <= number <= _INT64_MAX else None


def boolean(value: Any) -> bool | None:
    """A YAML boolean, else None."""
    return value if isinstance(value, bool) else None


def domain(value: Any) -> str | None:
    """A provider domain lowercased, without a leading `www.`; None when blank."""
    text = value if type(value) is str else scalar_text(value)
    if text is None:
        return None
    text = text.strip().lower()
    if text.startswith("www."):
        text = text[4:]
    return text or None


def topic_labels(value: Any) -> list[str]:
    """Topic labels trimmed with inner whitespace collapsed; blanks and non-scalars dropped."""
    items = value if isinstance(value, (list, tuple)) else [value]
    labels = []
    for item in items:
        text = scalar_text(item)
        if text is None:
            continue
        label = " ".join(text.split())
        if label:
            labels.append(label)
    return labels
