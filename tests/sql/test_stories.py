"""SQL unit tests of the stories marts: given a few content files and their related lists, expect
these stories, items and provider firsts.

Expected values are worked out by hand from the contract's "Stories" section (section 2) as the
project reads it (issue 12): an edge joins an article and an entry of its own related list when
both have a time at most 72 hours apart and the Jaccard index of their title token sets is at
least 0.4; two articles are linked by their titles alone when they are at most 12 hours apart
and their token sets are the same or one has a single token more, with a Jaccard index of at
least 0.8 (issue 23). Linked items form groups, and each group is
cut into cohesive stories around a core: the item with the most links; an item joins it when
its title is within 0.4 of the core's and it lies within 96 hours of it, and a story keeps the
96 hours that hold the core and the most items.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import duckdb

from tests.conftest import article
from tests.helpers import build_tables, rows

# The contract's stop words, as it lists them.
STOP_WORDS = (
    "about after all and are but can could for from had has have how into its more most new not"
    " now one our out over said says than that the their this two was were what who why will"
    " with you your"
)


def digest(canonical_url: str) -> str:
    """The first 16 hex digits of the SHA-256 of a URL: an article_id, or a story_id."""
    return hashlib.sha256(canonical_url.encode()).hexdigest()[:16]


def entry(title: str, url: str, when: str | None = None, domain: str | None = None) -> str:
    """One related entry in YAML flow style; no time or provider when not given."""
    quoted = title.replace("'", "''")
    parts = [f"title: '{quoted}'", f"sourceUrl: '{url}'"]
    if when is not None:
        parts.append(f"publishedDateTime: '{when}'")
    if domain is not None:
        parts.append(f"provider: {{domain: {domain}}}")
    return "{" + ", ".join(parts) + "}"


def related(*entries: str) -> str:
    """A related list in YAML flow style."""
    return "[" + ", ".join(entries) + "]"


def story_items(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """canonical_url -> (story_id, article_id, title, provider_domain, published_at, is_first,
    hours_after_first), over every story item."""
    found = rows(
        con,
        "select canonical_url, story_id, article_id, title, provider_domain, published_at,"
        " is_first, hours_after_first from marts.story_items",
    )
    return {url: tuple(rest) for url, *rest in found}


def stories(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """story_id -> (title, first_published_at, last_published_at, first_provider_domain, items,
    articles, providers, span_hours)."""
    found = rows(
        con,
        "select story_id, title, first_published_at, last_published_at, first_provider_domain,"
        " items, articles, providers, span_hours from marts.stories",
    )
    return {story_id: tuple(rest) for story_id, *rest in found}


def provider_firsts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(provider_domain, stories, stories_first, first_share, median_hours_after_first) rows,
    ordered by domain."""
    return rows(
        con,
        "select provider_domain, stories, stories_first, first_share, median_hours_after_first"
        " from marts.provider_firsts order by provider_domain",
    )


def story_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """canonical_url -> fct_articles.story_id, for every article."""
    found = rows(
        con,
        "select s.canonical_url, f.story_id from marts.fct_articles as f"
        " join staging.stg_articles as s using (article_id)",
    )
    return dict(found)


def assert_every_article_in_one_story(con: duckdb.DuckDBPyConnection) -> None:
    """The invariants of any build: each article in exactly one story, as fct_articles says;
    each item once; one first item per story; the stories' item counts are their items'."""
    assert rows(con, "select count(*) from marts.fct_articles where story_id is null") == [(0,)]
    assert rows(
        con,
        "select count(*) - count(distinct canonical_url), count(article_id) - count(distinct"
        " article_id) from marts.story_items",
    ) == [(0, 0)]
    assert (
        rows(
            con,
            "select article_id from marts.fct_articles as f"
            " full join (select * from marts.story_items where article_id is not null) as i"
            " using (article_id) where f.story_id is distinct from i.story_id",
        )
        == []
    )
    assert (
        rows(
            con,
            "select story_id from marts.story_items group by story_id"
            " having count(*) filter (where is_first) <> 1",
        )
        == []
    )
    assert (
        rows(
            con,
            "select story_id from marts.stories as s full join"
            " (select story_id, count(*) as n, count(article_id) as a from marts.story_items"
            "  group by story_id) as i using (story_id)"
            " where i.n is distinct from s.items or i.a is distinct from s.articles",
        )
        == []
    )


def test_an_edge_needs_the_two_times_at_most_72_hours_apart_either_way(tmp_path):
    title = "Volcano erupts near Reykjavik"
    entries = related(
        entry(title, "https://b.com/1", "2021-03-04T00:00:00Z"),  # exactly 72 h later: edge
        entry(title, "https://c.com/1", "2021-03-04T00:00:00.000001Z"),  # 1 µs more: none
        entry(title, "https://d.com/1", "2021-02-26T00:00:00Z"),  # exactly 72 h earlier: edge
        entry(title, "https://e.com/1", "2021-02-25T23:59:00Z"),  # 72 h 01 min earlier: none
    )
    con = build_tables(
        tmp_path,
        {
            "a.txt": article(
                title, "https://a.com/1", publishedDateTime="2021-03-01", related=entries
            )
        },
    )
    story = digest("https://a.com/1")  # the smaller of a.com/1 and d.com/1
    # Both edges are within 72 hours, and a (two links) is the core. b and d are 72 h from it,
    # but a story keeps 96 hours: of d to a and a to b (two items each) the earlier, d to a.
    # b is left alone, and a related-only URL alone is no item.
    assert story_items(con) == {
        "https://a.com/1": (story, story, title, "a.com", datetime(2021, 3, 1), False, 72.0),
        "https://d.com/1": (story, None, title, "d.com", datetime(2021, 2, 26), True, 0.0),
    }
    assert stories(con) == {
        story: (title, datetime(2021, 2, 26), datetime(2021, 3, 1), "d.com", 2, 1, 2, 72.0)
    }
    assert story_of(con) == {"https://a.com/1": story}
    assert_every_article_in_one_story(con)


def test_an_edge_needs_a_title_similarity_of_at_least_0_4(tmp_path):
    when = "2021-03-01T10:00:00Z"
    later = "2021-03-01T11:00:00Z"
    files = {
        # {volcano, erupts, iceland} and {volcano, erupts, near, reykjavík}: 2/5 = 0.4, an edge.
        # Case, punctuation, repeats, short pieces (in) and stop words (the) do not count.
        "at.txt": article(
            "The Volcano ERUPTS: volcano, erupts in Iceland!",
            "https://x.com/1",
            publishedDateTime=when,
            related=related(entry("Volcano-erupts near Reykjavík", "https://y.com/1", later)),
        ),
        # {alpha, bravo, charlie, delta, echo} and {alpha, bravo, charlie, foxtrot, golf,
        # hotel}: 3/8 = 0.375, no edge.
        "below.txt": article(
            "Alpha bravo charlie delta echo",
            "https://x.com/2",
            publishedDateTime=when,
            related=related(
                entry("alpha bravo charlie foxtrot golf hotel", "https://y.com/2", later)
            ),
        ),
        # Letters of any script, lowercased; pieces shorter than 3 code points dropped (до, по,
        # ни are 2 code points, 4 bytes): {москва} and {москва}, an edge.
        "cyrillic.txt": article(
            "Москва до",
            "https://x.com/3",
            publishedDateTime=when,
            related=related(entry("МОСКВА по ни", "https://y.com/3", later)),
        ),
    }
    con = build_tables(tmp_path, files)
    at, below, cyrillic = (
        digest("https://x.com/1"),
        digest("https://x.com/2"),
        digest("https://x.com/3"),
    )
    assert {url: item[0] for url, item in story_items(con).items()} == {
        "https://x.com/1": at,
        "https://y.com/1": at,
        "https://x.com/2": below,
        "https://x.com/3": cyrillic,
        "https://y.com/3": cyrillic,
    }
    assert {story: row[4:7] for story, row in stories(con).items()} == {
        at: (2, 1, 2),
        below: (1, 1, 1),
        cyrillic: (2, 1, 2),
    }
    assert_every_article_in_one_story(con)


def test_titles_without_tokens_are_not_similar_even_when_identical(tmp_path):
    when = "2021-03-01T10:00:00Z"
    # Every stop word of the contract: one left out would be a shared token, and an edge.
    stop_words = " ".join(word.capitalize() for word in STOP_WORDS.split())
    short = "AI, US & EU: is it on?"  # no piece of 3 characters or more
    con = build_tables(
        tmp_path,
        {
            "stop.txt": article(
                stop_words,
                "https://s.com/1",
                publishedDateTime=when,
                related=related(entry(stop_words, "https://t.com/1", when)),
            ),
            "short.txt": article(
                short,
                "https://s.com/2",
                publishedDateTime=when,
                related=related(entry(short, "https://t.com/2", when)),
            ),
        },
    )
    one, two = digest("https://s.com/1"), digest("https://s.com/2")
    assert story_items(con) == {
        "https://s.com/1": (one, one, stop_words, "s.com", datetime(2021, 3, 1, 10), True, 0.0),
        "https://s.com/2": (two, two, short, "s.com", datetime(2021, 3, 1, 10), True, 0.0),
    }
    assert provider_firsts(con) == []
    assert_every_article_in_one_story(con)


def test_a_chain_of_two_edges_is_cut_at_its_core_when_an_end_is_over_96_hours_away(tmp_path):
    a_url, b_url, c_url = "https://m.com/a", "https://k.com/b", "https://b.com/c"
    con = build_tables(
        tmp_path,
        {
            # A's entry for B (a non-canonical spelling of B's URL) has its own title, provider
            # and time: the edge uses them (10 h after A, though B is published 100 h after A),
            # the item uses B's own.
            "a.txt": article(
                "Storm hits coast tonight",
                "https://m.com/a",
                publishedDateTime="2021-04-01T12:00:00Z",
                related=related(
                    entry(
                        "Storm hits coast",
                        "http://www.K.com/b/?utm_source=feed",
                        "2021-04-01T22:00:00Z",
                        "other.com",
                    )
                ),
            ),
            "b.txt": article(
                "Storm hits coast", "https://k.com/b", publishedDateTime="2021-04-05T16:00:00Z"
            ),
            # C lists B too (A and C do not list each other): {storm, hits, coast, again} and
            # {storm, hits, coast}, 4 h apart.
            "c.txt": article(
                "Storm hits coast again",
                "https://b.com/c",
                publishedDateTime="2021-04-05T12:00:00Z",
                related=related(entry("Storm hits the coast", b_url, "2021-04-05T16:00:00Z")),
            ),
        },
    )
    # Two edges make one group, A-B-C, but B (two links) is its core and A is 100 h from B:
    # the story is B and C, and A a story of its own.
    story, a_story = digest(c_url), digest(a_url)  # https://b.com/c < https://k.com/b
    assert story_items(con) == {
        a_url: (a_story, a_story, "Storm hits coast tonight", "m.com", datetime(2021, 4, 1, 12),
                True, 0.0),
        b_url: (story, digest(b_url), "Storm hits coast", "k.com", datetime(2021, 4, 5, 16),
                False, 4.0),
        c_url: (story, digest(c_url), "Storm hits coast again", "b.com", datetime(2021, 4, 5, 12),
                True, 0.0),
    }  # fmt: skip
    # The story's title is its core's, B's; its first item is C.
    assert stories(con)[story] == (
        "Storm hits coast",
        datetime(2021, 4, 5, 12),
        datetime(2021, 4, 5, 16),
        "b.com",
        2,
        2,
        2,
        4.0,
    )
    assert story_of(con) == {a_url: a_story, b_url: story, c_url: story}
    assert rows(con, "select count(distinct group_id) from marts.story_items") == [(1,)]
    assert provider_firsts(con) == [("b.com", 1, 1, 1.0, 0.0), ("k.com", 1, 0, 0.0, 4.0)]
    assert_every_article_in_one_story(con)


def test_a_chain_of_two_events_through_a_shared_item_is_two_stories(tmp_path):
    # Event 1: Atlanta police test facial recognition (three outlets, listing one another).
    # Event 2, the same day: London bans facial recognition cameras (two outlets). B's list
    # links both: {police, test, facial, recognition, london} is within 0.4 of each event's
    # titles, so the edges make one group of six items: a chain from event 1 to event 2.
    atlanta = "Atlanta police test facial recognition"
    london = "London bans facial recognition cameras"
    a1, a2, a3 = "https://a1.com/1", "https://a2.com/1", "https://a3.com/1"
    b, c1, c2 = "https://b.com/1", "https://c1.com/1", "https://c2.com/1"
    con = build_tables(
        tmp_path,
        {
            "a1.txt": article(
                atlanta,
                a1,
                publishedDateTime="2021-06-01T08:00:00Z",
                related=related(
                    entry(atlanta, a2, "2021-06-01T09:00:00Z"),
                    entry(atlanta + " software", a3, "2021-06-01T10:00:00Z"),
                ),
            ),
            "a2.txt": article(
                atlanta,
                a2,
                publishedDateTime="2021-06-01T09:00:00Z",
                related=related(entry(atlanta + " software", a3, "2021-06-01T10:00:00Z")),
            ),
            "a3.txt": article(atlanta + " software", a3, publishedDateTime="2021-06-01T10:00:00Z"),
            "b.txt": article(
                "Police test facial recognition in London",
                b,
                publishedDateTime="2021-06-01T12:00:00Z",
                related=related(
                    entry(atlanta, a1, "2021-06-01T08:00:00Z"),
                    entry(london, c1, "2021-06-01T14:00:00Z"),
                ),
            ),
            "c1.txt": article(
                london,
                c1,
                publishedDateTime="2021-06-01T14:00:00Z",
                related=related(entry(london, c2, "2021-06-01T15:00:00Z")),
            ),
            "c2.txt": article(london, c2, publishedDateTime="2021-06-01T15:00:00Z"),
        },
    )
    # a1 has the most links (a2, a3, b): the core. The London titles are 2/8 from it, so they
    # are the next round's group, c1 (two links) its core: two stories, one group.
    atlanta_story, london_story = digest(a1), digest(c1)
    assert story_of(con) == {
        a1: atlanta_story,
        a2: atlanta_story,
        a3: atlanta_story,
        b: atlanta_story,
        c1: london_story,
        c2: london_story,
    }
    assert rows(con, "select canonical_url from marts.story_items where is_core order by 1") == [
        (a1,),
        (c1,),
    ]
    assert rows(con, "select distinct group_id from marts.story_items") == [(digest(a1),)]
    found = stories(con)
    assert found[atlanta_story][0] == atlanta and found[london_story][0] == london
    assert_every_article_in_one_story(con)


def test_two_unlinked_articles_of_one_event_within_hours_are_one_story(tmp_path):
    # No list links them: p and q share 4 of 5 title tokens (Jaccard 0.8) 12 h apart, both on
    # the line, so their titles link them. r has p's title, 12 h and a second after q; s shares
    # 3 of q's 4 tokens (0.75) an hour after p: no link for either.
    p_url, q_url, r_url, s_url = (f"https://{x}.com/1" for x in "pqrs")
    con = build_tables(
        tmp_path,
        {
            "p.txt": article(
                "Volcano erupts near Reykjavik airport",
                p_url,
                publishedDateTime="2022-02-01T08:00:00Z",
            ),
            "q.txt": article(
                "Volcano erupts near Reykjavik", q_url, publishedDateTime="2022-02-01T20:00:00Z"
            ),
            "r.txt": article(
                "Volcano erupts near Reykjavik airport",
                r_url,
                publishedDateTime="2022-02-02T08:00:01Z",
            ),
            "s.txt": article(
                "Volcano erupts near", s_url, publishedDateTime="2022-02-01T09:00:00Z"
            ),
        },
    )
    assert story_of(con) == {
        p_url: digest(p_url),
        q_url: digest(p_url),
        r_url: digest(r_url),
        s_url: digest(s_url),
    }
    assert stories(con)[digest(p_url)][4:] == (2, 2, 2, 12.0)
    assert_every_article_in_one_story(con)


def test_a_related_only_item_takes_the_fields_of_its_earliest_entry(tmp_path):
    # Three articles list https://r.com/x. D's entry (D has the greater article_id, and the
    # entry is second in D's list) is the earliest; F's has no time, so it comes last.
    assert digest("https://e.com/1") < digest("https://d.com/1")
    assert digest("https://f.com/1") < digest("https://e.com/1")
    r_url = "https://r.com/x"
    con = build_tables(
        tmp_path,
        {
            "d.txt": article(
                "Quake shakes city",
                "https://d.com/1",
                publishedDateTime="2021-08-01T12:00:00Z",
                related=related(
                    entry("Harbour festival opens", "https://x.com/fest", "2021-08-01T12:00:00Z"),
                    entry("Quake shakes city centre", r_url, "2021-08-01T14:00:00Z", "r1.com"),
                ),
            ),
            "e.txt": article(
                "Quake shakes city centre",
                "https://e.com/1",
                publishedDateTime="2021-08-01T13:00:00Z",
                related=related(
                    entry("Quake shakes the city", r_url, "2021-08-01T17:00:00Z", "r2.com")
                ),
            ),
            "f.txt": article(
                "Gardening tips",
                "https://f.com/1",
                publishedDateTime="2021-08-01T12:00:00Z",
                related=related(entry("An old wire copy", r_url, domain="r3.com")),
            ),
        },
    )
    # D and E are one story through the related-only item; F's entry is no edge.
    story, f_story = digest("https://d.com/1"), digest("https://f.com/1")
    assert story_items(con) == {
        "https://d.com/1": (
            story,
            digest("https://d.com/1"),
            "Quake shakes city",
            "d.com",
            datetime(2021, 8, 1, 12),
            True,
            0.0,
        ),
        "https://e.com/1": (
            story,
            digest("https://e.com/1"),
            "Quake shakes city centre",
            "e.com",
            datetime(2021, 8, 1, 13),
            False,
            1.0,
        ),
        r_url: (
            story,
            None,
            "Quake shakes city centre",
            "r1.com",
            datetime(2021, 8, 1, 14),
            False,
            2.0,
        ),
        "https://f.com/1": (
            f_story,
            f_story,
            "Gardening tips",
            "f.com",
            datetime(2021, 8, 1, 12),
            True,
            0.0,
        ),
    }
    # r.com/x links both, so it is the core, and the story takes its title.
    assert stories(con)[story] == (
        "Quake shakes city centre",
        datetime(2021, 8, 1, 12),
        datetime(2021, 8, 1, 14),
        "d.com",
        3,
        2,
        3,
        2.0,
    )
    assert story_of(con) == {
        "https://d.com/1": story,
        "https://e.com/1": story,
        "https://f.com/1": f_story,
    }
    assert_every_article_in_one_story(con)


def test_a_related_only_item_takes_its_earliest_entry_even_when_that_entry_is_no_edge(tmp_path):
    r_url = "https://r.com/dam"
    con = build_tables(
        tmp_path,
        {
            "x.txt": article(
                "Dam bursts upstream",
                "https://x.com/1",
                publishedDateTime="2021-09-10T00:00:00Z",
                related=related(
                    entry("Dam bursts upstream", r_url, "2021-09-10T01:00:00Z", "late.com")
                ),
            ),
            # y's entry is 126 h after y: no edge, but the earliest entry pointing at r.com/dam.
            "y.txt": article(
                "Weather outlook",
                "https://y.com/1",
                publishedDateTime="2021-09-01T00:00:00Z",
                related=related(
                    entry("Dam bursts upstream river", r_url, "2021-09-06T06:00:00Z", "early.com")
                ),
            ),
        },
    )
    story, y_story = digest(r_url), digest("https://y.com/1")  # https://r.com/dam < https://x.com/1
    # The item shows its earliest entry: 90 h before x (within the story's 96 h) and a title
    # of Jaccard 3/4 with x's. x is a date alone (00:00:00), so r.com/dam is first.
    assert story_items(con) == {
        r_url: (story, None, "Dam bursts upstream river", "early.com", datetime(2021, 9, 6, 6),
                True, 0.0),
        "https://x.com/1": (story, digest("https://x.com/1"), "Dam bursts upstream", "x.com",
                            datetime(2021, 9, 10), False, 90.0),
        "https://y.com/1": (y_story, y_story, "Weather outlook", "y.com", datetime(2021, 9, 1),
                            True, 0.0),
    }  # fmt: skip
    assert stories(con)[story][1:] == (
        datetime(2021, 9, 6, 6),
        datetime(2021, 9, 10),
        "early.com",
        2,
        1,
        2,
        90.0,
    )
    assert_every_article_in_one_story(con)


def test_entries_at_the_same_time_tie_on_the_smallest_article_id_then_list_order(tmp_path):
    # H's article_id is the smaller; its two entries for the item are at the same time as G's.
    # The first of H's wins, though its title and domain are the greatest of the three.
    assert digest("https://h.com/1") < digest("https://g.com/1")
    r_url, when = "https://r.com/bridge", "2021-10-01T15:00:00Z"
    con = build_tables(
        tmp_path,
        {
            "g.txt": article(
                "Bridge collapse downtown",
                "https://g.com/1",
                publishedDateTime="2021-10-01T13:00:00Z",
                related=related(entry("Bridge collapse downtown live", r_url, when, "mm.com")),
            ),
            "h.txt": article(
                "Bridge collapse downtown",
                "https://h.com/1",
                publishedDateTime="2021-10-01T12:00:00Z",
                related=related(
                    entry("Bridge collapse downtown: update", r_url, when, "zz.com"),
                    entry("Bridge collapse downtown", r_url, when, "aa.com"),
                ),
            ),
        },
    )
    story = digest("https://g.com/1")  # https://g.com/1 < https://h.com/1 < https://r.com/bridge
    assert story_items(con)[r_url] == (
        story,
        None,
        "Bridge collapse downtown: update",
        "zz.com",
        datetime(2021, 10, 1, 15),
        False,
        3.0,
    )
    assert stories(con) == {
        story: (
            "Bridge collapse downtown",
            datetime(2021, 10, 1, 12),
            datetime(2021, 10, 1, 15),
            "h.com",
            3,
            2,
            3,
            3.0,
        )
    }
    assert_every_article_in_one_story(con)


def test_items_at_the_same_time_make_the_smallest_url_first(tmp_path):
    # The article https://p.com/a lists https://p.com/Z at its own time: "Z" (0x5a) sorts
    # before "a" (0x61) as bytes, so the related-only item is first and names the story.
    when = "2021-06-01T08:00:00Z"
    con = build_tables(
        tmp_path,
        {
            "p.txt": article(
                "Solar eclipse visible tonight",
                "https://p.com/a",
                publishedDateTime=when,
                related=related(entry("Solar eclipse visible", "https://p.com/Z", when, "zed.com")),
            ),
        },
    )
    story = digest("https://p.com/Z")
    assert story_items(con) == {
        "https://p.com/Z": (
            story,
            None,
            "Solar eclipse visible",
            "zed.com",
            datetime(2021, 6, 1, 8),
            True,
            0.0,
        ),
        "https://p.com/a": (
            story,
            digest("https://p.com/a"),
            "Solar eclipse visible tonight",
            "p.com",
            datetime(2021, 6, 1, 8),
            False,
            0.0,
        ),
    }
    assert stories(con) == {
        story: (
            "Solar eclipse visible",
            datetime(2021, 6, 1, 8),
            datetime(2021, 6, 1, 8),
            "zed.com",
            2,
            1,
            2,
            0.0,
        )
    }
    assert provider_firsts(con) == [("p.com", 1, 0, 0.0, 0.0), ("zed.com", 1, 1, 1.0, 0.0)]
    assert_every_article_in_one_story(con)


def test_an_article_without_an_edge_is_a_story_of_itself(tmp_path):
    con = build_tables(
        tmp_path,
        {
            # Its own URL (spelled otherwise) in its related list is no candidate pair, and the
            # entry's provider and time are not the item's.
            "own.txt": article(
                "Lonely story",
                "https://o.com/1",
                publishedDateTime="2021-05-01T12:00:00Z",
                related=related(
                    entry(
                        "Lonely story",
                        "https://www.o.com/1/?utm_source=x",
                        "2021-05-01T13:00:00Z",
                        "other.com",
                    )
                ),
            ),
            # A dissimilar entry: no edge, and the entry's URL is no item.
            "quiet.txt": article(
                "Quiet news",
                "https://n.com/1",
                publishedDateTime="2021-05-01T12:00:00Z",
                related=related(
                    entry("Completely different words", "https://q.com/1", "2021-05-01T12:00:00Z")
                ),
            ),
            # No time: no edge can be made (its entry has the same title and a time).
            "undated.txt": article(
                "Undated story",
                "https://u.com/1",
                related=related(entry("Undated story", "https://v.com/1", "2021-05-01T12:00:00Z")),
            ),
        },
    )
    own, quiet, undated = (
        digest("https://o.com/1"),
        digest("https://n.com/1"),
        digest("https://u.com/1"),
    )
    assert story_items(con) == {
        "https://o.com/1": (own, own, "Lonely story", "o.com", datetime(2021, 5, 1, 12), True, 0.0),
        "https://n.com/1": (
            quiet,
            quiet,
            "Quiet news",
            "n.com",
            datetime(2021, 5, 1, 12),
            True,
            0.0,
        ),
        "https://u.com/1": (undated, undated, "Undated story", "u.com", None, True, None),
    }
    assert stories(con) == {
        own: (
            "Lonely story",
            datetime(2021, 5, 1, 12),
            datetime(2021, 5, 1, 12),
            "o.com",
            1,
            1,
            1,
            0.0,
        ),
        quiet: (
            "Quiet news",
            datetime(2021, 5, 1, 12),
            datetime(2021, 5, 1, 12),
            "n.com",
            1,
            1,
            1,
            0.0,
        ),
        undated: ("Undated story", None, None, "u.com", 1, 1, 1, None),
    }
    assert story_of(con) == {
        "https://o.com/1": own,
        "https://n.com/1": quiet,
        "https://u.com/1": undated,
    }
    assert provider_firsts(con) == []
    assert_every_article_in_one_story(con)


def test_provider_firsts_count_only_stories_of_two_providers_or_more(tmp_path):
    def hub(title: str, url: str, when: str, *others: tuple[str, str]) -> str:
        """An article listing each (url, time) of `others` under its own title."""
        return article(
            title,
            url,
            publishedDateTime=when,
            related=related(*(entry(title, u, t) for u, t in others)),
        )

    con = build_tables(
        tmp_path,
        {
            # p1 first, p2 1.5 h later.
            "s1.txt": hub(
                "Mars rover lands safely",
                "https://p1.com/s1",
                "2021-07-01T12:00:00Z",
                ("https://p2.com/s1", "2021-07-01T13:30:00Z"),
            ),
            # p2 first; p1 4 h and 10 h later (its earliest: 4 h); p3 6 h later.
            "s2.txt": hub(
                "Central bank raises rates",
                "https://p2.com/s2",
                "2021-07-10T12:00:00Z",
                ("https://p1.com/s2a", "2021-07-10T16:00:00Z"),
                ("https://p1.com/s2b", "2021-07-10T22:00:00Z"),
                ("https://p3.com/s2", "2021-07-10T18:00:00Z"),
            ),
            # One provider only: not counted.
            "s3.txt": hub(
                "Local team wins final",
                "https://p1.com/s3",
                "2021-07-20T12:00:00Z",
                ("https://p1.com/s3b", "2021-07-20T13:00:00Z"),
            ),
            # A story of one article: not counted.
            "s4.txt": hub("Quiet day at the harbour", "https://p3.com/s4", "2021-07-25T12:00:00Z"),
        },
    )
    s1, s2 = digest("https://p1.com/s1"), digest("https://p1.com/s2a")
    s3, s4 = digest("https://p1.com/s3"), digest("https://p3.com/s4")
    assert stories(con) == {
        s1: (
            "Mars rover lands safely",
            datetime(2021, 7, 1, 12),
            datetime(2021, 7, 1, 13, 30),
            "p1.com",
            2,
            1,
            2,
            1.5,
        ),
        s2: (
            "Central bank raises rates",
            datetime(2021, 7, 10, 12),
            datetime(2021, 7, 10, 22),
            "p2.com",
            4,
            1,
            3,
            10.0,
        ),
        s3: (
            "Local team wins final",
            datetime(2021, 7, 20, 12),
            datetime(2021, 7, 20, 13),
            "p1.com",
            2,
            1,
            1,
            1.0,
        ),
        s4: (
            "Quiet day at the harbour",
            datetime(2021, 7, 25, 12),
            datetime(2021, 7, 25, 12),
            "p3.com",
            1,
            1,
            1,
            0.0,
        ),
    }
    assert {url: (item[0], item[5], item[6]) for url, item in story_items(con).items()} == {
        "https://p1.com/s1": (s1, True, 0.0),
        "https://p2.com/s1": (s1, False, 1.5),
        "https://p2.com/s2": (s2, True, 0.0),
        "https://p1.com/s2a": (s2, False, 4.0),
        "https://p1.com/s2b": (s2, False, 10.0),
        "https://p3.com/s2": (s2, False, 6.0),
        "https://p1.com/s3": (s3, True, 0.0),
        "https://p1.com/s3b": (s3, False, 1.0),
        "https://p3.com/s4": (s4, True, 0.0),
    }
    # p1: s1 (first, 0 h) and s2 (4 h): median 2. p2: s1 (1.5 h) and s2 (first): median 0.75.
    # p3: s2 only (6 h), never first.
    assert provider_firsts(con) == [
        ("p1.com", 2, 1, 0.5, 2.0),
        ("p2.com", 2, 1, 0.5, 0.75),
        ("p3.com", 1, 0, 0.0, 6.0),
    ]
    assert_every_article_in_one_story(con)


def test_every_article_is_in_exactly_one_story(tmp_path):
    when = "2021-11-01T00:00:00Z"
    con = build_tables(
        tmp_path,
        {
            # One article in two files: one article, one item.
            "one.txt": (
                article(
                    "Election results announced",
                    "https://w.com/1",
                    publishedDateTime=when,
                    related=related(entry("Election results announced", "https://w.com/2", when)),
                ),
                2_000_000,
            ),
            "one-old.txt": (article("Old copy", "https://w.com/1/"), 1_000_000),
            # Lists the first back: the edge found from both sides is one story.
            "two.txt": article(
                "Election results announced today",
                "https://w.com/2",
                publishedDateTime=when,
                related=related(entry("Election results announced", "https://w.com/1", when)),
            ),
            "three.txt": article("Something else", "https://w.com/3", publishedDateTime=when),
            "four.txt": article("Undated", "https://w.com/4"),
        },
    )
    joined = digest("https://w.com/1")
    assert story_of(con) == {
        "https://w.com/1": joined,
        "https://w.com/2": joined,
        "https://w.com/3": digest("https://w.com/3"),
        "https://w.com/4": digest("https://w.com/4"),
    }
    assert rows(con, "select count(*) from marts.story_items") == [(4,)]
    assert {story: row[4:7] for story, row in stories(con).items()} == {
        joined: (2, 2, 1),
        digest("https://w.com/3"): (1, 1, 1),
        digest("https://w.com/4"): (1, 1, 1),
    }
    assert_every_article_in_one_story(con)
