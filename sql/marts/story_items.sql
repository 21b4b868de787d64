/*
description: >-
  One row per item of a story: a story groups the coverage of one event by several outlets,
  found through the related lists. An article and an entry of its own related list are linked
  when both have a time at most 72 hours apart and their titles' token sets have a Jaccard
  index of at least 0.4; stories are the connected components of those links, and an article
  with no link is a story of its own. Items are canonical URLs: articles, and URLs known only
  from related lists (article_id NULL). Grain: (story_id, canonical_url).
grain: [story_id, canonical_url]
not_null: [is_first]
# A build by the delta computes again only the stories it touches: each item of them is a
# changed article of this table (and of the models after it).
incremental_by: canonical_url
changes: |
  with touched as (
      -- The changed articles' URLs, and the URLs their related lists name: in every file
      -- of them (the winning file, before and after, is one) and in the files deleted.
      select canonical_url as url from temp.changed_articles
      union
      select entry.canonical_url
      from (
          select unnest(related) as entry
          from raw.articles
          semi join temp.changed_articles using (canonical_url)
      )
      union
      select related_url from temp.deleted_related
  )
  select url as canonical_url, left(sha256(url), 16) as article_id
  from touched
  union
  select canonical_url, left(sha256(canonical_url), 16)
  from marts.story_items
  where story_id in (select story_id from marts.story_items semi join touched on url = canonical_url)
reconcile:
  every_article_in_one_story:
    description: Every article of staging.stg_articles is an item of exactly one story.
    sql: |
      select a.article_id, count(i.story_id) as stories
      from staging.stg_articles as a
      left join marts.story_items as i on i.article_id = a.article_id
      group by a.article_id
      having count(i.story_id) <> 1
  url_in_one_story:
    description: A canonical URL is an item of one story only.
    sql: |
      select canonical_url, count(*) as stories
      from marts.story_items
      group by canonical_url
      having count(*) > 1
  one_first_item:
    description: >-
      Every story has exactly one first item, the one hours_after_first is measured from; only a
      date-only item comes before it, and a date-only item is first only in a story without a
      time of day.
    sql: |
      select story_id, count(*) filter (where is_first) as first_items
      from marts.story_items
      group by story_id
      having count(*) filter (where is_first) <> 1
          or bool_or(hours_after_first < 0 and not date_only)
          or (bool_or(date_only and is_first) and bool_or(not date_only))
  story_id_of_smallest_url:
    description: story_id is the first 16 hex digits of the SHA-256 of the story's smallest canonical URL.
    sql: |
      select story_id, min(canonical_url) as smallest_url
      from marts.story_items
      group by story_id
      having story_id <> left(sha256(min(canonical_url)), 16)
columns:
  story_id: >-
    The story (marts.stories.story_id): the first 16 hex digits of the SHA-256 of its
    smallest canonical URL.
  canonical_url: The item's canonical URL.
  article_id: The item's article (staging.stg_articles.article_id); NULL for a URL known only from related lists.
  title: >-
    The article's title; for a related-only URL, the title of the related entry pointing at it
    with the earliest related_published_at (tie: smallest article_id, then list order).
  provider_domain: The item's provider, taken like its title.
  published_at: The item's publication time in UTC, taken like its title; NULL when unknown.
  date_only: >-
    Whether published_at is a date alone: exactly 00:00:00 UTC, as a content file's date without
    a time of day becomes; NULL when published_at is.
  is_first: >-
    Whether this is the story's first item: the earliest published_at with a time of day
    (tie: the smallest canonical URL); a date-only item only when no item of the story has a
    time of day.
  hours_after_first: >-
    Hours from the first item's published_at to this item's; NULL when either is unknown;
    negative only for a date-only item dated before the first.
*/
with

-- The articles whose stories this build computes: every article, or by the delta those of
-- the stories it touches.
articles as (
    select article_id, canonical_url, title, provider_domain, published_at
    from staging.stg_articles
    semi join temp.changed_articles using (canonical_url)
),

entries as (
    select
        article_id,
        position,
        related_url,
        related_title,
        related_provider_domain,
        related_published_at
    from staging.stg_related_articles
    semi join articles using (article_id)
    where related_url is not null
),

-- Candidate pairs close enough in time: an article and an entry of its own related list.
candidates as (
    select
        articles.canonical_url as article_url,
        entries.related_url,
        articles.title as article_title,
        entries.related_title
    from entries
    inner join articles on articles.article_id = entries.article_id
    where entries.related_url <> articles.canonical_url
      and abs(epoch_us(articles.published_at) - epoch_us(entries.related_published_at))
          <= 72 * 3600 * 1000000::bigint
),

-- Each distinct title's tokens: lowercased, split on what is not a letter or a digit,
-- pieces under 3 characters and stop words dropped, as a set.
titles as (
    select distinct title
    from (
        select article_title as title from candidates
        union all
        select related_title from candidates
    )
    where title is not null
),

tokens as (
    select
        title,
        list_distinct(list_filter(
            regexp_split_to_array(lower(title), '[^\p{L}\p{N}]+'),
            lambda token: length(token) >= 3 and not list_contains([
                'about', 'after', 'all', 'and', 'are', 'but', 'can', 'could', 'for', 'from',
                'had', 'has', 'have', 'how', 'into', 'its', 'more', 'most', 'new', 'not',
                'now', 'one', 'our', 'out', 'over', 'said', 'says', 'than', 'that', 'the',
                'their', 'this', 'two', 'was', 'were', 'what', 'who', 'why', 'will', 'with',
                'you', 'your'
            ], token)
        )) as tokens
    from titles
),

-- A pair is an edge when the titles' Jaccard index is at least 0.4: 5 |A & B| >= 2 |A | B|,
-- in integers, so that 2/5 is exactly on the line.
edges as (
    select article_url, related_url
    from (
        select
            candidates.article_url,
            candidates.related_url,
            len(a.tokens) as a_tokens,
            len(r.tokens) as r_tokens,
            -- list_filter over list_contains: several times faster than list_intersect.
            len(list_filter(a.tokens, lambda token: list_contains(r.tokens, token))) as shared
        from candidates
        inner join tokens as a on a.title = candidates.article_title
        inner join tokens as r on r.title = candidates.related_title
    )
    where shared > 0 and 5 * shared >= 2 * (a_tokens + r_tokens - shared)
),

nodes as (
    select url, row_number() over (order by url) - 1 as node
    from (select article_url as url from edges union select related_url from edges)
),

labelled as (
    select connected_components(
        list(source.node), list(target.node), (select count(*) from nodes)
    ) as labels
    from edges
    inner join nodes as source on source.url = edges.article_url
    inner join nodes as target on target.url = edges.related_url
),

linked as (
    select nodes.url as canonical_url, min(nodes.url) over (partition by labels.component) as story_url
    from (
        select unnest(labels) as component, generate_subscripts(labels, 1) - 1 as node
        from labelled
    ) as labels
    inner join nodes on nodes.node = labels.node
),

items as (
    select canonical_url, story_url from linked
    union all
    select canonical_url, canonical_url as story_url
    from articles
    anti join linked on linked.canonical_url = articles.canonical_url
),

-- A related-only item (a linked URL that is no article) takes its fields from the earliest
-- entry pointing at it, in any article's list.
related_items as (
    select
        related_url as canonical_url,
        related_title as title,
        related_provider_domain as provider_domain,
        related_published_at as published_at
    from staging.stg_related_articles
    semi join (
        select canonical_url from linked
        anti join articles on articles.canonical_url = linked.canonical_url
    ) as related_only on related_only.canonical_url = stg_related_articles.related_url
    qualify row_number() over (
        partition by related_url order by related_published_at asc nulls last, article_id, position
    ) = 1
),

described as (
    select
        items.story_url,
        items.canonical_url,
        articles.article_id,
        if(articles.article_id is null, related_items.title, articles.title) as title,
        if(
            articles.article_id is null,
            related_items.provider_domain,
            articles.provider_domain
        ) as provider_domain,
        if(
            articles.article_id is null, related_items.published_at, articles.published_at
        ) as published_at
    from items
    left join articles on articles.canonical_url = items.canonical_url
    left join related_items on related_items.canonical_url = items.canonical_url
),

-- A time of exactly 00:00:00 UTC is a date alone (the content gave no time of day): such an
-- item is first only when no item of its story has a time of day.
ordered as (
    select
        *,
        row_number() over story = 1 as is_first,
        first_value(published_at) over story as first_published_at
    from (select *, published_at = date_trunc('day', published_at) as date_only from described)
    window story as (
        partition by story_url
        order by date_only asc nulls last, published_at asc nulls last, canonical_url asc
    )
)

select
    left(sha256(story_url), 16) as story_id,
    canonical_url,
    article_id,
    title,
    provider_domain,
    published_at,
    date_only,
    is_first,
    (epoch_us(published_at) - epoch_us(first_published_at)) / 3600e6 as hours_after_first
from ordered
order by story_id, published_at nulls last, canonical_url
