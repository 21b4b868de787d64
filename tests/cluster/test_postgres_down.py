"""PostgreSQL down during a build: the build fails in one line that names the cause, and the
next build, once the server is back, catches up to the build of the same files in a folder."""

from __future__ import annotations

import pytest

from pipelines.generate import generate_corpus
from pipelines.store.lake import Lake
from tests.cluster.commands import newsdw
from tests.helpers import lake_differences


@pytest.mark.parametrize("mode", [[], ["--sharded"]], ids=["one-machine", "sharded"])
def test_a_build_while_postgres_is_down_fails_in_one_line_and_the_next_catches_up(
    tmp_path, shared, pg, mode
):
    where, env = shared
    env = {**env, "NEWSDW_SHARDS": "2"}
    content = tmp_path / "content"
    generate_corpus(content, 120, seed=3)
    flags = ["--catalog", where.catalog, "--data", where.data, *mode]

    def build(*extra: str, warehouse: str = "w2"):
        return newsdw(
            "build", "--content", str(content), "--warehouse", str(tmp_path / warehouse), *extra,
            env=env,
        )  # fmt: skip

    assert build(*flags).returncode == 0
    files = sorted(path for path in content.rglob("*") if path.is_file())
    for path in files[::10]:
        path.write_bytes(path.read_bytes() + b"\nedited\n")
    (content / "added.md").write_bytes(files[1].read_bytes())

    pg.stop()
    try:
        down = build(*flags)
    finally:
        pg.start()
    assert down.returncode == 1, down.stdout
    lines = down.stderr.strip().splitlines()
    assert lines[-1].startswith("newsdw: "), down.stderr
    assert "Unable to connect to Postgres" in lines[-1], lines[-1]
    assert "Traceback" not in down.stderr
    assert pg.password not in down.stdout + down.stderr

    back = build(*flags)
    assert back.returncode == 0, back.stderr
    local = build(warehouse="w1")  # the same files into a warehouse in a folder
    assert local.returncode == 0, local.stderr
    assert lake_differences(tmp_path / "w1", Lake(tmp_path / "w2", where.catalog, where.data)) == {}
