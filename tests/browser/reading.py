"""Reading a drawn page as a reader's tools would: its downloads, its SQL, its charts' data."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from pipelines.query import run_query

# A text cell a spreadsheet would run as a formula starts with one of these.
FORMULA_LEADS = ("=", "+", "-", "@")


def sections(page) -> list[str]:
    """The keys of the page's sections that have a download, in page order."""
    return [
        button.get_attribute("data-download") for button in page.locator("[data-download]").all()
    ]


def download(visit, key: str) -> list[list[str]]:
    """The rows of the section's CSV download, header first."""
    with visit.page.expect_download() as info:
        visit.page.locator(f"[data-download='{key}']").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def shown_rows(visit, key: str) -> list[list[str]]:
    """The rows the section's download holds, read from the page without downloading."""
    text = visit.page.evaluate("(key) => window.newsdwCsv(key)", key)
    return list(csv.reader(io.StringIO(text)))


def section_sql(page, key: str) -> str:
    """The SQL the section shows for the current inputs."""
    return page.locator(f"#{key} [data-sql]").text_content()


def query_rows(warehouse: Path, sql: str) -> list[list[str]]:
    """The rows `newsdw query --format csv` gives for `sql`, header first, with text cells
    that lead with a formula character neutralised as the page's download does."""
    text = run_query(warehouse, sql, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    return [rows[0]] + [[_neutral(cell) for cell in row] for row in rows[1:]]


def _neutral(cell: str) -> str:
    if cell.startswith(FORMULA_LEADS) and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def same_rows(page_rows: list[list[str]], sql_rows: list[list[str]]) -> bool:
    """Whether two CSVs hold the same rows: numbers equal to the rounding shown, text exact."""
    if len(page_rows) != len(sql_rows):
        return False
    return all(
        len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
        for a, b in zip(page_rows, sql_rows, strict=True)
    )


def _same(page_cell: str, sql_cell: str) -> bool:
    if page_cell == sql_cell:
        return True
    if _is_number(page_cell) and _is_number(sql_cell):
        # Both sides round averages and shares to 2 or 4 places; their last digit may differ
        # where JavaScript's and DuckDB's rounding of a halfway binary value part.
        return abs(float(page_cell) - float(sql_cell)) <= 0.0101
    return False


def choose(visit, kind: str, positions: list[int]) -> None:
    """Choose the options at `positions` of the provider or topic filter, then wait."""
    select = visit.page.locator(f"[data-filter='{kind}']")
    values = [select.locator("option").nth(i).get_attribute("value") for i in positions]
    select.select_option(values)
    visit.wait()


def set_range(visit, value: str) -> None:
    """Choose a preset of the date range, then wait."""
    visit.page.select_option("[data-range]", value)
    visit.wait()


def chart_traces(page) -> dict[str, list[dict]]:
    """Every drawn chart's traces (type, mode, x, y, hovertemplate), by section key."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('section .chart')]
            .filter((el) => el.data)
            .map((el) => [el.closest('section').id, el.data.map((t) => ({
                type: t.type, mode: t.mode || null, x: t.x || [], y: t.y || [],
                hovertemplate: t.hovertemplate || '', connectgaps: t.connectgaps || false,
                marker: t.marker || {},
            }))]))"""
    )


def overflowing(page) -> list[str]:
    """Elements whose box reaches past the viewport's right edge (outside scroll boxes)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                // Inside a box that scrolls, or drawn inside a chart, an element may reach past.
                const inner = el.parentElement && el.parentElement.closest(
                    '.table-scroll, .js-plotly-plot, pre, select');
                if (inner) continue;
                const box = el.getBoundingClientRect();
                if (box.width > 0 && box.right > width + 1) {
                    out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
                }
            }
            if (document.documentElement.scrollWidth > width) out.push('page scrolls sideways');
            return out;
        }"""
    )
