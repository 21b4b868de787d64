"""Dagster shows descriptions as Markdown: a bare `<name>` is an HTML tag; it vanishes."""

from __future__ import annotations

import re

from pipelines.definitions import defs

CODE_SPAN = re.compile(r"`[^`]*`")
HTML_TAG = re.compile(r"</?[A-Za-z!][^>]*>")


def descriptions() -> dict[str, str]:
    """Every description of the code location: assets, checks, sensors and schedules."""
    found = {
        spec.key.to_user_string(): spec.description or "" for spec in defs.resolve_all_asset_specs()
    }
    graph = defs.resolve_asset_graph()
    for key in graph.asset_check_keys:
        found[f"check {key.to_user_string()}"] = graph.get_check_spec(key).description or ""
    for sensor in defs.sensors or []:
        found[f"sensor {sensor.name}"] = sensor.description or ""
    for schedule in defs.schedules or []:
        found[f"schedule {schedule.name}"] = schedule.description or ""
    return found


def test_no_description_holds_text_that_markdown_takes_for_an_html_tag():
    tags = {
        name: HTML_TAG.findall(CODE_SPAN.sub("", text))
        for name, text in descriptions().items()
        if HTML_TAG.search(CODE_SPAN.sub("", text))
    }
    assert tags == {}
