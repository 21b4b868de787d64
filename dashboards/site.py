"""The static site: every page rendered from the warehouse, beside one shared plotly.js."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

import jinja2

from pipelines.store.lake import Lake, located
from pipelines.store.lock import writer_lock

from . import drill, health, overview, providers, quality, stories, theme, topics
from .bundle import build_bundle, write_bundle
from .data import Provenance, Warehouse
from .page import MEANS, Page, Section

SITE_DIR = "dashboards"
# Every build writes its own site in here; SITE_DIR is a symbolic link to the published one.
VERSIONS_DIR = ".dashboards"

_HERE = Path(__file__).resolve().parent
# plotly.js's cartesian partial bundle (npm plotly.js-cartesian-dist-min 4.1.1, the version
# the plotly package embeds; MIT, licence beside it). It draws every chart of the pages
# (scatter, bar, heatmap) in 1.5 MB, 0.5 MB gzipped, where the full bundle takes 4.8 MB, 1.5 MB
# gzipped. The basic bundle (1.2 MB) has no heatmap.
PLOTLY_JS = _HERE / "static" / "vendor" / "plotly-cartesian.min.js"
PLOTLY_LICENSE = _HERE / "static" / "vendor" / "plotly-cartesian.LICENSE"
# The pages' own plain scripts, in the order a page loads them: each reads what those before
# it define (data.js the data and the inputs, site.js last, which starts the drawing).
SCRIPTS = (
    "data.js",
    "format.js",
    "figures.js",
    "charts.js",
    "changes.js",
    "stories.js",
    "tables.js",
    "headlines.js",
    "site.js",
    "phone.js",
)
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
    in_menu: bool = True


@dataclass(frozen=True)
class Site:
    """What `build_site` wrote."""

    folder: Path
    pages: list[PageFile]
    plotly_js: Path
    seconds: float
    data_bytes: int = 0

    @property
    def index(self) -> Path:
        """The Overview page, where a reader starts."""
        return self.folder / "index.html"


def site_dir(warehouse_dir: Path) -> Path:
    """Where the dashboards of a warehouse live."""
    return warehouse_dir / SITE_DIR


def build_site(
    warehouse_dir: Path,
    provenance: Provenance,
    log: Callable[[str], None] = lambda _: None,
    lake: Lake | None = None,
) -> Site:
    """Read the published warehouse and write every page, its assets and plotly.js."""
    with writer_lock(warehouse_dir, log):
        return _build_site(warehouse_dir, provenance, log, lake or located(warehouse_dir))


def _build_site(
    warehouse_dir: Path, provenance: Provenance, log: Callable[[str], None], lake: Lake
) -> Site:
    started = time.perf_counter()
    published = site_dir(warehouse_dir)
    versions = warehouse_dir / VERSIONS_DIR
    _remove_unpublished(versions, keep=_published_version(published))
    warehouse = Warehouse(lake, provenance)
    try:
        bundle = build_bundle(warehouse)
        articles = int(bundle.providers["articles"].sum() or 0)
        pages = [
            overview.build(),
            providers.build(),
            topics.build(articles),
            quality.build(),
            stories.build(),
            health.build(),
            *drill.pages(bundle.providers, bundle.topics),
        ]
        embedded = {
            section.key: embedded_rows(warehouse, section)
            for section in pages[5].sections
            if section.kind == "rows"
        }
    finally:
        warehouse.close()
    # The whole site is written into a folder no reader knows of, then swapped in at once: a
    # build stopped half-way leaves the published site as it was, never half old, half new.
    folder = versions / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
    data_bytes = write_bundle(bundle, folder)
    log(f"wrote {len(bundle.files):,} data scripts, {data_bytes / 1024:,.0f} KiB")
    written = _write_site(folder, pages, embedded, provenance, log)
    _publish(folder, published)
    return Site(
        published,
        [replace(page, path=published / page.path.name) for page in written],
        published / "assets" / "plotly.min.js",
        time.perf_counter() - started,
        data_bytes,
    )


def embedded_rows(warehouse: Warehouse, section: Section) -> list[list]:
    """The rows of a section that the page embeds whole: its query over every month."""
    params = {
        "from": date(1, 1, 1),
        "to": date(9999, 12, 1),
        "providers": [],
        "topics": [],
        **{
            name: value
            for name, value in section.options.items()
            if isinstance(value, int) and not isinstance(value, bool)
        },
    }
    code = "\n".join(line.split("--")[0] for line in section.sql.splitlines())
    names = set(re.findall(r"\$([a-z_]+)\b", code))
    used = {name: value for name, value in params.items() if name in names}
    return [list(row) for row in warehouse.execute(section.sql, used)]


def _write_site(
    folder: Path,
    pages: list[Page],
    embedded: dict[str, list[list]],
    provenance: Provenance,
    log: Callable[[str], None],
) -> list[PageFile]:
    """Write every page, plotly.js and the static assets into the new folder `folder`."""
    assets = folder / "assets"
    assets.mkdir(parents=True)
    shutil.copyfile(PLOTLY_JS, assets / "plotly.min.js")
    shutil.copyfile(PLOTLY_LICENSE, assets / "plotly.LICENSE")
    for name in ("site.css", "favicon.svg", *SCRIPTS):
        shutil.copyfile(_HERE / "static" / name, assets / name)
    drills = {
        kind: {
            page.preset[kind][0]: page.filename
            for page in pages
            if not page.in_menu and kind in page.preset
        }
        for kind in ("providers", "topics")
    }
    menu = [page for page in pages if page.in_menu]
    written = []
    for page in pages:
        path = folder / page.filename
        path.write_text(render(page, menu, drills, embedded, provenance), encoding="utf-8")
        written.append(
            PageFile(page.title, path, path.stat().st_size, len(page.charts), page.in_menu)
        )
        if page.in_menu:
            size = written[-1].size / 1024
            log(f"wrote {path.name}: {len(page.sections)} sections, {size:,.0f} KiB")
    log(f"wrote {len(pages) - len(menu)} drill-down pages")
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


def render(
    page: Page,
    menu: list[Page],
    drills: dict[str, dict[str, str]],
    embedded: dict[str, list[list]],
    provenance: Provenance,
) -> str:
    """The HTML of one page; every value from the data is escaped by the template."""
    sections = []
    for section in page.sections:
        spec = section.spec()
        if section.kind == "rows":
            spec["options"] = {**spec["options"], "rows": embedded[section.key]}
        sections.append(spec)
    spec = {
        "root": "",
        "sections": sections,
        "preset": page.preset,
        "drill": drills,
        "stories": any(section.kind.startswith(("stor", "firsts")) for section in page.sections),
        "template": theme.TEMPLATE_JSON,
        "palette": theme.PALETTE,
    }
    reported = provenance.build_counts
    return _ENV.get_template("page.html").render(
        page=page,
        pages=menu,
        spec=json.dumps(spec, ensure_ascii=False, default=str).replace("<", "\\u003c"),
        build_counts=[
            (label, reported[key]) for key, label in health.BUILD_COUNTS if key in reported
        ]
        if page.slug == "health"
        else [],
        provenance=provenance,
        built_at=provenance.data_built_at.strftime("%Y-%m-%d %H:%M UTC"),
        made_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        files_seen=provenance.build_counts.get("files_seen"),
        means_topics=MEANS["topics"],
        scripts=SCRIPTS,
        version=version("newsdw"),
    )
