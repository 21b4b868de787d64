"""Data health: quarantined files with their reasons, duplicates found, and the last build."""

from __future__ import annotations

from .page import Page, Section

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


def build() -> Page:
    """The Data health page."""
    return Page(
        slug="health",
        title="Data health",
        summary="What was kept out of the warehouse and why, and what the last build did."
        " Quarantined files have no date, provider or topic, so the inputs leave them be.",
        sections=[
            rows(
                "warehouse-counts",
                "What the warehouse holds",
                "Rows of the published tables; the inputs do not apply.",
                "warehouse_counts",
                [("what", "What", False), ("count", "Count", True)],
            ),
            rows(
                "quarantine-kinds",
                "Quarantined files by kind",
                "raw.quarantine grouped by error_kind, the kinds of the warehouse contract.",
                "quarantine_kinds",
                [("error_kind", "Kind", False), ("files", "Files", True)],
            ),
            rows(
                "quarantine-files",
                "Quarantined files",
                f"Up to {QUARANTINE_ROWS} quarantined files by kind and path, from"
                " raw.quarantine. Fix a file and the next build takes it in.",
                "quarantine_files",
                [
                    ("source_path", "File", False),
                    ("error_kind", "Kind", False),
                    ("line", "Line", True),
                    ("message", "Message", False),
                ],
                top=QUARANTINE_ROWS,
            ),
            rows(
                "duplicates",
                "Duplicates found",
                f"Of the {DUPLICATE_ROWS} articles found in the most files, those of the range"
                f" and the chosen providers, with up to {DUPLICATE_PATHS} of their other files."
                " The file with the latest modification time is kept.",
                "duplicates",
                [
                    ("month", "Month", False),
                    ("provider_domain", "Provider", False),
                    ("title", "Title", False),
                    ("canonical_url", "Canonical URL", False),
                    ("source_path", "File kept", False),
                    ("duplicate_files", "Other files", False),
                    ("copies", "Other copies", True),
                ],
                top=DUPLICATE_ROWS,
                paths=DUPLICATE_PATHS,
                month_column=0,
                provider_column=1,
            ),
        ],
    )


def rows(
    key: str,
    title: str,
    caption: str,
    query: str,
    columns: list[tuple[str, str, bool]],
    **options: object,
) -> Section:
    """A table of rows that the site's build reads from the warehouse and embeds."""
    return Section(
        key=key,
        kind="rows",
        title=title,
        caption=caption,
        query=(query,),
        options={
            **options,
            "columns": [name for name, _, _ in columns],
            "headings": [heading for _, heading, _ in columns],
            "numeric": [numeric for _, _, numeric in columns],
            "shown": list(range(len(columns))),
        },
        display="table",
    )
