"""The static site: every page rendered from the warehouse, beside one shared plotly.js."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
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
    folder = site_dir(warehouse_dir)
    warehouse = Warehouse(warehouse_dir, provenance)
    try:
        pages = [module.build(warehouse) for module in PAGES]
    finally:
        warehouse.close()
    assets = folder / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    plotly_js = assets / "plotly.min.js"
    _write_if_changed(plotly_js, get_plotlyjs().encode("utf-8"))
    for name in ("site.css", "site.js", "favicon.svg"):
        _write_if_changed(assets / name, (_HERE / "static" / name).read_bytes())
    written = []
    for page in pages:
        html = render(page, pages, provenance)
        path = folder / page.filename
        _write_atomic(path, html.encode("utf-8"))
        written.append(PageFile(page.title, path, path.stat().st_size, len(page.charts)))
        log(f"wrote {path.name}: {len(page.charts)} charts, {written[-1].size / 1024:,.0f} KiB")
    return Site(folder, written, plotly_js, time.perf_counter() - started)


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


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.stat().st_size != len(data) or path.read_bytes() != data:
        _write_atomic(path, data)


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` whole, so a reader never sees half a page."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
