"""Commands on a mistyped path leave nothing behind; an empty content folder is called out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def newsdw(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", *args]
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDW_")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def test_build_on_a_mistyped_content_path_creates_no_warehouse(tmp_path: Path):
    warehouse = tmp_path / "wh"
    result = newsdw(
        "build", "--content", str(tmp_path / "contnet"), "--warehouse", str(warehouse), cwd=tmp_path
    )
    assert result.returncode != 0 and "contnet" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not warehouse.exists()


def test_serve_on_a_mistyped_warehouse_path_creates_nothing(tmp_path: Path):
    result = newsdw("serve", "--warehouse", str(tmp_path / "typo"), "--port", "0", cwd=tmp_path)
    assert result.returncode != 0 and "newsdw build" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_build_of_an_empty_content_folder_warns_naming_it_and_still_builds(tmp_path: Path):
    content, warehouse = tmp_path / "empty", tmp_path / "wh"
    (content / ".git").mkdir(parents=True)  # hidden entries are not content
    (content / ".git" / "config").write_text("ignored")
    (content / "2024").mkdir()
    result = newsdw("build", "--content", str(content), "--warehouse", str(warehouse), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("newsdw: warning")]
    assert len(warnings) == 1 and str(content) in warnings[0] and "no content files" in warnings[0]
    assert (warehouse / "newsdw.ducklake").is_file()


def test_ui_on_a_mistyped_content_path_creates_no_warehouse(tmp_path: Path):
    warehouse = tmp_path / "wh"
    args = ("ui", "--content", str(tmp_path / "contnet"), "--warehouse", str(warehouse))
    result = newsdw(*args, "--port", "0", cwd=tmp_path)
    assert result.returncode != 0 and "contnet" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not warehouse.exists()
