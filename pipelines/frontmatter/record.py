"""Turning one content file's bytes into an article record, or refusing it."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from . import fields, values
from .errors import Refused
from .split import decode, split_front_matter
from .urls import canonical_parts, is_http_url
from .yamlload import load_front_matter

MAX_FILE_BYTES = 8 * 1024 * 1024
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_NAIVE_UTC


def parse_article(data: bytes) -> dict[str, Any]:
    """Parse a content file's bytes into the content columns of `raw.articles`.

    Raises `Refused` with the quarantine kind, message and line when the file is unusable.
    """
    if len(data) > MAX_FILE_BYTES:
        raise Refused("too_large", f"file is {len(data):,} bytes; limit is 8 MiB")
    text = decode(data)
    source, body = split_front_matter(text)
    document = load_front_matter(source)
    if not isinstance(document, dict):
        kind = "empty" if document is None else type(document).__name__
        raise Refused("not_a_mapping", f"front matter is {_describe(kind)}, not a mapping", 2)
    return article_from_mapping(document, body)


def _describe(kind: str) -> str:
    names = {"empty": "empty", "list": "a list", "str": "a string", "tuple": "a list"}
    return names.get(kind, f"a {kind}")


def article_from_mapping(doc: dict[Any, Any], body: str = "") -> dict[str, Any]:
    """Check the required fields of a parsed mapping and return the article's typed columns."""
    title = _required_title(doc)
    url_key, source_url = _required_url(doc)
    canonical, host = canonical_parts(source_url)
    provider_name, provider_domain = fields.provider_fields(doc.get("provider"), host)
    return {
        "title": title,
        "excerpt": values.clean_text(doc.get("excerpt")),
        "category": values.clean_text(doc.get("category")),
        "type": values.clean_text(doc.get("type")),
        "source_url": source_url,
        "source_url_key": url_key,
        "canonical_url": canonical,
        "published_at": fields.timestamp_value(doc.get("publishedDateTime")),
        "quality": fields.non_negative_int(doc.get("quality")),
        "heat": fields.heat_value(doc.get("heat")),
        "is_published": fields.boolean_value(doc.get("published")),
        "provider_name": provider_name,
        "provider_domain": provider_domain,
        "topics": fields.topic_labels(doc.get("topics")),
        "images": fields.image_list(doc.get("images")),
        "related": fields.related_list(doc.get("related")),
        "body_words": len(body.split()),
        "secured_sha256": _secured_digest(doc.get("secured"), "secured" in doc),
        "front_matter": _front_matter_json(doc),
    }


def _required_title(doc: dict[Any, Any]) -> str:
    if "title" not in doc:
        raise Refused("missing_field", "required field 'title' is missing")
    raw = doc["title"]
    if isinstance(raw, (dict, list, tuple, set)):
        raise Refused("invalid_field", f"field 'title' must be text, not a {type(raw).__name__}")
    title = values.clean_text(raw)
    if not title:
        raise Refused("invalid_field", "field 'title' is empty or blank")
    return title


def _required_url(doc: dict[Any, Any]) -> tuple[str, str]:
    key = next((name for name in fields.URL_KEYS if name in doc), None)
    if key is None:
        raise Refused(
            "missing_field", "required field 'sourceUrl' (or originalUrl/webUrl) is missing"
        )
    raw = doc[key]
    if not (isinstance(raw, str) and is_http_url(raw)):
        shown = repr(raw) if len(repr(raw)) <= 120 else repr(raw)[:117] + "..."
        raise Refused(
            "invalid_field", f"field '{key}' is not an absolute http(s) URL with a host: {shown}"
        )
    return key, raw.strip()


def _secured_digest(value: Any, present: bool) -> str | None:
    if not present or value is None:
        return None
    payload = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else _to_json(value)
    return hashlib.sha256(payload).hexdigest()


def _front_matter_json(doc: dict[Any, Any]) -> bytes:
    # `secured` is opaque: only its digest may reach the warehouse.
    if "secured" in doc:
        doc = dict(doc)
        del doc["secured"]
    return _to_json(doc)


def _to_json(value: Any) -> bytes:
    """UTF-8 JSON; bytes, as Parquet stores them, so that no text is decoded to be encoded again."""
    try:
        return orjson.dumps(value, default=_json_default, option=_JSON_OPTIONS)
    except orjson.JSONEncodeError as exc:
        if "Recursion limit" in str(exc):
            raise Refused("yaml_error", "front matter nests deeper than 250 levels") from None
    # Complex keys, lone surrogates or integers past 64 bits: spell them out as text.
    return orjson.dumps(_jsonable(value), option=_JSON_OPTIONS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {_jsonable_key(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(item) for item in items]
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return str(value)
    return _json_default(value) if isinstance(value, bytes) else value


def _jsonable_key(key: Any) -> str:
    if isinstance(key, str):
        return _jsonable(key)
    return _jsonable(values.scalar_text(key) if values.scalar_text(key) is not None else repr(key))


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    raise TypeError(f"cannot represent {type(value).__name__} as JSON")
