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
    if b"\x00" in data:
        offset = text.index("\x00")
        raise Refused(
            "encoding",
            f"binary content: NUL byte at offset {offset}",
            text.count("\n", 0, offset) + 1,
        )
    return text


_OPEN = re.compile(r"--- *\r?")


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter YAML, body); the YAML keeps its lines so line numbers hold."""
    if not text:
        raise Refused("no_front_matter", "file is empty", None)
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _OPEN.fullmatch(first):
        raise Refused("no_front_matter", "first line is not '---'", 1)
    close = _closing_line(text, first_end) if first_end >= 0 else None
    if close is None:
        raise Refused(
            "unclosed_front_matter",
            "front matter opened on line 1 has no closing '---' or '...' line",
            1,
        )
    newline, after = close
    return text[first_end + 1 : newline + 1], text[after:]


def _closing_line(text: str, start: int) -> tuple[int, int] | None:
    """(offset of the newline before the first closing line, offset just after it), or None."""
    # str.find per marker is several times cheaper than one multiline regex over the text.
    found = None
    for marker in ("\n---", "\n..."):
        position = text.find(marker, start)
        while position >= 0 and (found is None or position < found[0]):
            line_end = text.find("\n", position + 4)
            rest = text[position + 4 :] if line_end < 0 else text[position + 4 : line_end]
            if not rest.rstrip("\r").strip(" ") and rest.count("\r") <= 1:
                found = (position, len(text) if line_end < 0 else line_end + 1)
                break
            position = text.find(marker, position + 4)
    return found
