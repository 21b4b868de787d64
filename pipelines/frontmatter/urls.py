"""Telling whether a source URL is usable: absolute, http or https, with a host.

Its canonical form is computed by the DuckDB load (`canonical_url` in
pipelines/ingest/normalise.sql), for articles and related entries alike.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) URL with a host (surrounding spaces allowed)."""
    candidate = value.strip()
    if not candidate or any(ch in candidate for ch in "\r\n\t"):
        return False
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    host = parts.hostname
    return parts.scheme.lower() in ("http", "https") and bool(host) and " " not in host
