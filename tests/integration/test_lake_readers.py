"""Readers of the lake during builds: every answer from one complete build, and no error.

Four reader processes ask a question in a loop, each in one transaction, while builds run
(full reads, deltas, no-ops) and others are killed with SIGKILL in the middle of their
transaction. The question is a cross-table sum that holds within any one build.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipelines.store import lake
from tests.conftest import article

# A build as `newsdw build` commits it: the ingest, then one lake transaction.
_BUILD = """
import sys
import time
from pathlib import Path
from pipelines.ingest import ingest
from pipelines.ingest.manifest import request_full_read
from pipelines.models import load_models
from pipelines.store.commit import build_and_publish
content, warehouse, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if mode == "full":
    request_full_read(warehouse)
if mode == "killed":
    # Stops inside the transaction, every table written but nothing committed, and waits.
    from pipelines.store import commit
    build_models = commit.build_models
    def build_then_wait(*args, **kwargs):
        yield from build_models(*args, **kwargs)
        Path(sys.argv[4]).touch()
        import threading
        threading.Event().wait()
    commit.build_models = build_then_wait
ingest(content, warehouse)
assert build_and_publish(warehouse, load_models()).published is not None
"""

# One build's answer: the articles, and whether four tables agree on them.
QUESTION = """
select
    (select count(*) from marts.fct_articles) as articles,
    (select count(*) from staging.stg_articles) = (select count(*) from marts.fct_articles)
    and (select sum(articles) from marts.dim_providers) = (select count(*) from marts.fct_articles)
    and (select count(distinct source_path) from raw.articles)
        = (select sum(n_files) from marts.fct_articles) as agrees
"""

_READER = """
import json, sys, time
from pathlib import Path
from pipelines.store import lake
warehouse, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
question = sys.argv[4]
answers, errors = [], []
con = lake.connect_read_only(warehouse)
while not stop.exists():
    try:
        lake.begin_read(con)
        answers.append(list(con.execute(question).fetchone()))
        con.execute("commit")
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.02)  # pacing: four readers asking flat out would starve the builds
out.write_text(json.dumps({"answers": answers, "errors": errors}))
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", *args], capture_output=True, text=True, timeout=600
    )


def _articles(warehouse: Path) -> int:
    con = lake.connect_read_only(warehouse)
    try:
        return con.execute("select count(*) from marts.fct_articles").fetchone()[0]
    finally:
        con.close()


def test_readers_see_whole_builds_through_builds_and_kills(tmp_path: Path) -> None:
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    for n in range(40):
        (content / f"a{n}.txt").write_text(article(f"Story {n}", f"https://a.example/{n}"))
    first = _run(_BUILD, str(content), str(warehouse), "delta")
    assert first.returncode == 0, first.stderr[-3000:]
    committed = {_articles(warehouse)}

    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _READER,
                str(warehouse),
                str(stop),
                str(tmp_path / f"r{n}.json"),
                QUESTION,
            ],
        )  # fmt: skip
        for n in range(4)
    ]
    try:
        added = 40
        kills = 0
        for round_ in range(20):
            mode = ("full", "delta", "noop", "delta")[round_ % 4]
            if mode == "delta":
                # Files come and go, so every build has its own article count.
                (content / f"a{added}.txt").write_text(
                    article(f"New {added}", f"https://n.io/{added}")
                )
                (content / f"a{added + 1}.txt").write_text(article("More", f"https://m.io/{added}"))
                (content / f"a{round_}.txt").unlink(missing_ok=True)
                added += 2
            built = _run(_BUILD, str(content), str(warehouse), mode)
            assert built.returncode == 0, built.stderr[-3000:]
            committed.add(_articles(warehouse))
            if round_ % 4 == 1 and kills < 5:
                (content / f"k{round_}.txt").write_text(article("Killed", f"https://k.io/{round_}"))
                marker = tmp_path / f"killed-{round_}"
                killed = subprocess.Popen(
                    [sys.executable, "-c", _BUILD, str(content), str(warehouse), "killed",
                     str(marker)],
                )  # fmt: skip
                while not marker.exists():
                    assert killed.poll() is None, "the build to kill ended on its own"
                    time.sleep(0.05)  # pacing the look; the marker orders the kill
                killed.send_signal(signal.SIGKILL)
                killed.wait()
                kills += 1
        assert kills == 5
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=300)
    reports = [json.loads((tmp_path / f"r{n}.json").read_text()) for n in range(4)]
    assert [report["errors"] for report in reports] == [[], [], [], []]
    answers = [tuple(answer) for report in reports for answer in report["answers"]]
    assert answers, "the readers asked nothing"
    assert all(agrees for _, agrees in answers)
    # Every answer is a committed build's: never a killed build's, never half of one.
    assert {articles for articles, _ in answers} <= committed
    # The killed builds' files were removed by the builds after them: none is left over.
    with lake.writing(warehouse) as con:
        orphans = con.execute(
            "from ducklake_delete_orphaned_files('newsdw', dry_run => true, cleanup_all => true)"
        ).fetchall()
    assert orphans == []
