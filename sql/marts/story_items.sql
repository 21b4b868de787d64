/*
description: >-
  One row per item of a story: a story is one event's coverage by several outlets. Items are
  canonical URLs: articles, and URLs known only from related lists (article_id NULL). The
  links between items are intermediate.int_story_edges (an article and an entry of its
  related list, 72 hours and a Jaccard index of 0.4; two articles by their titles alone, 12
  hours and 0.8). Linked items form groups (the connected components of the links), and each
  group is cut into cohesive stories, so that two events chained through a shared item are
  two stories. In rounds, a group's core is its item with the most links (tie: the earliest
  published_at, then the smallest canonical URL); an item joins the core's story when its
  title's Jaccard index with the core's is at least 0.4 and it is at most 96 hours from the
  core; of those, the story keeps the 96 hours that hold the core and the most of them (tie:
  the earliest). Items left out are the next round's groups (the links among them). An
  article with no link, or left alone, is a story of its own; a related-only URL left alone is
  no item. The cut is one call of the Python function story_cores(sources, targets, times,
  tokens, hours, similarity) (pipelines/models/functions.py): the links as two lists of node
  numbers, each node's published_at (epoch microseconds) and title tokens in node order, 96
  and 0.4; it returns two lists, each node's core and each node's group, as node numbers.
  Grain: (story_id, canonical_url).
grain: [story_id, canonical_url]
not_null: [is_first]
# A build by the delta computes again only the stories it touches: each item of them is a
# changed article of this table (and of the models after it).
incremental_by: canonical_url
changes: |
  with touched as (
      -- The changed articles' URLs (with those whose titles link to theirs, before or after:
      -- intermediate.int_story_edges adds them), and the URLs their related lists name: in
      -- every file of them (the winning file, before and after, is one) and in the deleted.
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
  ),

  -- And the articles listing a touched URL: a related-only URL the cut left alone is in no
  -- story, but its links are entries of these articles.
  reached as (
      select url from touched
      union
      select listing.canonical_url
      from staging.stg_related_articles as entries
      inner join staging.stg_articles as listing using (article_id)
      where entries.related_url in (select url from touched)
  )

  select url as canonical_url, left(sha256(url), 16) as article_id
  from reached
  union
  -- Every item of a group a reached URL was in: a group's stories are cut together.
  select canonical_url, left(sha256(canonical_url), 16)
  from marts.story_items
  where group_id in (select group_id from marts.story_items semi join reached on url = canonical_url)
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
  one_core_item:
    description: Every story has exactly one core item, the one its title comes from.
    sql: |
      select story_id, count(*) filter (where is_core) as cores
      from marts.story_items
      group by story_id
      having count(*) filter (where is_core) <> 1
  stories_within_96_hours:
    description: No story's items with a time span more than 96 hours.
    sql: |
      select story_id, max(published_at) - min(published_at) as span
      from marts.story_items
      group by story_id
      having max(published_at) - min(published_at) > interval 96 hour
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
  is_core: >-
    Whether this is the story's core, the item its title comes from (marts.stories.title): the
    item with the most links in the round that made the story.
  group_id: >-
    The group of linked items the story was cut from: the first 16 hex digits of the SHA-256
    of the group's smallest canonical URL (the story_id of an item with no link).
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
-- the groups it touches.
articles as (
    select article_id, canonical_url, title, provider_domain, published_at
    from staging.stg_articles
    semi join temp.changed_articles using (canonical_url)
),

-- The links of those articles (intermediate.int_story_edges: related-list and title links),
-- each pair once.
edges as (
    select distinct
        least(canonical_url, linked_url) as source_url,
        greatest(canonical_url, linked_url) as target_url
    from intermediate.int_story_edges
    semi join articles using (canonical_url)
),

nodes as (
    select url, row_number() over (order by url) - 1 as node
    from (select source_url as url from edges union select target_url from edges)
),

-- A related-only item (a linked URL that is no article) takes its fields from the earliest
-- entry pointing at it, in any article's list.
related_items as (
    select
        related_url as canonical_url,
        -- The earliest entry's fields (NULL times last, then the smallest article_id, then
        -- list order): arg_min over that order, a hash aggregate rather than a sort.
        unnest(arg_min(
            {
                'title': related_title,
                'provider_domain': related_provider_domain,
                'published_at': related_published_at
            },
            (related_published_at is null, related_published_at, article_id, position)
        ))
    from staging.stg_related_articles
    semi join (
        select url from nodes
        anti join articles on articles.canonical_url = nodes.url
    ) as related_only on related_only.url = stg_related_articles.related_url
    group by related_url
),

-- Every linked item's fields: an article's own, a related-only URL's from its earliest entry.
fields as (
    select canonical_url, article_id, title, provider_domain, published_at
    from articles
    semi join nodes on nodes.url = articles.canonical_url
    union all
    select canonical_url, null, title, provider_domain, published_at from related_items
),

-- The groups (connected components of the links) cut into stories, in one call: each node's
-- core and group, as node numbers.
cut as (
    select story_cores(links.sources, links.targets, items.times, items.tokens, 96, 0.4) as labels
    from (
        select list(source.node) as sources, list(target.node) as targets
        from edges
        inner join nodes as source on source.url = edges.source_url
        inner join nodes as target on target.url = edges.target_url
    ) as links,
    (
        select
            list(epoch_us(fields.published_at) order by nodes.node) as times,
            list(story_tokens(fields.title) order by nodes.node) as tokens
        from nodes
        inner join fields on fields.canonical_url = nodes.url
    ) as items
),

-- A related-only URL is an item only in a story with another item: one the cut leaves alone
-- is no item.
linked as (
    select
        nodes.url as canonical_url,
        cores.url as core_url,
        groups.url as group_url,
        min(nodes.url) over (partition by labels.core) as story_url
    from (
        select
            unnest(labels[1]) as core,
            unnest(labels[2]) as grp,
            generate_subscripts(labels[1], 1) - 1 as node
        from cut
    ) as labels
    inner join nodes on nodes.node = labels.node
    inner join nodes as cores on cores.node = labels.core
    inner join nodes as groups on groups.node = labels.grp
    qualify count(*) over (partition by labels.core) > 1
        or exists (select 1 from articles where articles.canonical_url = nodes.url)
),

-- The linked items in their stories' order. A time of exactly 00:00:00 UTC is a date alone
-- (the content gave no time of day): such an item is first only when no item of its story
-- has a time of day.
ordered as (
    select
        *,
        row_number() over story = 1 as is_first,
        first_value(published_at) over story as first_published_at
    from (
        select
            linked.story_url,
            linked.core_url,
            linked.group_url,
            fields.*,
            fields.published_at = date_trunc('day', fields.published_at) as date_only
        from linked
        inner join fields on fields.canonical_url = linked.canonical_url
    )
    window story as (
        partition by story_url
        order by date_only asc nulls last, published_at asc nulls last, canonical_url asc
    )
),

-- An article with no link is a story of its own, its own first item (no window needed for
-- the most of them).
items as (
    select * from ordered
    union all
    select
        canonical_url as story_url,
        canonical_url as core_url,
        canonical_url as group_url,
        canonical_url,
        article_id,
        title,
        provider_domain,
        published_at,
        published_at = date_trunc('day', published_at) as date_only,
        true as is_first,
        published_at as first_published_at
    from articles
    anti join linked on linked.canonical_url = articles.canonical_url
)

select
    left(sha256(story_url), 16) as story_id,
    canonical_url,
    article_id,
    title,
    provider_domain,
    published_at,
    date_only,
    canonical_url = core_url as is_core,
    -- An article with no link is its own group: its story_id, hashed once.
    if(group_url = story_url, story_id, left(sha256(group_url), 16)) as group_id,
    is_first,
    (epoch_us(published_at) - epoch_us(first_published_at)) / 3600e6 as hours_after_first
from items
