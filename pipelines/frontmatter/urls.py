"""Validating source URLs and reducing them to the canonical form that identifies an article."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


class CanonicalUrl(NamedTuple):
    """A source URL's canonical form and the host it names."""

    url: str
    host: str


# Related lists repeat the same URLs across thousands of files.
@lru_cache(maxsize=1 << 16)
def canonicalize(value: str) -> CanonicalUrl | None:
    """The contract's canonical form of an absolute http(s) URL with a host; None otherwise."""
    candidate = value.strip()
    if not candidate or any(ch in candidate for ch in "\r\n\t"):
        return None
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or " " in host:
        return None
    if host.startswith("www."):
        host = host[4:]
    netloc = f"[{host}]" if ":" in host else host
    # The URL becomes https, so 443 is as redundant as the original scheme's own default.
    if port is not None and port not in (_DEFAULT_PORTS[scheme], 443):
        netloc = f"{netloc}:{port}"
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path
    query = "&".join(
        param for param in parts.query.split("&") if param and not param.lower().startswith("utm_")
    )
    url = urlunsplit(("https", netloc, path, query, "")).replace(" ", "%20")
    return CanonicalUrl(url, host)
