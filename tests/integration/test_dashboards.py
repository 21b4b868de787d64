"""The site written from a warehouse: every page beside one shared plotly.js, data scripts that
are the marts' numbers, SQL for every section that runs, light pages, and empty warehouses."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from plotly.offline import get_plotlyjs_version

from dashboards import bundle, data, drill, health
from dashboards import site as site_module
from dashboards.data import QUERY_DIR, provenance_of, query_tables
from dashboards.page import CHART_SQL
from dashboards.site import PLOTLY_JS, SCRIPTS, build_site
from pipelines.defs.ingest import raw_files
from pipelines.defs.models import warehouse_tables
from pipelines.models.catalog import upstream_tables
from pipelines.resources import NewsdwPaths
from pipelines.store.lake import connect_read_only
from tests.conftest import article

PAGES = [
    "index.html",
    "providers.html",
    "topics.html",
    "quality.html",
    "stories.html",
    "health.html",
]
_SPEC = re.compile(r'<script type="application/json" id="page-spec">(.*?)</script>', re.S)
_DATA = re.compile(r'newsdwData\("([\w-]+)", "([A-Za-z0-9+/=]*)"\);\n')


def page_spec(html: str) -> dict:
    """The spec a page's script draws from."""
    (body,) = _SPEC.findall(html)
    return json.loads(body)


def decode(path: Path) -> object:
    """The data a data script hands to the pages, under its own file name."""
    call = _DATA.fullmatch(path.read_text(encoding="utf-8"))
    assert call and call[1] == path.stem, path
    return json.loads(gzip.decompress(base64.b64decode(call[2])).decode("utf-8"))


def build(paths: NewsdwPaths, run: str = "run-1"):
    return build_site(paths.warehouse, provenance_of(paths.warehouse, paths.content, run))


def materialise(content: Path, root: Path) -> NewsdwPaths:
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    assert dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths}).success
    return paths


def parameters(section: dict, providers: list[str], topics: list[str]) -> dict[str, object]:
    """The values the page's script puts in a section's SQL, over every month."""
    options = section["options"]
    values: dict[str, object] = {
        "from": date(1, 1, 1),
        "to": date(9999, 12, 1),
        "providers": providers,
        "topics": topics,
        "min_rated": 10 if options.get("min_rated") else 0,
    }
    for name, value in options.items():
        if name not in values and isinstance(value, int | str) and not isinstance(value, bool):
            values[name] = value
    used = set(re.findall(r"\$([a-z_]+)\b", section["sql"]))
    assert used <= set(values), f"{section['key']}: no value for {used - set(values)}"
    return {name: values[name] for name in used}


@pytest.fixture
def site(generated_warehouse):
    """The site of the generated warehouse, built afresh: other tests build there too."""
    return build(generated_warehouse)


def test_the_pages_plotly_js_is_the_cartesian_bundle_of_the_plotly_packages_version() -> None:
    # The partial bundle draws scatter, bar and heatmap traces (the browser tests draw every
    # chart with it); its version is the one the plotly package embeds, so the layout the
    # Python side makes and the bundle that draws it agree.
    header = PLOTLY_JS.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (cartesian - minified) v{get_plotlyjs_version()}" in header
    assert PLOTLY_JS.stat().st_size < 2_000_000


def test_every_page_is_written_beside_one_plotly_js(generated_warehouse, site) -> None:
    menu = [page for page in site.pages if page.in_menu]
    assert [page.path.name for page in menu] == PAGES
    assert site.index == generated_warehouse.warehouse / "dashboards" / "index.html"
    assert site.plotly_js.read_bytes() == PLOTLY_JS.read_bytes()
    assert (site.folder / "assets" / "plotly.LICENSE").read_text().startswith("MIT License")
    assert sorted(path.name for path in (site.folder / "assets").glob("*.js")) == sorted(
        ["plotly.min.js", *SCRIPTS]
    )
    assert {"base.js", "stories.js"} <= {path.name for path in (site.folder / "data").iterdir()}
    assert site.data_bytes == sum(path.stat().st_size for path in (site.folder / "data").iterdir())
    for page in site.pages:
        html = page.path.read_text(encoding="utf-8")
        assert html.count('<script src="assets/plotly.min.js"></script>') == 1
        # The page's own scripts, each once, after plotly.js and in their order.
        loaded = re.findall(r'<script src="assets/([\w.]+)"></script>', html)
        assert loaded == ["plotly.min.js", *SCRIPTS]
        assert page.size == page.path.stat().st_size < 2_000_000
        assert all(f'href="{name}"' in html for name in PAGES)
        assert "run-1" in html.split("<footer>")[1]
        spec = page_spec(html)
        keys = [section["key"] for section in spec["sections"]]
        assert keys and len(set(keys)) == len(keys)
        assert all(f'data-download="{key}"' in html for key in keys)
        assert page.charts == html.count('<div class="chart" role="img"')
        assert page.charts >= 1 or page.path.name == "health.html"


def test_drill_down_pages_are_written_for_the_leading_providers_and_topics(
    generated_warehouse, site
) -> None:
    con = connect_read_only(generated_warehouse.warehouse)
    leaders = {
        "providers": con.execute(
            "select provider_domain from marts.dim_providers"
            " order by articles desc, provider_domain limit $top",
            {"top": drill.TOP},
        ).fetchall(),
        "topics": con.execute(
            "select topic_key from marts.dim_topics order by articles desc, topic_key limit $top",
            {"top": drill.TOP},
        ).fetchall(),
    }
    counts = con.execute(
        "select (select count(*) from marts.dim_providers), (select count(*) from marts.dim_topics)"
    ).fetchone()
    con.close()
    assert [len(rows) for rows in leaders.values()] == [min(drill.TOP, n) for n in counts]
    spec = page_spec(site.index.read_text(encoding="utf-8"))
    drilled = [page.path.name for page in site.pages if not page.in_menu]
    assert len(drilled) == len(leaders["providers"]) + len(leaders["topics"])
    for kind, rows in leaders.items():
        links = spec["drill"][kind]
        assert list(links) == [key for (key,) in rows]
        for key, name in links.items():
            assert name in drilled
            assert name.startswith(f"{kind[:-1]}-") and name.endswith(".html")
            drill_spec = page_spec((site.folder / name).read_text(encoding="utf-8"))
            assert drill_spec["preset"] == {kind: [key]}
            assert drill_spec["drill"] == spec["drill"]


def _latest_day(warehouse) -> str:
    """The day of the latest published article, as the pages are told it."""
    con = connect_read_only(warehouse)
    (day,) = con.execute("select max(published_at) from marts.fct_articles").fetchone()
    con.close()
    return day.strftime("%Y-%m-%d")


def test_base_data_is_the_marts_numbers(generated_warehouse, site) -> None:
    base = decode(site.folder / "data" / "base.js")
    con = connect_read_only(generated_warehouse.warehouse)
    months = con.execute(
        "select strftime(month, '%Y-%m'), articles, is_complete from marts.dim_months"
        " order by month"
    ).fetchall()
    providers = con.execute(
        "select provider_domain, articles from marts.dim_providers"
        " order by articles desc, provider_domain"
    ).fetchall()
    dated = dict(
        con.execute(
            "select provider_domain, count(*) from marts.fct_articles"
            " where published_month is not null group by all"
        ).fetchall()
    )
    topics = con.execute(
        "select topic_key, articles from marts.dim_topics order by articles desc, topic_key"
    ).fetchall()
    topic_months = {
        (month, key): articles
        for month, key, articles in con.execute(
            "select strftime(month, '%Y-%m'), topic_key, articles from marts.topic_monthly"
            " where articles > 0"
        ).fetchall()
    }
    con.close()
    assert months and providers and topics and dated and topic_months
    latest_day = _latest_day(generated_warehouse.warehouse)
    assert base["months"].pop("latest_day") == latest_day
    assert list(zip(*base["months"].values(), strict=True)) == months
    assert (
        list(zip(base["providers"]["domain"], base["providers"]["articles"], strict=True))
        == providers
    )
    assert list(zip(base["topics"]["key"], base["topics"]["articles"], strict=True)) == topics

    labels, domains = base["months"]["month"], base["providers"]["domain"]
    cells = base["provider_months"]
    per_provider = Counter()
    for _, p, n, *bands in zip(*cells.values(), strict=True):
        per_provider[domains[p]] += n
        rated, _, low, medium, high, top = bands
        assert n > 0 and 0 <= low + medium + high + top <= rated <= n
    assert per_provider == dated
    assert sum(base["months"]["articles"]) == sum(dated.values())

    keys, cells = base["topics"]["key"], base["topic_months"]
    summed = Counter()
    for m, t, n in zip(cells["m"], cells["t"], cells["n"], strict=True):
        summed[labels[m], keys[t]] += n
    assert summed == topic_months


def test_every_sections_sql_runs_and_returns_rows(generated_warehouse, site) -> None:
    con = connect_read_only(generated_warehouse.warehouse)
    try:
        for name in PAGES:
            for section in page_spec((site.folder / name).read_text(encoding="utf-8"))["sections"]:
                rows = con.execute(section["sql"], parameters(section, [], [])).fetchall()
                # The generated corpus has no broken file, no syndicator and no wire: only the
                # quarantine and the syndicators' and wires' board have no rows.
                empty = "raw.quarantine" in section["sql"] or section["key"] == "firsts-other"
                assert rows or empty, f"{name} {section['key']}"
        # A drill-down page's SQL with its own provider or topic chosen.
        drilled = page_spec(site.index.read_text(encoding="utf-8"))["drill"]
        for kind, chosen in drilled.items():
            key, name = next(iter(chosen.items()))
            for section in page_spec((site.folder / name).read_text(encoding="utf-8"))["sections"]:
                values = {"providers": [], "topics": [], kind: [key]}
                rows = con.execute(section["sql"], parameters(section, **values)).fetchall()
                assert rows or section["kind"] in {"stories", "firsts"}, f"{name} {section['key']}"
    finally:
        con.close()


def test_the_dashboards_asset_depends_on_every_table_the_site_reads(site) -> None:
    read: set[str] = set()
    for page in site.pages:
        for section in page_spec(page.path.read_text(encoding="utf-8"))["sections"]:
            read |= upstream_tables(section["sql"], section["key"])
    for path in QUERY_DIR.glob("bundle_*.sql"):
        read |= upstream_tables(path.read_text(encoding="utf-8"), path)
    assert {table.split(".")[0] for table in read} == {"raw", "staging", "marts"}
    assert read <= query_tables()


def rendered_pages(monkeypatch) -> list:
    """The pages each build of the test renders, as `site.render` receives them."""
    pages = []
    render = site_module.render

    def recording(page, *args):
        pages.append(page)
        return render(page, *args)

    monkeypatch.setattr(site_module, "render", recording)
    return pages


def test_every_chart_query_is_used(generated_warehouse, monkeypatch) -> None:
    pages = rendered_pages(monkeypatch)
    build(generated_warehouse)
    used = {part for page in pages for section in page.sections for part in section.query}
    used.add("_inputs")  # page.chart_sql puts it before the parts that continue it
    assert sorted(path.stem for path in CHART_SQL.glob("*.sql") if path.stem not in used) == []


def test_every_named_query_is_used(generated_warehouse, monkeypatch) -> None:
    run: set[str] = set()
    frame = data.Warehouse.frame

    def recording(self, name: str, **params: object):
        run.add(name)
        return frame(self, name, **params)

    monkeypatch.setattr(data.Warehouse, "frame", recording)
    build(generated_warehouse)
    assert sorted(path.stem for path in QUERY_DIR.glob("*.sql") if path.stem not in run) == []


def test_a_warehouse_without_articles_gets_pages(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(health, "QUARANTINE_ROWS", 2)
    content = tmp_path / "content"
    content.mkdir()
    for name in ("broken.txt", "more.txt", "other.txt"):
        (content / name).write_text("no front matter\n")
    site = build(materialise(content, tmp_path))
    assert [page.path.name for page in site.pages] == PAGES  # no drill-down pages
    base = decode(site.folder / "data" / "base.js")
    assert base["months"]["month"] == base["providers"]["domain"] == base["topics"]["key"] == []
    assert decode(site.folder / "data" / "stories.js")["stories"] == []
    assert sorted(path.name for path in (site.folder / "data").iterdir()) == [
        "base.js",
        "stories.js",
    ]
    sections = page_spec((site.folder / "health.html").read_text(encoding="utf-8"))["sections"]
    rows = {section["key"]: section["options"]["rows"] for section in sections}
    assert rows["quarantine-kinds"] == [["no_front_matter", 3]]
    # Cut to QUARANTINE_ROWS, by kind then path, as the section's SQL orders them.
    assert [row[:2] for row in rows["quarantine-files"]] == [
        ["broken.txt", "no_front_matter"],
        ["more.txt", "no_front_matter"],
    ]
    assert rows["duplicates"] == []
    counts = dict(rows["warehouse-counts"])
    assert counts["Files in raw.quarantine"] == 3 and counts["Files in raw.articles"] == 0


def written_text(folder: Path) -> dict[str, str]:
    """Every page and data script of a site as text, the data scripts decoded."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.html")}
    for path in (folder / "data").iterdir():
        texts[f"data/{path.name}"] = json.dumps(decode(path), ensure_ascii=False)
    return texts


@pytest.fixture(scope="module")
def long_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[NewsdwPaths, str, str]:
    """A warehouse of one article in eight files with a 10,000-character title and a
    5,000-character provider name, its site built; the title and the name."""
    root = tmp_path_factory.mktemp("long-text")
    content = root / "content"
    content.mkdir()
    title, name = "T" * 10_000, "N" * 5_000
    for number in range(8):
        (content / f"{number}.txt").write_text(
            article(
                title,
                "https://long.example.com/a",
                provider=f"{{name: {name}}}",
                publishedDateTime="2024-03-05T10:00:00Z",
                topics="[Long]",
            )
        )
    paths = materialise(content, root)
    build(paths)
    return paths, title, name


def test_long_text_is_cut_on_the_page_not_in_the_warehouse(long_text) -> None:
    paths, title, name = long_text
    texts = written_text(paths.warehouse / "dashboards")
    assert {"data/base.js", "data/p0.js", "data/t0.js", "data/stories.js"} <= set(texts)
    for file, text in texts.items():
        assert name not in text, file
        assert title not in text or file == "health.html", file  # see the test below
    base = decode(paths.warehouse / "dashboards" / "data" / "base.js")
    assert base["providers"]["name"] == ["N" * (bundle.CELL_TEXT - 1) + "…"]
    assert base["providers"]["label"] == ["N" * 59 + "…"]
    con = connect_read_only(paths.warehouse)
    assert con.execute(
        "select length(title), length(provider_name) from staging.stg_articles"
    ).fetchall() == [(10_000, 5_000)]
    con.close()


def test_long_titles_are_cut_in_the_health_pages_rows(long_text) -> None:
    paths, title, _ = long_text
    html = (paths.warehouse / "dashboards" / "health.html").read_text(encoding="utf-8")
    sections = {section["key"]: section for section in page_spec(html)["sections"]}
    options = sections["duplicates"]["options"]
    (row,) = options["rows"]
    assert row[options["columns"].index("title")] == title[: bundle.CELL_TEXT]
    assert title not in html


def _footers(paths: NewsdwPaths) -> set[str]:
    """The run each published menu page says it was built from."""
    folder = paths.warehouse / "dashboards"
    return {
        (folder / name).read_text(encoding="utf-8").split("<footer>")[1].split("run-")[1][0]
        for name in PAGES
    }


def test_a_build_killed_mid_site_leaves_the_old_site_whole(generated_warehouse, monkeypatch):
    paths = generated_warehouse
    build(paths, "run-1")
    assert _footers(paths) == {"1"}
    rendered = []
    real_render = site_module.render

    def render_three_then_die(page, *args):
        if len(rendered) == 3:
            raise KeyboardInterrupt("killed")  # as a kill would stop it: nothing runs after
        rendered.append(page)
        return real_render(page, *args)

    monkeypatch.setattr(site_module, "render", render_three_then_die)
    with pytest.raises(KeyboardInterrupt):
        build(paths, "run-2")
    assert _footers(paths) == {"1"}  # wholly the old site, not three new pages and three old

    monkeypatch.setattr(site_module, "render", real_render)
    site = build(paths, "run-3")
    assert _footers(paths) == {"3"}
    assert site.folder == paths.warehouse / "dashboards"
    assert (site.folder / "assets" / "plotly.min.js").read_bytes() == PLOTLY_JS.read_bytes()
    assert (site.folder / "data" / "base.js").is_file()
    # The killed build's half-written folder is gone; only the published site and the one
    # before it (which a reader may still be loading) remain.
    versions = sorted(path.name for path in (paths.warehouse / ".dashboards").iterdir())
    assert len(versions) == 2
    assert site.index.resolve().parent.name == versions[-1]
    assert [path.name for path in paths.warehouse.glob(".dashboards.*")] == []


def test_a_site_of_the_old_layout_is_replaced_whole(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text(article("A", "https://a.example.com/a"))
    paths = materialise(content, tmp_path)
    old = paths.warehouse / "dashboards"
    (old / "assets").mkdir(parents=True)
    (old / "index.html").write_text("old")
    (old / "stale.html").write_text("old")
    site = build(paths)
    assert "run-1" in (old / "index.html").read_text(encoding="utf-8")
    assert (old / "data" / "base.js").is_file()
    assert not (old / "stale.html").exists()
    assert site.index == old / "index.html"
