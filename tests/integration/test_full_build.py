"""`newsdw build --full`: every content file read again, and everything downstream rebuilt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.defs.dashboards import dashboards
from pipelines.defs.ingest import FULL_TAG, RAW_FILES, raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.resources import NewsdwPaths
from pipelines.store.lake import connect_read_only
from tests.conftest import article
from tests.helpers import downstream_on_one_machine

# Every asset a build on one machine makes after the raw files (the shards are a cluster's).
DOWNSTREAM = downstream_on_one_machine()


def _same_size_edit_with_mtime_set_back(path: Path, title: str) -> None:
    """An edit that kept the size, then `touch -r`: only the file's ctime tells it moved."""
    before = path.stat()
    text = path.read_text()
    path.write_text(
        text.replace(text[text.index('"') + 1 : text.index('"') + 1 + len(title)], title)
    )
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _titles(warehouse: Path) -> list[tuple]:
    with connect_read_only(warehouse) as con:
        return con.execute("select title from staging.stg_articles order by 1").fetchall()


def test_a_full_run_rereads_every_file_and_rebuilds_downstream(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a", "b"):
        (content / f"{name}.txt").write_text(article(f"Old {name}", f"https://x.com/{name}"))
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(tmp_path / "warehouse"))
    instance = dg.DagsterInstance.ephemeral()

    def build(**kwargs) -> dg.ExecuteInProcessResult:
        assets = [raw_files, warehouse_tables(), dashboards]
        result = dg.materialize(assets, resources={"paths": paths}, instance=instance, **kwargs)
        assert result.success
        return result

    def built_by(result: dg.ExecuteInProcessResult) -> set[str]:
        """How the staging tables were built: "delta" or "whole"."""
        return {
            event.step_materialization_data.materialization.metadata["built_by"].value
            for event in result.get_asset_materialization_events()
            if event.asset_key.path[0] == "staging"
        }

    def parsed(result: dg.ExecuteInProcessResult) -> tuple[set[dg.AssetKey], tuple | None]:
        """The assets materialised, and the files raw/files parsed and kept (if it was)."""
        events = result.get_asset_materialization_events()
        raw = [
            event.step_materialization_data.materialization.metadata
            for event in events
            if event.asset_key == RAW_FILES
        ]
        counts = (raw[0]["files_parsed"].value, raw[0]["files_unchanged"].value) if raw else None
        return {event.asset_key for event in events}, counts

    build()
    assert not build().get_asset_materialization_events()  # nothing changed
    _same_size_edit_with_mtime_set_back(content / "a.txt", "New")
    # The incremental build sees the edit (its ctime moved) and reads that file alone; the
    # staging tables select again that one article's rows.
    result = build()
    assert parsed(result) == ({RAW_FILES, *DOWNSTREAM}, (1, 1))
    assert built_by(result) == {"delta"}
    assert _titles(paths.warehouse) == [("New a",), ("Old b",)]

    # With nothing changed, a full build reads every file and rebuilds everything all the same,
    # every table whole.
    result = build(tags={FULL_TAG: "true"})
    assert parsed(result) == ({RAW_FILES, *DOWNSTREAM}, (2, 0))
    assert built_by(result) == {"whole"}
    assert _titles(paths.warehouse) == [("New a",), ("Old b",)]


def test_build_help_documents_full() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "--full" in result.output
    assert "every content file" in " ".join(result.output.split())


def test_newsdw_build_full_rereads_every_file(tmp_path: Path) -> None:
    # A process of its own: the paths are read from the environment when Dagster's
    # definitions are imported, once per process.
    content, warehouse = tmp_path / "content", tmp_path / "warehouse"
    content.mkdir()
    (content / "a.txt").write_text(article("Old a", "https://x.com/a"))
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "build"]
    command += ["--content", str(content), "--warehouse", str(warehouse)]

    def build(*flags: str) -> str:
        done = subprocess.run(
            [*command, *flags], cwd=tmp_path, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    build()
    output = build("--full")  # nothing changed: every file is read again all the same
    assert "nothing changed" not in output
    parsed = next(line for line in output.splitlines() if line.strip().startswith("parsed"))
    assert parsed.split()[-1] == "1", output
    assert _titles(warehouse) == [("Old a",)]
