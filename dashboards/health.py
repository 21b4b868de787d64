"""Data health: quarantined files with their reasons, duplicates found, and the last build."""

from __future__ import annotations

import plotly.graph_objects as go

from .data import Warehouse
from .figures import count_axis, figure, no_data, text
from .page import Chart, Column, Page, Table, Tile, Tiles, count_note

QUARANTINE_ROWS = 500
DUPLICATE_ROWS = 100
DUPLICATE_PATHS = 5

# The ingest's own counts, as the raw/files asset reported them, in reading order.
BUILD_COUNTS = [
    ("files_seen", "Files seen"),
    ("files_parsed", "Files parsed"),
    ("files_unchanged", "Files unchanged"),
    ("files_deleted", "Files deleted since the last build"),
    ("files_quarantined", "Files quarantined"),
    ("articles", "Article files"),
]


def build(warehouse: Warehouse) -> Page:
    """The Data health page."""
    counts = warehouse.row("warehouse_counts")
    head = warehouse.row("headline")
    tiles = Tiles(
        [
            Tile(
                "Files quarantined", f"{counts['quarantined_files']:,}", "kept out, with a reason"
            ),
            Tile("Files in the warehouse", f"{counts['parsed_files']:,}", "raw.articles"),
            Tile(
                "Duplicated articles",
                f"{counts['duplicated_articles']:,}",
                f"{counts['superseded_files']:,} extra files merged",
            ),
            Tile("Undated articles", f"{head['undated_articles']:,}", "in no monthly table"),
            Tile(
                "Unrated articles", f"{head['articles'] - head['rated_articles']:,}", "no quality"
            ),
        ]
    )
    return Page(
        slug="health",
        title="Data health",
        summary="What was kept out of the warehouse and why, and what the last build did.",
        sections=[
            tiles,
            quarantine_kinds(warehouse),
            last_build(warehouse, counts),
            quarantine_files(warehouse, counts["quarantined_files"]),
            duplicates(warehouse, counts["duplicated_articles"]),
        ],
    )


def quarantine_kinds(warehouse: Warehouse) -> Chart:
    """Quarantined files per kind of error."""
    frame = warehouse.frame("quarantine_kinds")
    fig = figure(
        height=max(260, 30 * frame.height + 80),
        xaxis=count_axis("files", frame["files"].max()),
        showlegend=False,
    )
    fig.add_trace(
        go.Bar(
            x=frame["files"].to_list(),
            y=text(frame["error_kind"]),
            orientation="h",
            marker_color="#d95f02",
            hovertemplate="%{y}: %{x:,} files<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    if frame.is_empty():
        no_data(fig, "No file was quarantined")
    return Chart(
        key="quarantine-kinds",
        title="Quarantined files by kind",
        figure=fig,
        caption="raw.quarantine grouped by error_kind (the kinds of the warehouse contract).",
    )


def last_build(warehouse: Warehouse, counts: dict) -> Table:
    """The last build's own counts beside the rows it published."""
    provenance = warehouse.provenance
    reported = provenance.build_counts
    rows = [
        {"what": label, "count": reported[key]} for key, label in BUILD_COUNTS if key in reported
    ]
    rows += [
        {"what": "Rows in raw.articles", "count": counts["parsed_files"]},
        {"what": "Rows in raw.quarantine", "count": counts["quarantined_files"]},
        {"what": "Articles after merging duplicates", "count": counts["articles"]},
        {"what": "Article–topic rows", "count": counts["topic_rows"]},
        {"what": "Related-article rows", "count": counts["related_rows"]},
    ]
    run = f"Dagster run {provenance.run_id}; " if provenance.run_id else ""
    return Table(
        key="last-build",
        title="The last build",
        columns=[Column("what", "What"), Column("count", "Count", "int")],
        rows=rows,
        wide=False,
        caption=f"{run}content from {provenance.content_dir}; published to {provenance.database}."
        + ("" if reported else " The ingest's own counts were not available to this build."),
    )


def quarantine_files(warehouse: Warehouse, total: int) -> Table:
    """Each quarantined file with its kind, line and message."""
    frame = warehouse.frame("quarantine_files", rows=QUARANTINE_ROWS)
    shown = count_note(frame.height, total, "quarantined files")
    return Table(
        key="quarantine-files",
        title="Quarantined files",
        columns=[
            Column("source_path", "File"),
            Column("error_kind", "Kind"),
            Column("line", "Line", "int"),
            Column("message", "Message"),
        ],
        rows=frame.to_dicts(),
        caption=f"{shown}, by kind and path, from raw.quarantine. Fix a file and the next"
        " build takes it in.",
    )


def duplicates(warehouse: Warehouse, total: int) -> Table:
    """Articles found in more than one file, with the file kept and the others."""
    frame = warehouse.frame("duplicates", rows=DUPLICATE_ROWS, paths=DUPLICATE_PATHS)
    shown = count_note(frame.height, total, "articles found in more than one file")
    return Table(
        key="duplicates",
        title="Duplicates found",
        columns=[
            Column("title", "Title"),
            Column("canonical_url", "Canonical URL"),
            Column("source_path", "File kept"),
            Column("duplicate_files", "Other files", "list"),
            Column("copies", "Other copies", "int"),
        ],
        rows=frame.to_dicts(),
        caption=f"{shown}, most copied first, with up to {DUPLICATE_PATHS} of the other files"
        " each, from staging.stg_articles. The file with the latest modification time is kept.",
    )
