"""The pages' own scripts stay small and plain: no function over 80 lines, each script named
in the order the pages load it, and the charts that rank going through one aggregate."""

from __future__ import annotations

from pathlib import Path

import pytest
import tree_sitter_javascript
from tree_sitter import Language, Parser

from dashboards.site import SCRIPTS

STATIC = Path(__file__).resolve().parents[2] / "dashboards" / "static"
FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition"}
LONGEST = 80


def _functions(source: bytes) -> list[tuple[str, int, int]]:
    """Every function of a script, nested ones too: (name, first line, lines)."""
    tree = Parser(Language(tree_sitter_javascript.language())).parse(source)
    assert not tree.root_node.has_error, "the script does not parse"
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in FUNCTIONS:
            name = node.child_by_field_name("name")
            label = name.text.decode() if name else node.parent.text.decode().split("=")[0][:40]
            first, last = node.start_point[0], node.end_point[0]
            found.append((label.strip(), first + 1, last - first + 1))
        stack.extend(node.children)
    return found


def test_the_pages_load_every_script_of_the_folder_once() -> None:
    own = sorted(path.name for path in STATIC.glob("*.js"))
    assert sorted(SCRIPTS) == own
    assert len(set(SCRIPTS)) == len(SCRIPTS)
    assert SCRIPTS[0] == "data.js"


@pytest.mark.parametrize("script", SCRIPTS)
def test_no_function_is_over_80_lines(script: str) -> None:
    functions = _functions((STATIC / script).read_bytes())
    assert functions, f"{script} defines no function"
    long = [f"{name} (line {at}): {n} lines" for name, at, n in functions if n > LONGEST]
    assert not long, f"{script}: " + "; ".join(long)


def test_the_measure_finds_a_long_function() -> None:
    # The check above would pass on anything if it missed functions: a wrapper of the whole
    # script, as site.js once was, is found and measured.
    body = "\n".join(f"  var x{i} = {i};" for i in range(90))
    wrapped = f"(function () {{\n{body}\n}})();\n".encode()
    assert [lines for _, _, lines in _functions(wrapped)] == [92]


def test_the_ranking_charts_rank_through_one_aggregate() -> None:
    # One dimensions object and one aggregate: no chart sorts its groups its own way.
    data = (STATIC / "data.js").read_text(encoding="utf-8")
    assert "var DIMENSIONS = {" in data and "function aggregate(cells, spec)" in data
    for script in ("charts.js", "changes.js"):
        text = (STATIC / script).read_text(encoding="utf-8")
        assert "leaders(" not in text
        assert "DIMENSIONS[o.dimension]" in text
