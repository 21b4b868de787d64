"""The built wheel carries the SQL models, and an install of it finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def uv() -> str:
    """uv as `make` finds it: on PATH, or the copy `make` puts in .tools/."""
    found = shutil.which("uv") or ROOT / ".tools" / "bin" / "uv"
    assert Path(found).is_file(), "uv is needed to build the wheel: run `make sync` first"
    return str(found)


def test_the_wheel_holds_every_model_and_an_install_of_it_finds_them(tmp_path: Path):
    built = subprocess.run(
        [uv(), "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("newsdw-*.whl")
    models = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.glob("sql/*/*.sql"))
    assert {"sql/staging", "sql/marts"} <= {model.rsplit("/", 1)[0] for model in models}
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
        packaged = sorted(name for name in archive.namelist() if name.startswith("pipelines/sql/"))
    assert packaged == [f"pipelines/{model}" for model in models]

    # The unpacked wheel comes first on sys.path, as an installed one would be imported.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pipelines.models.catalog import SQL_DIR, load_models;"
            "print(SQL_DIR); print(len(load_models(SQL_DIR)))",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert found.returncode == 0, found.stderr
    sql_dir, count = found.stdout.split()
    assert Path(sql_dir) == tmp_path / "site" / "pipelines" / "sql"
    assert int(count) == len(models)


def test_a_checkout_finds_its_models_at_the_top_of_the_repository():
    from pipelines.models.catalog import SQL_DIR, load_models

    assert SQL_DIR == ROOT / "sql"
    assert {model.path for model in load_models()} == set(ROOT.glob("sql/*/*.sql"))
