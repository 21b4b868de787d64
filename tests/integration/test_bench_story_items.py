"""bench/story_items.py at a tiny size: it times this checkout's model against a revision's.

No timing is asserted (the machine is shared and noisy): only that both models are built on
the same staging tables, every run is reported, and the ratio is theirs.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_story_items_reports_both_models(tmp_path: Path) -> None:
    figures_path = tmp_path / "story_items.json"
    command = [sys.executable, str(ROOT / "bench" / "story_items.py"), "--articles", "400"]
    command += ["--entries", "6000", "--repeat", "2", "--baseline", "HEAD"]
    command += ["--workdir", str(tmp_path / "work"), "--json", str(figures_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "this checkout / baseline:" in result.stdout

    report = json.loads(figures_path.read_text())
    assert (report["articles"], report["entries"], report["repeat"]) == (400, 6000, 2)
    models = report["models"]
    assert list(models) == ["this checkout", "HEAD"]
    for name, figures in models.items():
        runs = figures["seconds_runs"]
        assert len(runs) == 2 and all(math.isfinite(s) and s > 0 for s in runs), name
        # The runs are printed to the hundredth; the median is of the unrounded seconds.
        assert math.isclose(figures["seconds_median"], statistics.median(runs), abs_tol=0.01)
        assert figures["peak_rss_mib"] > 0 and figures["rows"] >= 400, name
        assert 0 < figures["multi_item_stories"] < figures["stories"] <= figures["rows"], name
    medians = [figures["seconds_median"] for figures in models.values()]
    assert math.isclose(report["ratio_this_to_baseline"], medians[0] / medians[1])
