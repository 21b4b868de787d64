"""bench/stories.py at tiny sizes: it runs, reports every figure, and its approaches agree.

No timing is asserted (the machine is shared and noisy): only the report's shape, that the
three ways of finding components find the same ones, and that the model's groups
(story_items.group_id) are those components: each cut into one story or more, plus one story
per article without a link.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

from pipelines.store import lake

ROOT = Path(__file__).resolve().parents[2]
APPROACHES = ("model", "components_scipy", "components_cte", "components_union_find")


def _bench_stories():
    # bench/ is a folder of scripts, not a package: load the module by its path.
    spec = importlib.util.spec_from_file_location("bench_stories", ROOT / "bench" / "stories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


def test_bench_stories_reports_agreeing_approaches(tmp_path: Path) -> None:
    figures_path = tmp_path / "stories.json"
    command = [sys.executable, str(ROOT / "bench" / "stories.py"), "--articles", "400"]
    command += ["--entries", "6000", "--repeat", "2", "--workdir", str(tmp_path / "work")]
    command += ["--json", str(figures_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "same components as scipy: labels_cte yes, labels_union_find yes, model yes" in (
        result.stdout
    )

    report = json.loads(figures_path.read_text())
    assert report["corpus"] == {"articles": 400, "entries": 6000}
    graph, approaches = report["graph"], report["approaches"]
    assert graph["edges"] > 0 and 0 < graph["article_nodes"] <= graph["nodes"]
    assert list(approaches) == list(APPROACHES)
    for name, figures in approaches.items():
        assert len(figures["seconds_runs"]) == 2, name
        assert all(_positive(v) for v in [figures["seconds_median"], *figures["seconds_runs"]])
        assert _positive(figures["peak_rss_mib"]) and figures["stopped_runs"] == 0, name
    assert report["agree_with_scipy"] == {
        "labels_cte": True,
        "labels_union_find": True,
        "model": True,
    }

    components = {approaches[name]["components"] for name in APPROACHES[1:]}
    largest = {approaches[name]["largest"] for name in APPROACHES[1:]}
    assert len(components) == 1 and len(largest) == 1
    (count,), (biggest,) = components, largest
    # Every component (each holds an article: an edge starts at one) is cut into one story
    # or more, none bigger than it; every article outside the graph is a story of its own.
    model = approaches["model"]
    assert 0 < model["multi_item_stories"] <= count
    assert model["stories"] >= count + 400 - graph["article_nodes"]
    assert 2 <= model["largest"] <= biggest
    assert approaches["components_cte"]["steps"] >= 1

    # The database is kept for the next run of the same sizes, which reuses it.
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-4000:]
    assert "generated" not in again.stdout
    regraph = json.loads(figures_path.read_text())["graph"]
    assert {k: v for k, v in regraph.items() if k != "edges_seconds"} == {
        k: v for k, v in graph.items() if k != "edges_seconds"
    }


def test_union_find_labels_each_node_with_the_smallest_of_its_component() -> None:
    stories = _bench_stories()
    # Components {0, 1}, {2, 3, 4} (joined through 4's larger end first), {5}, {6, 7}.
    labels = stories.union_find([4, 0, 3, 7], [3, 1, 2, 6], 8)
    assert labels == [0, 0, 2, 2, 2, 5, 6, 6]
    assert stories.union_find([], [], 3) == [0, 1, 2]


def test_largest_prints_the_ten_largest_stories_of_a_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    # Twelve stories: sizes 1 to 11, and a second of 11 items whose story_id sorts first.
    rows = [(f"s{size:02d}", f"Story {size}", size, 1, size, size / 2) for size in range(1, 12)]
    rows.append(("s00", "Story tied", 11, 2, 3, None))
    with lake.writing(warehouse) as con:
        con.execute(
            "create schema marts; create table marts.stories (story_id varchar, title varchar,"
            " items bigint, articles bigint, providers bigint, span_hours double)"
        )
        con.executemany("insert into marts.stories values (?, ?, ?, ?, ?, ?)", rows[::-1])

    figures_path = tmp_path / "largest.json"
    command = [sys.executable, "-m", "bench.stories", "--largest", str(warehouse)]
    command += ["--json", str(figures_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]

    report = json.loads(figures_path.read_text())
    assert report["stories"] == 12 and report["multi_item_stories"] == 11
    largest = report["largest"]
    assert [story["story_id"] for story in largest] == [
        "s00",
        "s11",
        *(f"s{n:02d}" for n in range(10, 2, -1)),
    ]
    assert largest[0] == {
        "story_id": "s00",
        "items": 11,
        "articles": 2,
        "providers": 3,
        "span_hours": None,
        "title": "Story tied",
    }
    assert largest[1]["span_hours"] == 5.5
    lines = [
        line for line in result.stdout.splitlines() if line.endswith(("Story tied", "Story 3"))
    ]
    assert lines[0].split() == ["11", "2", "3", "-", "Story", "tied"]
    assert lines[1].split() == ["3", "1", "3", "1.5", "Story", "3"]
