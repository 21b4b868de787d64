"""bench/build.py on a small corpus: it runs, reports every figure and leaves the corpus as it was.

No timing is asserted (the machine is shared and noisy): only that each figure exists and is
a positive, finite number.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILDS = ("full", "noop", "one_changed", "one_percent_changed")
RATIO_LINES = (
    "full build / python-frontmatter, files/s",
    "no-op rebuild / full build",
    "one-changed rebuild / no-op rebuild",
    "1%-changed rebuild / full build",
    "story models / rest of the full build",
    "peak RSS of any build",
    "warehouse size / content size",
)


def _bench_corpus():
    # bench/ is a folder of scripts, not a package: load its corpus module by path.
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot(content: Path) -> dict[str, tuple[bytes, int]]:
    """Every content file's bytes and mtime (hidden files, like the bench's marker, aside)."""
    return {
        path.relative_to(content).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in content.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


def test_bench_build_prints_and_writes_every_figure(tmp_path: Path) -> None:
    workdir, figures_path = tmp_path / "work", tmp_path / "figures.json"
    # The corpus the bench will reuse, generated first so that it can be compared afterwards.
    options = argparse.Namespace(workdir=workdir, files=1000, seed=7, profile="default")
    content = _bench_corpus().prepare(options)
    before = _snapshot(content)

    command = [sys.executable, str(ROOT / "bench" / "build.py"), "--files", "1000"]
    command += ["--repeat", "1", "--workdir", str(workdir), "--json", str(figures_path)]
    # Beside a second checkout: this one again, which is all a test has at hand.
    command += ["--against", str(ROOT)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]

    for line in RATIO_LINES:
        assert re.search(rf"^{re.escape(line)}\s+\d", result.stdout, re.M), line
    assert re.search(r"^\s+peak RSS, process tree\s+\d", result.stdout, re.M)
    assert re.search(r"^\s+story models\s+\d", result.stdout, re.M)
    assert re.search(
        r"^full build \(medians\): [\d.]+ s, of which the story models [\d.]+ s"
        r" \([\d.]+% added to the rest\); peak RSS [\d.]+ GiB$",
        result.stdout,
        re.M,
    )

    figures = json.loads(figures_path.read_text())
    measures, ratios = figures["measures"], figures["ratios"]
    required = ["read_files_per_s", "frontmatter_files_per_s", "full.files_per_s"]
    required += [f"{kind}.{figure}" for kind in BUILDS for figure in ("seconds", "peak_rss_mib")]
    required += [f"full.step.{step}" for step in ("raw__files", "warehouse_tables", "dashboards")]
    required += [f"size.{part}_mib" for part in ("warehouse", "lake", "raw", "dashboards")]
    required += ["size.dagster_mib", "size.content_mib"]
    # The story models' time, from the build's log, wherever the tables were rebuilt.
    required += [f"{kind}.stories_seconds" for kind in BUILDS if kind != "noop"]
    assert set(required) <= set(measures)
    assert "noop.stories_seconds" not in measures  # a no-op rebuild builds no table
    for key, measure in measures.items():
        assert len(measure["runs"]) == 1, key
        assert all(_positive(value) for value in [measure["median"], *measure["runs"]]), key
    assert len(ratios) == len(RATIO_LINES)
    for key, ratio in ratios.items():
        assert all(_positive(value) for value in [ratio["median"], *ratio["runs"]]), key
    # The story models are part of the table step, and what they add is set against the rest.
    stories, full = measures["full.stories_seconds"]["median"], measures["full.seconds"]["median"]
    assert stories < measures["full.step.warehouse_tables"]["median"] < full
    assert math.isclose(ratios["stories_vs_rest"]["median"], stories / (full - stories))
    assert [build["kind"] for build in figures["builds"]] == list(BUILDS)
    # Every build also ran in the other checkout, into its own warehouse, and is set beside.
    assert list(figures["against"]) == list(BUILDS)
    for kind, against in figures["against"].items():
        assert all(_positive(v) for v in [against["median"], *against["runs"]]), kind
        here = measures[f"{kind}.seconds"]["runs"][0]
        assert math.isclose(against["runs"][0], here / against["seconds_runs"][0]), kind
        assert re.search(rf"^{re.escape(against['label'])}\s+[\d.]+x\s", result.stdout, re.M)
    assert (workdir / "warehouse-against" / "newsdw.ducklake").is_file()
    assert all(build["stdout"].strip() and build["run_id"] for build in figures["builds"])

    # The edits of the changed-file rebuilds were undone: same bytes, same times, and the
    # corpus is marked complete again so that the next run reuses it.
    assert _snapshot(content) == before
    assert (content / ".complete").exists()
