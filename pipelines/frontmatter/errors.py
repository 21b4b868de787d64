"""The quarantine vocabulary: why a content file was refused."""

from __future__ import annotations

from typing import Literal

QuarantineKind = Literal[
    "encoding",
    "no_front_matter",
    "unclosed_front_matter",
    "yaml_error",
    "not_a_mapping",
    "missing_field",
    "invalid_field",
    "too_large",
    "symlink",
    "unreadable",
]

QUARANTINE_KINDS: tuple[str, ...] = QuarantineKind.__args__


class Refused(Exception):
    """A content file that cannot become an article, with the contract's reason."""

    def __init__(self, kind: QuarantineKind, message: str, line: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
