/*
description: >-
  One row per entry of an article's related coverage list (the winning file's), in list
  order. Grain: (article_id, position).
incremental_by: article_id
grain: [article_id, position]
reconcile:
  related_point_at_articles:
    description: Every related entry belongs to an article of staging.stg_articles.
    sql: |
      select r.article_id, r.position
      from staging.stg_related_articles as r
      anti join staging.stg_articles as a on a.article_id = r.article_id
columns:
  article_id: The article whose related list holds the entry.
  position: Position of the entry in the list, from 1.
  related_url: The entry's URL in canonical form; NULL when it has no usable http(s) URL.
  related_article_id: >-
    article_id of related_url (the same function as staging.stg_articles.article_id), so
    related coverage that is itself in the warehouse joins on it.
  related_source_url: The entry's URL as written.
  related_title: The entry's title, HTML entities decoded.
  related_provider_domain: The entry's provider domain (the host of related_url when absent).
  related_provider_name: The entry's provider name; NULL when absent.
  related_published_at: The entry's publication time in UTC; NULL when absent or invalid.
  related_quality: The entry's quality score; NULL when absent or invalid.
*/
with

articles as (
    select article_id, source_path from staging.stg_articles
    -- A build selects again only the articles it changed (every article when built whole).
    where article_id in (select article_id from temp.changed_articles)
),

entries as (
    select
        articles.article_id,
        unnest(files.related) as entry,
        generate_subscripts(files.related, 1) as position
    from raw.articles as files
    inner join articles on articles.source_path = files.source_path
)

select
    article_id,
    position,
    entry.canonical_url as related_url,
    left(sha256(entry.canonical_url), 16) as related_article_id,
    entry.source_url as related_source_url,
    entry.title as related_title,
    entry.provider_domain as related_provider_domain,
    entry.provider_name as related_provider_name,
    entry.published_at as related_published_at,
    entry.quality as related_quality
from entries
