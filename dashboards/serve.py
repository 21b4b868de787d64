"""`newsdw serve`: the static site over HTTP on localhost, with the standard library's server."""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site's files; no folder listings, and pages revalidated after a rebuild."""

    def list_directory(self, path):
        self.send_error(404, "No such page")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def make_server(folder: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for `folder` on `host:port` (port 0 picks a free port)."""
    return ThreadingHTTPServer((host, port), partial(_SiteHandler, directory=str(folder)))
