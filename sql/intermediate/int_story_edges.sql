/*
description: >-
  One row per link between two story items, from the side of the article that makes it: the
  first step of the stories (marts.story_items cuts them from the groups these links make).
  An article links an entry of its own related list (kind related) when both have a time at
  most 72 hours apart and their titles' token sets have a Jaccard index of at least 0.4; two
  articles link each other (kind title, one row from each) when at most 12 hours apart their
  token sets are the same, or the same but for one token more in one of them, with a Jaccard
  index of at least 0.8. Tokens are story_tokens(title) (pipelines/models/functions.py): the
  title lowercased, split on what is not a letter or a digit, pieces under 3 characters and
  the contract's stop words dropped, as a set. Grain: (canonical_url, linked_url, kind).
grain: [canonical_url, linked_url, kind]
not_null: [canonical_url, linked_url, kind]
accepted_values:
  kind: [related, title]
# A build by the delta computes again the links of the articles it changed, and of the
# articles whose titles link to theirs, before or after.
incremental_by: canonical_url
changes: |
  select canonical_url, left(sha256(canonical_url), 16) as article_id
  from intermediate.int_story_edges
  where kind = 'title'
    and linked_url in (select canonical_url from temp.changed_articles)
  union
  -- A Jaccard index of 0.8 or more within 12 hours, which every title link has. A title a
  -- token apart from a changed one, or the same, holds all of its tokens but one: so of its
  -- three longest tokens, two at least (or one of one or two), found in the lowercased
  -- title before any title of the window is split into tokens.
  select other.canonical_url, other.article_id
  from (
      select
          published_at,
          tokens,
          longest[1] as t1,
          longest[2] as t2,
          longest[3] as t3,
          least(len(tokens), 2) as needed
      from (
          select
              published_at,
              tokens,
              list_select(tokens, list_grade_up(list_transform(tokens, lambda t: -length(t))))
                  as longest
          from (
              select published_at, story_tokens(title) as tokens
              from staging.stg_articles
              semi join temp.changed_articles using (canonical_url)
              where published_at is not null
          )
          where len(tokens) > 0
      )
  ) as changed
  inner join staging.stg_articles as other
      on other.published_at between changed.published_at - interval 12 hour
                                and changed.published_at + interval 12 hour
  where contains(lower(other.title), changed.t1)::int
        + coalesce(contains(lower(other.title), changed.t2)::int, 0)
        + coalesce(contains(lower(other.title), changed.t3)::int, 0)
        >= changed.needed
    and story_tokens_similar(changed.tokens, story_tokens(other.title))
reconcile:
  title_links_both_ways:
    description: A title link is held from both of its articles.
    sql: |
      select a.canonical_url, a.linked_url
      from intermediate.int_story_edges as a
      anti join intermediate.int_story_edges as b
          on b.kind = 'title' and b.canonical_url = a.linked_url and b.linked_url = a.canonical_url
      where a.kind = 'title'
columns:
  canonical_url: >-
    The article that makes the link: the one whose related list names the other item (kind
    related), or either of two articles linked by their titles (kind title).
  linked_url: The other item's canonical URL (an article's, or a URL known only from related lists).
  kind: related (from the article's related list) or title (from the two titles alone).
*/
with

-- The articles whose links this build computes: every article, or by the delta the changed
-- ones and those whose titles link to theirs.
articles as (
    select article_id, canonical_url, title, published_at
    from staging.stg_articles
    semi join temp.changed_articles using (canonical_url)
),

-- Candidate pairs close enough in time: an article and an entry of its own related list.
candidates as (
    select
        articles.canonical_url as article_url,
        entries.related_url,
        entries.related_title
    from staging.stg_related_articles as entries
    inner join articles on articles.article_id = entries.article_id
    where entries.related_url is not null
      and entries.related_url <> articles.canonical_url
      and abs(epoch_us(articles.published_at) - epoch_us(entries.related_published_at))
          <= 72 * 3600 * 1000000::bigint
),

-- Titles are compared with every article in the same or a neighbouring 12-hour slot: the
-- tokens of those articles (every dated article, built whole).
slots as (
    select distinct epoch_us(published_at) // (12 * 3600 * 1000000::bigint) + shift as slot
    from articles, (select unnest([-1, 0, 1]) as shift)
    where published_at is not null
),

article_tokens as (
    select canonical_url, published_at, story_tokens(title) as tokens
    from staging.stg_articles
    where published_at is not null
      and epoch_us(published_at) // (12 * 3600 * 1000000::bigint) in (select slot from slots)
),

related_tokens as (
    select related_title as title, story_tokens(related_title) as tokens
    from (select distinct related_title from candidates)
    where related_title is not null
),

-- A link: an article and an entry of its list whose titles' Jaccard index is at least 0.4,
-- 5 |A & B| >= 2 |A | B| in integers, so that 2/5 is exactly on the line.
link_edges as (
    select article_url as canonical_url, related_url as linked_url
    from (
        select
            candidates.article_url,
            candidates.related_url,
            len(a.tokens) as a_tokens,
            len(r.tokens) as r_tokens,
            -- list_filter over list_contains: several times faster than list_intersect.
            len(list_filter(a.tokens, lambda token: list_contains(r.tokens, token))) as shared
        from candidates
        inner join article_tokens as a on a.canonical_url = candidates.article_url
        inner join related_tokens as r on r.title = candidates.related_title
    )
    where shared > 0 and 5 * shared >= 2 * (a_tokens + r_tokens - shared)
),

-- Title links: two articles at most 12 hours apart whose token sets are the same, or the same
-- but for one token more in one of them, and whose Jaccard index is at least 0.8 (so the
-- smaller of two sets a token apart has 4 tokens or more). A token set is known by a 64-bit
-- hash, the XOR of its tokens' hashes; the set without one of its tokens is that XOR the
-- token's hash. So an article is sought under its set's hash, and found under that hash or
-- under one of its own sets less a token, in the same or a neighbouring 12-hour slot.
hashed as (
    select
        canonical_url,
        hash(canonical_url) as id,
        epoch_us(published_at) as published_us,
        epoch_us(published_at) // (12 * 3600 * 1000000::bigint) as slot,
        len(tokens) as size,
        list_transform(tokens, lambda token: hash(token)) as hashes,
        list_reduce(list_transform(tokens, lambda token: hash(token)), lambda a, b: xor(a, b))
            as set_hash
    from article_tokens
    where published_at is not null and len(tokens) > 0
),

-- Integers only on both sides (an article by the hash of its URL), so the join is cheap; the
-- URLs come back for the few pairs found.
sought as (
    select id, published_us, size, set_hash as key, unnest([slot - 1, slot, slot + 1]) as slot
    from hashed
),

found as (
    select id, published_us, slot, size, set_hash as key from hashed
    union all
    select id, published_us, slot, size - 1, xor(set_hash, unnest(hashes))
    from hashed
    where size >= 5
),

title_pairs as (
    select sought.id as source_id, found.id as target_id
    from sought
    inner join found on found.key = sought.key and found.slot = sought.slot
    where found.id <> sought.id
      and found.size = sought.size
      and abs(found.published_us - sought.published_us) <= 12 * 3600 * 1000000::bigint
),

title_links as (
    select source.canonical_url, target.canonical_url as linked_url
    from title_pairs
    inner join hashed as source on source.id = title_pairs.source_id
    inner join hashed as target on target.id = title_pairs.target_id
)

select canonical_url, linked_url, 'related' as kind from link_edges
union
select canonical_url, linked_url, 'title'
from (
    select canonical_url, linked_url from title_links
    union
    select linked_url, canonical_url from title_links
)
semi join articles using (canonical_url)
