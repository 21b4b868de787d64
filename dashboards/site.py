"""The static site: every page rendered from the warehouse, beside one shared plotly.js."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import jinja2
from plotly.offline import get_plotlyjs

from pipelines.warehouse import writer_lock

from . import health, overview, providers, quality, topics
from .data import Provenance, Warehouse
from .page import Page

SITE_DIR = "dashboards"
# Every build writes its own site in here; SITE_DIR is a symbolic link to the published one.
VERSIONS_DIR = ".dashboards"
PAGES = [overview, providers, topics, quality, health]

_HERE = Path(__file__).resolve().parent
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class PageFile:
    """A written page: its title, file, size in bytes and number of charts."""

    title: str
    path: Path
    size: int
    charts: int


@dataclass(frozen=True)
class Site:
    """What `build_site` wrote."""

    folder: Path
    pages: list[PageFile]
    plotly_js: Path
    seconds: float

    @property
    def index(self) -> Path:
        """The Overview page, where a reader starts."""
        return self.folder / "index.html"


def site_dir(warehouse_dir: Path) -> Path:
    """Where the dashboards of a warehouse live."""
    return warehouse_dir / SITE_DIR


def build_site(
    warehouse_dir: Path, provenance: Provenance, log: Callable[[str], None] = lambda _: None
) -> Site:
    """Read the published warehouse and write every page, its assets and plotly.js."""
    with writer_lock(warehouse_dir, log):
        return _build_site(warehouse_dir, provenance, log)


def _build_site(warehouse_dir: Path, provenance: Provenance, log: Callable[[str], None]) -> Site:
    started = time.perf_counter()
    published = site_dir(warehouse_dir)
    versions = warehouse_dir / VERSIONS_DIR
    _remove_unpublished(versions, keep=_published_version(published))
    warehouse = Warehouse(warehouse_dir, provenance)
    try:
        pages = [module.build(warehouse) for module in PAGES]
    finally:
        warehouse.close()
    # The whole site is written into a folder no reader knows of, then swapped in at once: a
    # build stopped half-way leaves the published site as it was, never half old, half new.
    folder = versions / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
    written = _write_site(folder, pages, provenance, log)
    _publish(folder, published)
    return Site(
        published,
        [replace(page, path=published / page.path.name) for page in written],
        published / "assets" / "plotly.min.js",
        time.perf_counter() - started,
    )


def _write_site(
    folder: Path, pages: list[Page], provenance: Provenance, log: Callable[[str], None]
) -> list[PageFile]:
    """Write every page, plotly.js and the static assets into the new folder `folder`."""
    assets = folder / "assets"
    assets.mkdir(parents=True)
    (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    for name in ("site.css", "site.js", "favicon.svg"):
        shutil.copyfile(_HERE / "static" / name, assets / name)
    written = []
    for page in pages:
        path = folder / page.filename
        path.write_text(render(page, pages, provenance), encoding="utf-8")
        written.append(PageFile(page.title, path, path.stat().st_size, len(page.charts)))
        log(f"wrote {path.name}: {len(page.charts)} charts, {written[-1].size / 1024:,.0f} KiB")
    return written


def _publish(folder: Path, published: Path) -> None:
    """Point the link `published` at `folder` in one rename, which readers see happen whole."""
    link = folder.with_name(f"{folder.name}.link")
    # The link's target is read from where it ends up, beside the versions folder.
    link.symlink_to(folder.relative_to(published.parent))
    if published.is_dir() and not published.is_symlink():
        # A site of the layout before versions: a folder cannot be renamed over, so it is
        # moved aside first (once), and removed with the other old versions.
        published.rename(folder.with_name(f"{published.name}-{os.getpid()}.old"))
    os.replace(link, published)


def _published_version(published: Path) -> str | None:
    """The name of the version folder the published site points at, if any."""
    return Path(os.readlink(published)).name if published.is_symlink() else None


def _remove_unpublished(versions: Path, keep: str | None) -> None:
    """Remove the versions no longer published, and what killed builds left half-written."""
    # The version before the published one goes one build later, not at once: a reader that
    # opened a page of it may still be loading its assets.
    if not versions.is_dir():
        return
    for entry in versions.iterdir():
        if entry.name == keep:
            continue
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def render(page: Page, pages: list[Page], provenance: Provenance) -> str:
    """The HTML of one page; every value from the data is escaped by the template."""
    figures = {chart.key: chart.figure.to_json() for chart in page.charts}
    return _ENV.get_template("page.html").render(
        page=page,
        pages=pages,
        figures=figures,
        provenance=provenance,
        built_at=provenance.data_built_at.strftime("%Y-%m-%d %H:%M UTC"),
        made_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        files_seen=provenance.build_counts.get("files_seen"),
        version=version("newsdw"),
    )
