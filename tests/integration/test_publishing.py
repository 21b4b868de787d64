"""Analysts may read the lake during a build: each question sees one whole build, nothing fails."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipelines.generate import generate_corpus
from pipelines.store.lake import begin_read, connect_read_only
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
    # One reader holds one transaction through the build; the other asks each question alone.
    reader, asker = connect_read_only(warehouse), connect_read_only(warehouse)
    begin_read(reader)
    before = reader.execute(COUNTS).fetchone()

    for n in range(25):
        (content / f"new-{n}.txt").write_text(article(f"New {n}", f"https://new.example/{n}"))
    after = (before[0] + 25, before[1] + 25)
    # The readers read a few times a second while the build runs, from its scan to its end
    # (after the commit); a busy loop would take a core from the build it watches.
    log = tmp_path / "second.log"
    with open(log, "wb") as output:
        second = subprocess.Popen(_command(content, warehouse), stdout=output, stderr=output)
    answers, asked = [], []
    deadline = time.monotonic() + 300
    while second.poll() is None:
        assert time.monotonic() < deadline, "the build did not end"
        answers.append(reader.execute(COUNTS).fetchone())
        asked.append(asker.execute(COUNTS).fetchone())
        time.sleep(0.1)
    assert second.returncode == 0, log.read_text()[-2000:]
    assert answers and set(answers) == {before}
    # Each question alone sees the old build or the new one, whole: never a mix of the two.
    assert set(asked) <= {before, after}
    assert reader.execute(COUNTS).fetchone() == before  # its transaction still reads the old build

    reader.execute("commit")
    begin_read(reader)
    assert reader.execute(COUNTS).fetchone() == after
    assert asker.execute(COUNTS).fetchone() == after
    reader.close()
    asker.close()
    fresh = connect_read_only(warehouse)
    assert fresh.execute(COUNTS).fetchone() == after
    fresh.close()
    query = subprocess.run(
        [sys.executable, "-c", "from pipelines.cli import main; main()", "query", COUNTS,
         "--format", "csv", "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert query.stdout.splitlines()[1] == f"{after[0]},{after[1]}"
