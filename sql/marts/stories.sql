/*
description: >-
  One row per story: the coverage of one event by several outlets, found through the related
  lists (see marts.story_items for the rule), or a single article no other coverage links to.
  Its title is its core item's (the most central, marts.story_items.is_core); its provider is
  its first item's. Grain: story_id.
grain: [story_id]
not_null: [items, articles, providers]
reconcile:
  items_add_up:
    description: items, articles and providers count the story's rows of marts.story_items.
    sql: |
      select s.story_id, s.items, i.items as item_rows
      from marts.stories as s
      full join (
          select
              story_id,
              count(*) as items,
              count(article_id) as articles,
              count(distinct provider_domain) as providers
          from marts.story_items
          group by story_id
      ) as i on i.story_id = s.story_id
      where s.items is distinct from i.items
         or s.articles is distinct from i.articles
         or s.providers is distinct from i.providers
  articles_in_stories:
    description: The stories' articles add up to the articles of staging.stg_articles.
    sql: |
      select in_stories, articles
      from (select coalesce(sum(articles), 0) as in_stories from marts.stories),
           (select count(*) as articles from staging.stg_articles)
      where in_stories <> articles
columns:
  story_id: The story (the first 16 hex digits of the SHA-256 of its smallest canonical URL).
  title: The title of its core item, the item with the most links (marts.story_items.is_core).
  first_published_at: The earliest publication time of its items, UTC; NULL when none is known.
  last_published_at: The latest publication time of its items, UTC; NULL when none is known.
  first_provider_domain: >-
    The provider of its first item: the earliest with a time of day (marts.story_items.is_first).
  first_date_only: >-
    Whether its first item's time is a date alone (00:00:00 UTC): then no item of the story
    has a time of day, and who was first is uncertain.
  items: Its items (canonical URLs), articles and related-only URLs alike.
  articles: Of those, the items that are ingested articles.
  providers: Distinct provider domains over its items.
  span_hours: Hours from first_published_at to last_published_at.
*/
with

items as (
    select
        story_id, canonical_url, article_id, title, provider_domain, published_at, date_only,
        is_first,
        is_core
    from marts.story_items
),

firsts as (
    select story_id, provider_domain, date_only
    from items
    where is_first
),

cores as (
    select story_id, title
    from items
    where is_core
),

spans as (
    select
        story_id,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        count(*) as items,
        count(article_id) as articles,
        count(distinct provider_domain) as providers
    from items
    group by story_id
)

select
    spans.story_id,
    cores.title,
    spans.first_published_at,
    spans.last_published_at,
    firsts.provider_domain as first_provider_domain,
    firsts.date_only as first_date_only,
    spans.items,
    spans.articles,
    spans.providers,
    (epoch_us(spans.last_published_at) - epoch_us(spans.first_published_at)) / 3600e6
        as span_hours
from spans
inner join firsts on firsts.story_id = spans.story_id
inner join cores on cores.story_id = spans.story_id
order by spans.items desc, spans.story_id
