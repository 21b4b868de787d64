"""`newsdw serve`: the static site over HTTP on localhost, with the standard library's server."""

from __future__ import annotations

import gzip
import io
import os
import threading
from email.utils import formatdate
from functools import lru_cache
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# A connection that sends no whole request in this time is closed, so that idle or half-open
# sockets do not keep a thread each for ever.
REQUEST_TIMEOUT_SECONDS = 30
# Text is sent gzipped to a browser that accepts it: plotly.js goes from 4.6 MB to about a
# third of that. The data scripts are gzipped already, inside base64; gzip takes back most
# of base64's third.
COMPRESSED_TYPES = {".html", ".js", ".css", ".svg", ".json", ".csv", ".txt"}
_GZIP_LEVEL = 6
_compressing = threading.Lock()


@lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """The gzip of a file as it was at (mtime_ns, size): a rebuilt file is compressed anew."""
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=_GZIP_LEVEL, mtime=0)


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site's files; no folder listings, and pages revalidated after a rebuild."""

    timeout = REQUEST_TIMEOUT_SECONDS

    def send_head(self):
        compressed = self._send_gzipped_head()
        if compressed is not None:
            return compressed
        try:
            return super().send_head()
        except ValueError:
            # A NUL byte in the path ("/%00"): no file has such a name, and open() raises.
            self.send_error(404, "No such page")
            return None

    def _send_gzipped_head(self):
        """Headers of the file's gzip, and the gzip to send; None to send it as it is."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        try:
            path = self.translate_path(self.path)
            if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
                path = os.path.join(path, "index.html")
            if os.path.splitext(path)[1] not in COMPRESSED_TYPES or not os.path.isfile(path):
                return None
            stat = os.stat(path)
            with _compressing:
                body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        except (OSError, ValueError):
            return None  # the plain path answers: 404, or the error it meets
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return io.BytesIO(body)

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
