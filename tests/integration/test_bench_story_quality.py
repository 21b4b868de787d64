"""bench/story_quality.py at a tiny size: it generates, builds, measures and reports every figure.

No threshold is asserted on the figures (issue 23 sets them for 10,000 files and more): only
the report's shape and that the figures are in range.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_story_quality_reports_every_figure(tmp_path: Path) -> None:
    figures_path = tmp_path / "quality.json"
    command = [sys.executable, str(ROOT / "bench" / "story_quality.py"), "--files", "600"]
    command += ["--profiles", "default", "real", "--seeds", "3", "--workdir", str(tmp_path / "w")]
    command += ["--json", str(figures_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "B-cubed precision" in result.stdout

    corpora = json.loads(figures_path.read_text())["corpora"]
    assert [(c["profile"], c["files"], c["seed"]) for c in corpora] == [
        ("default", 600, 3),
        ("real", 600, 3),
    ]
    for corpus in corpora:
        assert corpus["articles_without_truth"] == 0
        assert 0 < corpus["items_compared"] == corpus["story_items"] <= corpus["truth_urls"]
        for key in ("bcubed_precision", "bcubed_recall", "bcubed_recall_all_urls"):
            assert 0 < corpus[key] <= 1
        assert 0 <= corpus["long_span_excused"] <= corpus["long_span_stories"]
        assert len(corpus["worst_long_span"]) <= min(10, corpus["long_span_stories"])
