"""The inputs and the downloads: each input changes what the charts show, and each download
holds the rows that `newsdw query` gives for the SQL shown beside it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import PAGES
from .reading import (
    choose,
    download,
    query_rows,
    same_rows,
    section_sql,
    sections,
    set_range,
    shown_rows,
)
from .test_every_page import WAREHOUSES, page_names

# Sections that do not follow an input, by design, and say so in their captions:
# - the headline tiles and the growth lists are about the latest complete month of the range,
#   which every preset shares;
# - the first-to-publish board has no topics; the warehouse's own counts and the quarantine
#   have no date, provider or topic; the duplicates have no topic.
# - the syndicators' and wires' board is empty on the generated corpus, which has neither
#   (the ramp-up corpus's msn.com is on it, and its download is checked against its SQL).
EXEMPT = {
    "range": {"headline", "growing-topics", "growing-providers", "firsts-other"},
    "provider": {"firsts-other"},
    "topic": {"firsts", "firsts-other", "duplicates"},
}
NO_INPUTS = {"warehouse-counts", "quarantine-kinds", "quarantine-files"}

INPUTS = {
    # The default range holds 99% of the articles, most of the generated years: the last 12
    # months are a range that differs from it on every page.
    "range": lambda visit: set_range(visit, "12"),
    "provider": lambda visit: choose(visit, "provider", [1]),
    "topic": lambda visit: choose(visit, "topic", [0]),
}


def _all_rows(visit) -> dict[str, list[list[str]]]:
    return {key: shown_rows(visit, key) for key in sections(visit.page)}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("what", list(INPUTS))
def test_each_input_changes_the_data_of_every_section(
    name, what, generated_site_warehouse, visit
) -> None:
    url = (generated_site_warehouse / "dashboards" / f"{name}.html").as_uri()
    seen = visit(url)
    before = _all_rows(seen)
    assert before, name
    INPUTS[what](seen)
    after = _all_rows(seen)
    unchanged = {key for key in before if before[key] == after[key]}
    assert unchanged <= EXEMPT[what] | NO_INPUTS, f"{name}: {what} left {sorted(unchanged)}"
    assert seen.console_errors == []


STATES = {
    "default": [],
    "all months, two providers, one topic": [
        lambda visit: set_range(visit, "all"),
        lambda visit: choose(visit, "provider", [0, 2]),
        lambda visit: choose(visit, "topic", [1]),
    ],
    "12 months, two topics": [
        lambda visit: set_range(visit, "12"),
        lambda visit: choose(visit, "topic", [0, 1]),
    ],
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("corpus", list(WAREHOUSES))
def test_every_download_is_what_newsdw_query_answers(corpus, state, request, visit) -> None:
    warehouse = request.getfixturevalue(WAREHOUSES[corpus])
    site = warehouse / "dashboards"
    checked = 0
    for name in page_names(site):
        seen = visit((site / f"{name}.html").as_uri())
        for step in STATES[state]:
            step(seen)
        for index, key in enumerate(sections(seen.page)):
            got = shown_rows(seen, key)
            if index == 0:  # the download button hands over exactly these rows
                assert download(seen, key) == got
            want = query_rows(warehouse, section_sql(seen.page, key))
            assert got[0] == want[0], f"{name} {key}: columns"
            assert same_rows(got, want), f"{name} {key} ({state}): {got[:3]} != {want[:3]}"
            checked += 1
        assert seen.console_errors == []
    assert checked >= 30


def test_a_download_is_the_command_lines_answer_too(generated_site_warehouse, visit) -> None:
    """The SQL shown runs as written through the `newsdw query` command."""
    site = generated_site_warehouse / "dashboards"
    seen = visit((site / "index.html").as_uri())
    choose(seen, "provider", [0])
    sql = section_sql(seen.page, "articles-by-band")
    command = [str(Path(sys.executable).parent / "newsdw"), "query", "--format", "csv"]
    command += ["--warehouse", str(generated_site_warehouse), "--", sql]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = [line.split(",") for line in done.stdout.strip().splitlines()]
    assert same_rows(download(seen, "articles-by-band"), rows)


def test_a_text_cell_that_reads_as_a_formula_is_neutralised(tmp_path: Path, visit) -> None:
    from .conftest import build_site_of

    front = (
        "---\ntitle: '{title}'\nsourceUrl: https://formula.example.com/{n}\n"
        "publishedDateTime: 2024-03-0{n}T10:00:00Z\nquality: 40\n"
        "provider:\n  name: '=HYPERLINK(\"http://x\")'\n  domain: formula.example.com\n"
        "topics:\n  - '@SUM(A1)'\n---\nBody.\n"
    )
    files = {f"{n}.txt": front.format(title=f"+{n} cmd", n=n) for n in range(1, 4)}
    site = build_site_of(tmp_path, files) / "dashboards"
    seen = visit((site / "topics.html").as_uri())
    set_range(seen, "all")
    rows = download(seen, "topic-table")
    assert rows[1][0].startswith("'@") and rows[1][1] == "'@SUM(A1)"
    providers = visit((site / "providers.html").as_uri())
    set_range(providers, "all")
    providers.page.locator("[data-all-providers]").check()
    providers.wait()
    leaderboard = download(providers, "leaderboard")
    assert leaderboard[1][1] == '\'=HYPERLINK("http://x")'


@pytest.fixture(scope="module")
def served_generated(generated_site_warehouse):
    from dashboards.serve import make_server

    server = make_server(generated_site_warehouse / "dashboards", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", ["index", "stories"])
def test_pages_from_disk_and_from_newsdw_serve_are_the_same(
    name, generated_site_warehouse, served_generated, visit
) -> None:
    site = generated_site_warehouse / "dashboards"
    from_disk = visit((site / f"{name}.html").as_uri())
    served = visit(f"{served_generated}/{name}.html")
    choose(from_disk, "provider", [0])
    choose(served, "provider", [0])
    for key in sections(from_disk.page):
        assert download(from_disk, key) == download(served, key), key
    assert served.console_errors == []
