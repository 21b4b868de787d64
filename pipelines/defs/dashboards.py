"""The stakeholders' view: static Plotly pages over the published marts."""

import dagster as dg

from dashboards.data import provenance_of, query_tables
from dashboards.site import PageFile, build_site

from ..resources import NewsdwPaths
from ..store.lock import WRITER_POOL
from ..versions import dashboards_version
from .automation import FOLLOW_UPSTREAM
from .ingest import DASHBOARDS, OWNERS, RAW_FILES
from .models import table_key


@dg.asset(
    key=DASHBOARDS,
    code_version=dashboards_version(),
    group_name="dashboards",
    kinds={"plotly", "html"},
    owners=OWNERS,
    pool=WRITER_POOL,
    automation_condition=FOLLOW_UPSTREAM,
    deps=[table_key(table) for table in sorted(query_tables())],
    description=(
        "Static pages under `<warehouse>/dashboards/` (Overview, Providers, Topics, Quality, "
        "Stories, Data health, and a drill-down page for each of the 50 leading providers "
        "and topics) drawn in the browser from a data bundle of the published marts, with "
        "date, provider and topic inputs and a CSV for every chart and table. They open "
        "from disk or through `newsdw serve`, with no network."
    ),
)
def dashboards(context: dg.AssetExecutionContext, paths: NewsdwPaths) -> dg.MaterializeResult:
    """Render every page from the published warehouse and the last ingest's own counts."""
    ingest = context.instance.get_latest_materialization_event(RAW_FILES)
    counts, run_id = {}, None
    if ingest is not None and ingest.asset_materialization is not None:
        run_id = ingest.run_id
        counts = {
            key: value.value
            for key, value in ingest.asset_materialization.metadata.items()
            if isinstance(value.value, int)
        }
    provenance = provenance_of(paths.lake, paths.content, run_id, counts)
    site = build_site(paths.warehouse, provenance, log=context.log.info, lake=paths.lake)
    context.log.info(f"dashboards: {site.index} ({site.seconds:.1f} s)")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(site.index)),
            "open": dg.MetadataValue.url(site.index.as_uri()),
            "pages": dg.MetadataValue.md(_page_list(site.pages)),
            "charts": sum(page.charts for page in site.pages),
            "drill_down_pages": sum(not page.in_menu for page in site.pages),
            "largest_page_bytes": max(page.size for page in site.pages),
            "data_bytes": site.data_bytes,
            "build_seconds": round(site.seconds, 3),
        }
    )


def _page_list(pages: list[PageFile]) -> str:
    """The menu pages, one line each, then how many drill-down pages there are."""
    lines = [
        f"- {page.title}: `{page.path.name}`, {_count(page.charts, 'chart')}, "
        f"{page.size / 1024:,.0f} KiB"
        for page in pages
        if page.in_menu
    ]
    drills = [page for page in pages if not page.in_menu]
    if drills:
        lines.append(
            f"- and {_count(len(drills), 'drill-down page')} (`provider-*.html`, `topic-*.html`)"
        )
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
