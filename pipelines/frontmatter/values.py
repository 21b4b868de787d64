"""Text values of the front matter, as the article's text columns carry them."""

from __future__ import annotations

import datetime as dt
import html
import sys
import unicodedata
from functools import lru_cache
from typing import Any

# Surrounding white space of the normalised fields: ASCII white space and every Unicode
# separator (Zs, Zl, Zp).
WHITESPACE = "\t\n\f\r " + "".join(
    chr(code)
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) in ("Zs", "Zl", "Zp")
)


def strip_ws(text: str) -> str:
    """Surrounding white space removed, Unicode separators included."""
    return text.strip(WHITESPACE)


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
