"""Analysts may hold the warehouse open during a build: they keep the old data, nothing fails."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
from pipelines.warehouse import connect_read_only, database_path

from pipelines.generate import generate_corpus
from tests.conftest import article

COUNTS = "select (select count(*) from marts.fct_articles), (select count(*) from raw.articles)"


def _command(content: Path, warehouse: Path) -> list[str]:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    return command + ["--content", str(content), "--warehouse", str(warehouse)]


def build(content: Path, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_command(content, warehouse), capture_output=True, text=True, timeout=300)


def test_a_reader_open_through_a_build_keeps_the_old_data(tmp_path: Path):
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    generate_corpus(content, 200, seed=3)
    assert build(content, warehouse).returncode == 0
    reader = duckdb.connect(str(database_path(warehouse)), read_only=True)
    before = reader.execute(COUNTS).fetchone()

    for n in range(25):
        (content / f"new-{n}.txt").write_text(article(f"New {n}", f"https://new.example/{n}"))
    # The reader reads a few times a second while the build runs, from its scan to its end
    # (after the publication); a busy loop would take a core from the build it watches.
    log = tmp_path / "second.log"
    with open(log, "wb") as output:
        second = subprocess.Popen(_command(content, warehouse), stdout=output, stderr=output)
    answers = []
    deadline = time.monotonic() + 300
    while second.poll() is None:
        assert time.monotonic() < deadline, "the build did not end"
        answers.append(reader.execute(COUNTS).fetchone())
        time.sleep(0.1)
    assert second.returncode == 0, log.read_text()[-2000:]
    assert answers and set(answers) == {before}
    assert reader.execute(COUNTS).fetchone() == before  # still the old file, still answering

    after = (before[0] + 25, before[1] + 25)
    fresh = connect_read_only(warehouse)
    assert fresh.execute(COUNTS).fetchone() == after
    fresh.close()
    query = subprocess.run(
        [sys.executable, "-c", "from pipelines.cli import main; main()", "query", COUNTS,
         "--format", "csv", "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert query.stdout.splitlines()[1] == f"{after[0]},{after[1]}"

    # Once the old connection is closed, a plain connect() sees the new build too.
    reader.close()
    again = duckdb.connect(str(database_path(warehouse)), read_only=True)
    assert again.execute(COUNTS).fetchone() == after
    again.close()
    assert not list(warehouse.glob(".*.building"))
