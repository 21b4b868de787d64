"""Pure parsing and normalisation of front-matter content files (no Dagster here)."""

from .errors import QUARANTINE_KINDS, QuarantineKind, Refused
from .record import MAX_FILE_BYTES, parse_article

__all__ = ["MAX_FILE_BYTES", "QUARANTINE_KINDS", "QuarantineKind", "Refused", "parse_article"]
