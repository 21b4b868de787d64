"""DuckDB's extensions for the lake, loaded from their PyPI packages: nothing is downloaded.

`duckdb-extension-<name>` ships DuckDB's signed build of an extension inside a wheel, pinned
to one DuckDB version. DuckDB finds an extension by name in its extension directory
(`<dir>/v<version>/<platform>/<name>.duckdb_extension`), so the packages' files are linked
into such a directory once; `LOAD` (and the autoloading that `ATTACH 'ducklake:sqlite:…'`
does) then takes them from there. The sqlite and postgres extensions' entry points are named
after `sqlite_scanner` and `postgres_scanner`, so their files are linked under those names.
Where a package is missing, DuckDB's own `INSTALL` is the fallback.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from functools import cache
from pathlib import Path

import duckdb

# Extension name -> (PyPI package, the file name DuckDB loads it under).
PACKAGED = {
    "ducklake": ("duckdb_extension_ducklake", "ducklake"),
    "sqlite": ("duckdb_extension_sqlite", "sqlite_scanner"),
    "postgres": ("duckdb_extension_postgres", "postgres_scanner"),
    "httpfs": ("duckdb_extension_httpfs", "httpfs"),
}


def packaged_file(name: str) -> Path | None:
    """The extension file the installed package ships for this DuckDB, or None."""
    package, _ = PACKAGED[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}"
    return next(iter(sorted(folder.glob("*.duckdb_extension"))), None)


@cache
def extension_directory() -> Path:
    """A DuckDB extension directory holding links to the packaged extension files."""
    platform = duckdb.connect().execute("pragma platform").fetchone()[0]
    root = Path(tempfile.gettempdir()) / f"newsdw-duckdb-extensions-{os.getuid()}"
    folder = root / f"v{duckdb.__version__}" / platform
    folder.mkdir(parents=True, exist_ok=True)
    for name, (_, file_name) in PACKAGED.items():
        source = packaged_file(name)
        link = folder / f"{file_name}.duckdb_extension"
        if source is None or (link.is_symlink() and link.resolve() == source.resolve()):
            continue
        # Made beside it and renamed over it: processes starting together never see half a link.
        temporary = folder / f".{file_name}.{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(source)
        os.replace(temporary, link)
    return root


def load_extensions(
    con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = ("ducklake", "sqlite")
) -> None:
    """Load the named extensions into `con`: from the packages, else by DuckDB's INSTALL."""
    con.execute(f"set extension_directory = '{extension_directory()}'")
    for name in names:
        if packaged_file(name) is None:
            con.execute(f"install {name}")
        con.execute(f"load {name}")
