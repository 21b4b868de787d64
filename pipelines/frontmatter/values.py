"""Text values of the front matter, as the article's text columns carry them."""

from __future__ import annotations

import datetime as dt
import html
from functools import lru_cache
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
        return (_unescape(value) if "&" in value else value).strip()
    text = scalar_text(value)
    if text is None:
        return None
    return (_unescape(text) if "&" in text else text).strip()


# Related lists repeat the same titles across many files; decoding one is a regex callback
# per entity.
@lru_cache(maxsize=1 << 16)
def _unescape(text: str) -> str:
    return html.unescape(text)
