"""Source URLs: whether one is usable, and its canonical form.

Both split a URL with the same patterns, so every URL the parser accepts has a canonical form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .values import strip_ws

_URL_PATTERN = r"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?"
_URL = re.compile(_URL_PATTERN, re.S)
# Without re.S, as the rule was first written in SQL: a fragment ends at a line break.
_CANONICAL_URL = re.compile(_URL_PATTERN)
_SPACE = re.compile(r"\s")
_USERINFO = re.compile(r"^.*@")
_HOST_PORT = re.compile(r"(?:\[([^\]]*)\]|([^:\[\]]*))(?::([0-9]*))?")
_INT32_MAX = 2**31 - 1


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) URL with a host (surrounding spaces allowed)."""
    candidate = value.strip()
    if not candidate or "\n" in candidate or "\r" in candidate or "\t" in candidate:
        return False
    url = _URL.fullmatch(candidate)
    if url is None or url.group(1).lower() not in ("http", "https"):
        return False
    host_port = _HOST_PORT.fullmatch(url.group(2).rpartition("@")[2])
    if host_port is None:
        return False
    host = host_port.group(1) if host_port.group(1) is not None else host_port.group(2)
    port = host_port.group(3)
    if port and int(port) > 65535:
        return False
    host = host.lower().removeprefix("www.")
    return bool(host) and _SPACE.search(host) is None


def canonical_url(url: str) -> str | None:
    """The canonical form of a source URL; None when it is not an absolute http(s) URL."""
    return canonical_parts(url)[0]


# Related lists repeat the same articles across many files.
@lru_cache(maxsize=1 << 18)
def canonical_parts(url: str) -> tuple[str | None, str | None]:
    """(canonical URL, its host without www.), or (None, None) for an unusable URL.

    https, lowercase host without www., no default port, fragment or utm_* parameters, no
    trailing slash, spaces as %20.
    """
    parts = _CANONICAL_URL.fullmatch(strip_ws(url))
    if parts is None:
        return None, None
    scheme, netloc, path, query = parts.group(1).lower(), parts.group(2), parts.group(3), parts[4]
    host_port = _HOST_PORT.fullmatch(_USERINFO.sub("", netloc, count=1))
    if scheme not in ("http", "https") or host_port is None:
        return None, None
    v6, name, port = host_port.groups()
    host = (v6 or name or "").lower().removeprefix("www.")
    if not host:
        return None, None
    shown_port = ""
    if port:
        number = int(port)
        if number > _INT32_MAX:
            return None, None
        if number not in (443, 80 if scheme == "http" else 443):
            shown_port = f":{number}"
    kept = [
        item for item in (query or "").split("&") if item and not item.lower().startswith("utm_")
    ]
    canonical = (
        "https://"
        + (f"[{host}]" if ":" in host else host)
        + shown_port
        + (path[:-1] if path.endswith("/") else path)
        + ("?" + "&".join(kept) if kept else "")
    )
    return canonical.replace(" ", "%20"), host
