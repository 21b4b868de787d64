"""The lake's extensions come from their PyPI packages: loaded offline, never downloaded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.store import extensions


@pytest.mark.parametrize("name", sorted(extensions.PACKAGED))
def test_each_extension_loads_from_its_package(name: str) -> None:
    packaged = extensions.packaged_file(name)
    assert packaged is not None and packaged.is_file()
    assert f"v{duckdb.__version__}" in packaged.parts
    # No network: autoinstall is off, so a load that looked elsewhere would fail.
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    extensions.load_extensions(con, (name,))
    loaded_name = extensions.PACKAGED[name][1]
    (install_path,) = con.execute(
        "select install_path from duckdb_extensions() where loaded and extension_name = $name",
        {"name": loaded_name},
    ).fetchone()
    assert Path(install_path).resolve() == packaged.resolve()


def test_a_lake_attaches_with_the_packaged_extensions(tmp_path: Path) -> None:
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    extensions.load_extensions(con)
    catalog, data = tmp_path / "catalog.sqlite", tmp_path / "data"
    con.execute(f"attach 'ducklake:sqlite:{catalog}' as lake (data_path '{data}/')")
    con.execute("create table lake.t as select range as answer from range(1000)")
    assert con.execute("select sum(answer) from lake.t").fetchall() == [(499500,)]
    assert list(data.rglob("*.parquet"))
