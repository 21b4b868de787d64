"""Safe, bounded YAML loading of one front-matter block.

yaml-rs (a Rust YAML 1.2 parser) does the loading: it constructs plain Python objects only,
rejects duplicate keys and bounds alias replay. It ignores unknown tags, though, so any
document that could carry a tag (a `!` where a node may start) is first checked event by event with
libyaml, which reports every explicit tag; only YAML's core tags are let through.

Every document is typed by yaml-rs, so that a tag on one line never changes how another is
read (PyYAML is YAML 1.1: `yes` is a boolean and `017` octal there). yaml-rs has no
`!!timestamp`; such a value is checked here and handed to it as ISO-8601 text.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
import yaml_rs

from .errors import Refused

MAX_EXPANDED_BYTES = 1024 * 1024
CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
# Alias replay is bounded by events so that a "billion laughs" document stops within
# milliseconds; real front matter replays a handful. What passes is then measured in bytes.
_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=100_000)
_LINE = re.compile(r"line (\d+)")
# A tag can only start a node: at the start, after white space or a flow/mapping indicator.
# "Wow!" inside a title cannot be one; anything this lets through is checked exactly by libyaml.
_TAG_LEADS = frozenset(" \t\r\n[{,:")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def load_front_matter(source: str, first_line: int = 2) -> Any:
    """Parse YAML text into Python objects, refusing tags, duplicates and oversized expansions.

    `first_line` is the file line where the YAML starts, so messages point into the file.
    """
    if len(source) > MAX_EXPANDED_BYTES:
        raise Refused("too_large", f"front matter is {len(source):,} characters; limit is 1 MiB")
    if _may_carry_tag(source) and _check_tags(source, first_line):
        source = _timestamps_as_text(source, first_line)
    try:
        # Timestamps stay text, as written: the load parses them (and front_matter keeps them).
        value = yaml_rs.loads(source, parse_datetime=False, alias_limits=_ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_rs_refusal(exc, source, first_line) from None
    except TypeError:
        # yaml-rs makes a mapping used as a key a frozenset of its items, which fails when a
        # value inside it is a list or a mapping (`? {title: []}`).
        raise _nested_key_refusal(source, first_line) from None
    if "*" in source:
        _check_expanded_size(value)
    return value


def _may_carry_tag(source: str) -> bool:
    position = source.find("!")
    while position >= 0:
        if position == 0 or source[position - 1] in _TAG_LEADS:
            return True
        position = source.find("!", position + 1)
    return False


def _check_tags(source: str, first_line: int) -> bool:
    """Refuse non-core tags and `!!timestamp` on what is no timestamp; True when one is used."""
    timestamps = False
    try:
        for event in yaml.parse(source, Loader=yaml.CSafeLoader):
            tag = getattr(event, "tag", None)
            if tag is None:
                continue
            line = event.start_mark.line + first_line
            if tag not in CORE_TAGS:
                raise Refused(
                    "yaml_error",
                    f"line {line}: tag {tag!r} is not allowed (core YAML tags only)",
                    line,
                )
            if tag == _TIMESTAMP_TAG:
                _check_timestamp(event, line)
                timestamps = True
    except yaml.MarkedYAMLError as exc:
        raise _pyyaml_refusal(exc, first_line) from None
    except yaml.YAMLError as exc:
        raise Refused("yaml_error", f"YAML error: {exc}") from None
    return timestamps


def _timestamp(text: str) -> Any:
    """The date or datetime a YAML timestamp denotes; None when `text` is no timestamp."""
    if not yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        return None
    node = yaml.ScalarNode(_TIMESTAMP_TAG, text)
    try:
        return yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    except (ValueError, OverflowError):  # a month 13, a day 45
        return None


def _check_timestamp(event: yaml.Event, line: int) -> None:
    if isinstance(event, yaml.ScalarEvent):
        if _timestamp(event.value) is not None:
            return
        shown = event.value if len(event.value) <= 60 else event.value[:57] + "..."
        what = f"{shown!r} is not" if shown else "an empty value is not"
    else:
        what = (
            "a sequence is not"
            if isinstance(event, yaml.SequenceStartEvent)
            else "a mapping is not"
        )
    raise Refused(
        "yaml_error",
        f"line {line}: !!timestamp {what} a YAML timestamp (YYYY-MM-DD, optionally with a time"
        " and zone)",
        line,
    )


def _timestamps_as_text(source: str, first_line: int) -> str:
    """`source` with each `!!timestamp` value (checked already) as tagged ISO-8601 text."""
    edits: list[tuple[int, int, str]] = []
    handles = {"!": "!", "!!": "tag:yaml.org,2002:"}
    tagged = False
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.DirectiveToken) and token.name == "TAG":
                handles[token.value[0]] = token.value[1]
            elif isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                tagged = (handles.get(handle, "") if handle else "") + suffix == _TIMESTAMP_TAG
                if tagged:
                    edits.append((token.start_mark.index, token.end_mark.index, "!!str"))
            elif isinstance(token, yaml.ScalarToken) and tagged:
                tagged = False
                stamp = _timestamp(token.value)
                text = stamp.isoformat() if stamp is not None else token.value
                # The same number of lines, so that later messages still point into the file.
                breaks = "\n" * (token.end_mark.line - token.start_mark.line)
                edits.append(
                    (token.start_mark.index, token.end_mark.index, json.dumps(text) + breaks)
                )
            elif not isinstance(token, yaml.AnchorToken):
                tagged = False
    except yaml.MarkedYAMLError as exc:
        raise _pyyaml_refusal(exc, first_line) from None
    for start, end, text in reversed(edits):
        source = source[:start] + text + source[end:]
    return source


def _yaml_rs_refusal(exc: Exception, source: str, first_line: int) -> Refused:
    text = str(exc)
    if "alias replay limit" in text:
        return Refused("too_large", "front matter expands past 1 MiB through aliases")
    match = _LINE.search(text)
    if match is None:
        # yaml-rs names no line for some errors (duplicate keys); libyaml's marks do.
        try:
            yaml.load(source, Loader=_StrictLoader)  # noqa: S506 - safe constructor only
        except yaml.MarkedYAMLError as marked:
            refusal = _pyyaml_refusal(marked, first_line)
            if refusal.line is not None:
                refusal.message = f"{refusal.message.split(': ', 1)[0]}: {text.strip()}"
                return refusal
        except Exception:  # noqa: BLE001, S110 - only looking for a line number
            pass
    line = int(match.group(1)) + first_line - 1 if match else None
    summary = text.strip().splitlines()[-1].strip() if text.strip() else "invalid YAML"
    where = f"line {line}: " if line is not None else ""
    return Refused("yaml_error", f"{where}{summary}", line)


def _nested_key_refusal(source: str, first_line: int) -> Refused:
    """A mapping used as a key with a list or mapping inside: the line of the first such key."""
    lines = []
    try:
        stack, seen = [yaml.compose(source, Loader=yaml.CSafeLoader)], set()
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:  # an alias may point back at its anchor
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.MappingNode) and any(
                        isinstance(inner, yaml.CollectionNode) for _, inner in key.value
                    ):
                        lines.append(key.start_mark.line + first_line)
                    stack.extend((key, value))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    except yaml.YAMLError:
        pass
    line = min(lines) if lines else None
    where = f"line {line}: " if line is not None else ""
    message = "a mapping used as a key holds a list or a mapping; keys must be plain values"
    return Refused("yaml_error", where + message, line)


def _pyyaml_refusal(exc: yaml.MarkedYAMLError, first_line: int) -> Refused:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark is not None else None
    problem = exc.problem or exc.context or "invalid YAML"
    where = f"line {line}: " if line is not None else ""
    return Refused("yaml_error", f"{where}{problem}", line)


def _check_expanded_size(value: Any) -> None:
    """Refuse a document whose aliases expand it past the limit, counting without copying."""
    budget = MAX_EXPANDED_BYTES
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            budget -= 2 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            budget -= 1 + len(item)
            stack.extend(item)
        elif isinstance(item, str):
            budget -= len(item)
        else:
            budget -= 8
        if budget < 0:
            raise Refused("too_large", "front matter expands past 1 MiB through aliases")


class _StrictLoader(yaml.CSafeLoader):
    """libyaml's safe loader that also refuses duplicate mapping keys."""

    def construct_mapping(self, node, deep=False):  # noqa: D102
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate mapping key: {key!r}", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)
