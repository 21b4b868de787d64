"""`newsdw serve`: the static site over HTTP on localhost, with the standard library's server."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# A connection that sends no whole request in this time is closed, so that idle or half-open
# sockets do not keep a thread each for ever.
REQUEST_TIMEOUT_SECONDS = 30


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site's files; no folder listings, and pages revalidated after a rebuild."""

    timeout = REQUEST_TIMEOUT_SECONDS

    def send_head(self):
        try:
            return super().send_head()
        except ValueError:
            # A NUL byte in the path ("/%00"): no file has such a name, and open() raises.
            self.send_error(404, "No such page")
            return None

    def list_directory(self, path):
        self.send_error(404, "No such page")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def make_server(
    folder: Path, port: int, host: str = "127.0.0.1", timeout: float = REQUEST_TIMEOUT_SECONDS
) -> ThreadingHTTPServer:
    """An HTTP server for `folder` on `host:port` (port 0 picks a free port)."""
    directory = str(folder)

    class Handler(_SiteHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=directory, **kwargs)

    Handler.timeout = timeout
    return ThreadingHTTPServer((host, port), Handler)
