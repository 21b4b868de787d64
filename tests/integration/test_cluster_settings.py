"""The cluster's settings, when missing or wrong: one line saying what to set, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

NEWSDW = [sys.executable, "-c", "from pipelines.cli import main; main()"]


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDW_")}
    return subprocess.run(
        [*NEWSDW, *args], capture_output=True, text=True, env={**clean, **env}, timeout=120
    )


def test_a_celery_build_needs_the_shared_instance_and_the_broker(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("---\ntitle: A\n---\n")
    warehouse = tmp_path / "w"
    build = ["build", "--content", str(content), "--warehouse", str(warehouse)]
    no_instance = run(*build, "--executor", "celery")
    assert no_instance.returncode == 1
    assert "NEWSDW_INSTANCE" in no_instance.stderr and "PostgreSQL" in no_instance.stderr
    assert len(no_instance.stderr.strip().splitlines()) == 1
    home = tmp_path / "instance"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    no_broker = run(*build, "--executor", "celery", NEWSDW_INSTANCE=str(home))
    assert no_broker.returncode == 1
    assert "NEWSDW_CELERY_BROKER" in no_broker.stderr
    assert not warehouse.exists()


def test_content_on_s3_needs_a_sharded_build(tmp_path):
    done = run("build", "--content", "s3://bucket/content", "--warehouse", str(tmp_path / "w"))
    assert done.returncode == 1
    assert "--sharded" in done.stderr
    assert not (tmp_path / "w").exists()


def test_a_worker_needs_the_shared_instance_and_the_broker(tmp_path):
    no_instance = run("worker", "--folder", str(tmp_path / "worker"))
    assert no_instance.returncode == 1 and "NEWSDW_INSTANCE" in no_instance.stderr
    home = tmp_path / "instance"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    no_broker = run("worker", "--folder", str(tmp_path / "worker"), NEWSDW_INSTANCE=str(home))
    assert no_broker.returncode == 1 and "NEWSDW_CELERY_BROKER" in no_broker.stderr
