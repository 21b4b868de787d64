"""Decoding a content file and splitting it into front matter and body."""

from __future__ import annotations

import re

from .errors import Refused

BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """Decode UTF-8 (dropping a leading BOM); anything else is an `encoding` refusal."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Refused("encoding", "file is UTF-16 (byte-order mark found); expected UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Refused(
            "encoding",
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            line,
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        raise Refused(
            "encoding",
            f"binary content: NUL byte at offset {offset}",
            text.count("\n", 0, offset) + 1,
        )
    return text


_OPEN = re.compile(r"--- *\r?")
# Anchored on the newline rather than `^` with MULTILINE, which would try every offset.
_CLOSE = re.compile(r"\n(?:---|\.\.\.) *\r?(?:\n|\Z)")


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter YAML, body); the YAML keeps its lines so line numbers hold."""
    if not text:
        raise Refused("no_front_matter", "file is empty", None)
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _OPEN.fullmatch(first):
        raise Refused("no_front_matter", "first line is not '---'", 1)
    close = _CLOSE.search(text, first_end) if first_end >= 0 else None
    if close is None:
        raise Refused(
            "unclosed_front_matter",
            "front matter opened on line 1 has no closing '---' or '...' line",
            1,
        )
    return text[first_end + 1 : close.start() + 1], text[close.end() :]
