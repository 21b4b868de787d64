"""The small rules the pages are made with: SQL composition, slugs, data scripts, labels,
thresholds."""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import polars as pl
import pytest

from dashboards import page
from dashboards.bundle import _provider_labels, _script
from dashboards.drill import slug
from dashboards.page import Section, chart_sql, shorten
from dashboards.topics import min_pair_articles
from pipelines.models.catalog import upstream_tables

INPUTS = "with calendar as (select 1 as month)"


def decode(script: str) -> tuple[str, object]:
    """The name and the data a data script hands to the pages."""
    call = re.fullmatch(r'newsdwData\("([\w-]+)", "([A-Za-z0-9+/=]*)"\);\n', script)
    assert call, script[:200]
    return call[1], json.loads(gzip.decompress(base64.b64decode(call[2])).decode("utf-8"))


@pytest.fixture
def parts(tmp_path: Path, monkeypatch) -> Path:
    """A folder of chart SQL parts in place of dashboards/queries/charts, with its own inputs."""
    (tmp_path / "_inputs.sql").write_text(f"-- the inputs\n{INPUTS}\n")
    monkeypatch.setattr(page, "CHART_SQL", tmp_path)
    page._sql_part.cache_clear()
    yield tmp_path
    page._sql_part.cache_clear()


@pytest.mark.parametrize(
    ("name", "text", "continues"),
    [
        pytest.param("cont", ", x as (select * from calendar)\nselect * from x", True, id="comma"),
        pytest.param(
            "commented", "-- what\n-- and why\n, x as (select 1)\nselect 1", True, id="comments"
        ),
        pytest.param("alone", "select count(*) from raw.quarantine", False, id="select"),
        pytest.param("own_with", "-- own\nwith x as (select 1)\nselect * from x", False, id="with"),
        pytest.param(
            "leading_commas",
            "select a\n, b\nfrom marts.dim_months",
            False,
            id="leading-comma-columns",
        ),
    ],
)
def test_the_inputs_come_first_only_when_the_first_part_continues_them(
    parts: Path, name: str, text: str, continues: bool
) -> None:
    (parts / f"{name}.sql").write_text(text + "\n")
    (parts / "tail.sql").write_text(", tail as (select 2)\nselect * from tail\n")
    sql = chart_sql((name, "tail"))
    assert sql.startswith(f"-- the inputs\n{INPUTS}\n") == continues
    assert sql.count(INPUTS) == continues
    assert sql.endswith(f"{text}\n, tail as (select 2)\nselect * from tail")


def test_a_missing_part_is_named(parts: Path) -> None:
    with pytest.raises(KeyError, match="nowhere"):
        chart_sql(("nowhere",))


def test_section_sql_has_no_comment_lines(parts: Path) -> None:
    (parts / "part.sql").write_text(
        "-- top\n, x as (\n    -- indented\n    select 1 as n\n)\n  -- trailing\nselect n from x\n"
    )
    section = Section(key="k", kind="rows", title="T", caption="C", query=("part",))
    assert section.sql.splitlines() == [
        INPUTS,
        ", x as (",
        "    select 1 as n",
        ")",
        "select n from x",
    ]


def test_every_sections_sql_of_the_real_pages_has_no_comment_lines() -> None:
    from dashboards import drill, health, overview, providers, quality, stories, topics

    frame = pl.DataFrame({"provider_domain": ["a.com"], "topic_key": ["ai"], "label": ["A"]})
    pages = [overview.build(), providers.build(), topics.build(0), quality.build()]
    pages += [stories.build(), health.build(), *drill.pages(frame, frame)]
    for section in (section for built in pages for section in built.sections):
        lines = section.sql.splitlines()
        assert lines and not any(line.lstrip().startswith("--") for line in lines), section.key
        assert "select" in section.sql


@pytest.mark.parametrize("kind", ["provider", "topic"])
def test_drill_slugs_are_file_name_safe_and_unique(kind: str) -> None:
    keys = [
        "a.b",
        "a-b",
        "a b",
        "A.B",
        "",
        "...",
        "../../etc/passwd",
        "<script>",
        "café",
        "x" * 40 + "1",
        "x" * 40 + "2",
        "é" * 200,
    ]
    slugs = [slug(kind, key) for key in keys]
    assert len(set(slugs)) == len(keys)
    for made in slugs:
        assert re.fullmatch(rf"{kind}-[a-z0-9-]+", made), made
        assert len(made) < 100 and "--" not in made
    assert slug(kind, "a.b") == slug(kind, "a.b")  # the same page name on every build


@pytest.mark.parametrize(
    "data",
    [
        {"months": ["2024-01"], "n": [1, 2], "x": None, "ok": True},
        {"title": "</script><script>alert(1)</script>", "name": "café ☕ — ü", "q": 0.5},
        [],
        {"big": list(range(5_000))},
    ],
)
def test_data_scripts_decode_to_their_data_and_hold_no_tag(data: object) -> None:
    script = _script("p7", data)
    assert "<" not in script
    assert decode(script) == ("p7", data)


def test_data_scripts_refuse_values_json_cannot_hold() -> None:
    with pytest.raises(ValueError):
        _script("base", {"q": float("nan")})


def test_provider_labels_are_unique_and_fall_back_to_the_domain() -> None:
    frame = pl.DataFrame(
        {
            "provider_name": ["Reuters", "Reuters", None, "<i>Odd</i>", "N" * 500],
            "provider_domain": ["reuters.com", "reuters.co.uk", "nameless.org", "odd.net", "n.io"],
        }
    )
    assert _provider_labels(frame) == [
        "Reuters (reuters.com)",
        "Reuters (reuters.co.uk)",
        "nameless.org",
        "<i>Odd</i>",  # the page's script escapes, not the data
        "N" * 59 + "…",
    ]


def test_a_syndicator_is_labelled_with_its_domain_and_outlet_count() -> None:
    frame = pl.DataFrame(
        {
            "provider_name": ["Engadget on MSN.com", "Reuters", "Wired"],
            "provider_domain": ["msn.com", "reuters.com", "wired.com"],
            "distinct_names": [102, 3, 1],
        }
    )
    assert _provider_labels(frame) == ["msn.com (102 outlets)", "Reuters", "Wired"]


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [("short", 10, "short"), ("x" * 10, 10, "x" * 10), ("x" * 11, 10, "x" * 9 + "…"), ("", 1, "")],
)
def test_text_is_cut_to_its_limit_with_an_ellipsis(value: str, limit: int, shown: str) -> None:
    assert shorten(value, limit) == shown
    assert len(shorten(value, limit)) <= limit


@pytest.mark.parametrize(("articles", "threshold"), [(0, 5), (4_000, 5), (5_001, 6), (99_374, 100)])
def test_pairs_need_more_support_as_the_corpus_grows(articles, threshold) -> None:
    assert min_pair_articles(articles) == threshold


# What each section query reads. The counts of articles come from the additive cubes: the
# same sums the data bundle hands the pages, so a chart, its CSV and its SQL agree by
# construction. Pairs need each article's topics together (no cube keeps them), stories and
# files are not counts of a month.
_CUBES = {"marts.agg_provider_months", "marts.agg_provider_topic_months"}
_READS = {
    "band_months": _CUBES | {"marts.dim_months"},
    "quality_months": _CUBES | {"marts.dim_months"},
    "provider_ranking": _CUBES | {"marts.dim_months", "marts.dim_providers"},
    "provider_series": _CUBES | {"marts.dim_months"},
    "provider_growth": _CUBES | {"marts.dim_months"},
    "topic_ranking": _CUBES | {"marts.dim_months", "marts.dim_topics"},
    "topic_series": _CUBES | {"marts.dim_months", "marts.dim_providers", "marts.dim_topics"},
    "topic_growth": _CUBES | {"marts.dim_months"},
    "heatmap": _CUBES | {"marts.dim_months", "marts.dim_providers", "marts.dim_topics"},
    "tiles": _CUBES | {"marts.dim_months"},
    "pairs": {"marts.fct_articles", "marts.dim_topics"},
}


@pytest.mark.parametrize("name", sorted(_READS))
def test_counting_charts_read_the_cubes(name):
    parts = {query[-1]: query for query in page.chart_queries()}[name]
    assert upstream_tables(chart_sql(parts), name) == _READS[name]


def test_only_pairs_and_stories_read_the_facts():
    # The story list filters stories by their articles' topics; pairs need an article's
    # topics together; the health page counts what each table holds. Every other count comes
    # from a cube.
    readers = {
        parts[-1]
        for parts in page.chart_queries()
        if "marts.fct_articles" in upstream_tables(chart_sql(parts), parts[-1])
    }
    assert readers == {"pairs", "story_list", "story_timeline", "warehouse_counts"}
