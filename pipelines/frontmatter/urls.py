"""Telling whether a source URL is usable: absolute, http or https, with a host.

Its canonical form is computed by the DuckDB load (`canonical_url` in
pipelines/ingest/normalise.sql), for articles and related entries alike. The two split a URL
with the same patterns, so every URL accepted here has a canonical form there.
"""

from __future__ import annotations

import re

_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?", re.S)
_SPACE = re.compile(r"\s")
_HOST_PORT = re.compile(r"(?:\[([^\]]*)\]|([^:\[\]]*))(?::([0-9]*))?")


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
