"""Safe, bounded YAML loading of one front-matter block.

yaml-rs (a Rust YAML 1.2 parser) does the loading: it constructs plain Python objects only,
rejects duplicate keys and bounds alias replay. It ignores unknown tags, though, so any
document that could carry a tag (a `!` where a node may start) is first checked event by event with
libyaml, which reports every explicit tag; only YAML's core tags are let through.
"""

from __future__ import annotations

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
    needs_pyyaml = _may_carry_tag(source) and _check_tags(source, first_line)
    try:
        if needs_pyyaml:
            value = yaml.load(source, Loader=_StrictLoader)  # noqa: S506 - safe constructor only
        else:
            # Timestamps stay text, as written: the load parses them (and front_matter keeps them).
            value = yaml_rs.loads(source, parse_datetime=False, alias_limits=_ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_rs_refusal(exc, source, first_line) from None
    except yaml.MarkedYAMLError as exc:
        raise _pyyaml_refusal(exc, first_line) from None
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise KeyError & co on bad tagged values
        raise Refused("yaml_error", f"YAML error: {type(exc).__name__}: {exc}") from None
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
    """Refuse non-core tags; return True when a core tag needs PyYAML to construct it."""
    needs_pyyaml = False
    try:
        for event in yaml.parse(source, Loader=yaml.CSafeLoader):
            tag = getattr(event, "tag", None)
            if tag is None:
                continue
            if tag not in CORE_TAGS:
                line = event.start_mark.line + first_line
                raise Refused(
                    "yaml_error",
                    f"line {line}: tag {tag!r} is not allowed (core YAML tags only)",
                    line,
                )
            needs_pyyaml = needs_pyyaml or tag == _TIMESTAMP_TAG
    except yaml.MarkedYAMLError as exc:
        raise _pyyaml_refusal(exc, first_line) from None
    except yaml.YAMLError as exc:
        raise Refused("yaml_error", f"YAML error: {exc}") from None
    return needs_pyyaml


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
