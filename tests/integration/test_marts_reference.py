"""Built corpora, through Dagster, equal the independent Polars computation, table by table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.store.lake import connect_read_only
from tests.reference.check import compare_warehouse


def test_every_table_matches_the_reference_computation(generated_warehouse):
    counts = compare_warehouse(generated_warehouse.warehouse, report=lambda line: None)
    assert counts["marts.fct_articles"] > 1000
    # 1,500 default files and 4,000 of a site's history: both republish articles.
    assert counts["staging.stg_articles"] < 1502 + 4000 // 4
    assert counts["marts.topic_pairs"] > 0
    assert counts["marts.provider_firsts"] > 0
    con = connect_read_only(generated_warehouse.warehouse)
    multi_item, multi_article = con.execute(
        "select count(*) filter (where items > 1), count(*) filter (where articles > 1)"
        " from marts.stories"
    ).fetchone()
    assert multi_item > 100 and multi_article > 10


# A small corpus of stories, written by hand: the cases the generator never makes.

_T0 = "2024-05-01T12:00:00Z"


def _story_file(
    title: str, url: str, when: str | None, domain: str, related=(), **fields: str
) -> str:
    """A content file; `related` holds (title, url, time, domain) entries."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"sourceUrl: {url}"]
    lines += [f"publishedDateTime: {when}"] if when else []
    lines += ["provider:", f"  domain: {domain}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    if related:
        lines.append("related:")
    for r_title, r_url, r_when, r_domain in related:
        lines += [
            f"  - title: {json.dumps(r_title, ensure_ascii=False)}",
            f"    sourceUrl: {r_url}",
        ]
        lines += [f"    publishedDateTime: {r_when}"] if r_when else []
        lines += ["    provider:", f"      domain: {r_domain}"]
    return "\n".join(lines) + "\n---\nBody.\n"


_STORY_FILES = {
    # A chain A -> B -> C: A-B 4/5, B-C 5/5; A does not list C.
    "chain/a.txt": _story_file(
        "Apple unveils foldable iPhone in Paris", "https://z.com/apple", _T0, "z.com",
        [("Apple unveils a foldable iPhone", "https://b.com/apple", "2024-05-02T12:00:00Z",
          "b.com")],
    ),
    "chain/b.txt": _story_file(
        "Apple unveils a foldable iPhone", "https://b.com/apple", "2024-05-02T12:00:00Z",
        "b.com",
        [("Foldable iPhone: Apple unveils it", "https://y.com/apple", "2024-05-03T12:00:00Z",
          "y.com")],
    ),
    "chain/c.txt": _story_file(
        "Foldable iPhone: Apple unveils it", "https://y.com/apple", "2024-05-03T12:00:00Z",
        "y.com",
    ),
    # A related-only item, shown with the earliest entry pointing at it (not an edge's);
    # entries at the same time go to the smallest article_id, then the first in the list. Its
    # titles stay within 0.4 of x's, so the item and x are one story.
    "related/x.txt": _story_file(
        "Nvidia launches graphics card in Seoul", "https://x.com/x", _T0, "x.com",
        [("Nvidia launches graphics card", "https://r.com/r", "2024-05-01T13:00:00Z", "r.com"),
         ("Tesla recalls chips", "https://r.com/other", "2024-05-01T13:00:00Z", "r.com"),
         ("Nvidia launches graphics card in Seoul", "https://x.com/x", _T0, "x.com")],
    ),
    "related/y.txt": _story_file(
        "Weather", "https://y.com/y", "2024-05-20T00:00:00Z", "y.com",
        [("undated", "https://r.com/r", None, "u.com"),
         ("Nvidia launches graphics card, from y", "https://r.com/r", "2024-05-01T10:00:00Z",
          "o.com")],
    ),
    "related/z.txt": _story_file(
        "Weather too", "https://z.com/z", "2024-05-20T00:00:00Z", "z.com",
        [("Nvidia launches graphics card, from z first", "https://r.com/r",
          "2024-05-01T10:00:00Z", "o.com"),
         ("Nvidia launches graphics card, from z second", "https://r.com/r",
          "2024-05-01T10:00:00Z", "p.com")],
    ),
    # 72 hours either way is an edge; 72 hours and a microsecond, or no time, is not. The
    # story keeps 96 hours around its core p: q.com/2 to p (the earlier of two), and q.com/1
    # alone is no item.
    "window/p.txt": _story_file(
        "Samsung recalls foldable phone", "https://p.com/p", _T0, "p.com",
        [("Samsung recalls foldable phone", "https://q.com/1", "2024-05-04T12:00:00Z", "q.com"),
         ("Samsung recalls foldable phone", "https://q.com/2", "2024-04-28T12:00:00Z", "q.com"),
         ("Samsung recalls foldable phone", "https://q.com/3", "2024-05-04T12:00:00.000001Z",
          "q.com"),
         ("Samsung recalls foldable phone", "https://q.com/4", None, "q.com")],
    ),
    # The same time as the article: the smaller URL is first. An undated article is linked,
    # but without a time it is within 96 hours of no core: a story of its own.
    "tie/m.txt": _story_file(
        "Sony delays PlayStation update", "https://m.com/b", _T0, "m.com",
        [("Sony delays PlayStation update", "https://m.com/a", _T0, "a.com"),
         ("Sony delays PlayStation update", "https://u.com/u", "2024-05-01T13:00:00Z", "u.com")],
    ),
    "tie/u.txt": _story_file("Sony delays the PlayStation update", "https://u.com/u", None,
                             "u.com"),
    # Tokens; t.com is first, s.com 1 to 4 hours after it (a median of 2.5).
    # Decoded once: {sony, amp, nokia} against five is 2/6, no edge.
    "tokens/amp.txt": _story_file(
        "Sony &amp;amp; Nokia", "https://t.com/amp", _T0, "t.com",
        [("Sony, Nokia, Ericsson, Huawei, Xiaomi", "https://s.com/amp", _T0, "s.com")],
    ),
    # Lowercased beyond ASCII: {citroën, électrique, drône} against those and "launch".
    "tokens/case.txt": _story_file(
        "Citroën’s électrique drône", "https://t.com/case", _T0, "t.com",
        [("CITROËN ÉLECTRIQUE DRÔNE launch", "https://s.com/case", "2024-05-01T14:00:00Z",
          "s.com")],
    ),
    # "_" splits: {quantum, computing, breakthrough} both sides.
    "tokens/underscore.txt": _story_file(
        "Quantum_computing breakthrough", "https://t.com/underscore", _T0, "t.com",
        [("Quantum computing breakthrough", "https://s.com/underscore", "2024-05-01T16:00:00Z",
          "s.com")],
    ),
    # Length in code points: "çà" is 2 (4 bytes), dropped; {québec} against two is 1/2.
    "tokens/length.txt": _story_file(
        "Çà Québec", "https://t.com/length", _T0, "t.com",
        [("Québec Laval", "https://s.com/length", "2024-05-01T15:00:00Z", "s.com")],
    ),
    # Exactly 2/5: {sony, nokia} against five.
    "tokens/boundary.txt": _story_file(
        "Sony & Nokia", "https://t.com/boundary", _T0, "t.com",
        [("Sony, Nokia, Ericsson, Huawei, Xiaomi", "https://s.com/boundary", "2024-05-01T13:00:00Z",
          "s.com")],
    ),
    # The calendar: February, a gap in March and April, then May; one article without a date.
    # Topics and qualities over it, for the dense monthly marts and the band counts.
    "calendar/feb.txt": _story_file("February news", "https://c.com/feb",
                                    "2024-02-10T00:00:00Z", "c.com", topics="[Space, AI]",
                                    quality="20"),
    "calendar/may.txt": _story_file("May news", "https://c.com/may", "2024-05-31T23:59:59Z",
                                    "c.com", topics="[space]", quality="120"),
    "calendar/undated.txt": _story_file("Undated news", "https://c.com/undated", None, "c.com",
                                        topics="[AI]", quality="40"),
}  # fmt: skip


@pytest.fixture(scope="module")
def story_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built through Dagster from the hand-written story files."""
    import dagster as dg

    from pipelines.defs.ingest import raw_files
    from pipelines.defs.models import warehouse_tables
    from pipelines.resources import NewsdwPaths

    root = tmp_path_factory.mktemp("stories")
    for name, text in _STORY_FILES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    paths = NewsdwPaths(content_dir=str(root / "content"), warehouse_dir=str(root / "warehouse"))
    assert dg.materialize([raw_files, warehouse_tables()], resources={"paths": paths}).success
    return paths.warehouse


def test_hand_written_stories_match_the_reference_computation(story_warehouse):
    counts = compare_warehouse(story_warehouse, report=lambda line: None)
    assert counts["marts.fct_articles"] == len(_STORY_FILES)
    assert counts["marts.dim_months"] == 4  # February to May


def test_hand_written_stories_are_the_expected_components(story_warehouse):
    # Worked out from the files' comments, not from either computation.
    con = connect_read_only(story_warehouse)
    stories = con.execute(
        "select list(canonical_url order by canonical_url) from marts.story_items "
        "group by story_id having count(*) > 1 order by 1"
    ).fetchall()
    s_com = con.execute(
        "select stories, stories_first, median_hours_after_first from marts.provider_firsts "
        "where provider_domain = 's.com'"
    ).fetchall()
    con.close()
    assert s_com == [(4, 0, 2.5)]  # 1, 2, 3 and 4 hours after t.com
    assert [urls for (urls,) in stories] == [
        ["https://b.com/apple", "https://y.com/apple", "https://z.com/apple"],
        ["https://m.com/a", "https://m.com/b"],
        ["https://p.com/p", "https://q.com/2"],
        ["https://r.com/r", "https://x.com/x"],
        ["https://s.com/boundary", "https://t.com/boundary"],
        ["https://s.com/case", "https://t.com/case"],
        ["https://s.com/length", "https://t.com/length"],
        ["https://s.com/underscore", "https://t.com/underscore"],
    ]
