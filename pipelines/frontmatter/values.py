"""Text values of the front matter, as the article's text columns carry them."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any


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
