/*
description: >-
  One row per article with its date parts, provider, quality band and counts: the fact
  table every other mart aggregates. Grain: article_id.
grain: [article_id]
incremental_by: article_id
not_null: [canonical_url, source_path, n_files, topic_keys, story_id, provider_domain, n_topics, n_related, n_images]
accepted_values:
  quality_band: [low, medium, high, top]
reconcile:
  every_staging_article:
    description: Every staging.stg_articles row is in marts.fct_articles, and no other.
    sql: |
      (select article_id from staging.stg_articles except select article_id from marts.fct_articles)
      union all
      (select article_id from marts.fct_articles except select article_id from staging.stg_articles)
  in_its_story:
    description: story_id is the story of marts.story_items that holds the article.
    sql: |
      select f.article_id, f.story_id, i.story_id as item_story_id
      from marts.fct_articles as f
      left join marts.story_items as i on i.article_id = f.article_id
      where i.story_id is distinct from f.story_id
  files_and_topics:
    description: >-
      n_files is the winning file plus its duplicates, and topic_keys holds n_topics sorted keys.
    sql: |
      select f.article_id, f.n_files, f.topic_keys, f.n_topics
      from marts.fct_articles as f
      inner join staging.stg_articles as a on a.article_id = f.article_id
      where f.n_files <> 1 + len(a.duplicate_files)
         or len(f.topic_keys) <> f.n_topics
         or f.topic_keys <> list_sort(f.topic_keys)
  band_matches_quality:
    description: quality_band is the band of quality (low 0-24, medium 25-49, high 50-99, top 100+).
    sql: |
      select article_id, quality, quality_band
      from marts.fct_articles
      where (quality is null) <> (quality_band is null)
         or (quality < 25 and quality_band <> 'low')
         or (quality between 25 and 49 and quality_band <> 'medium')
         or (quality between 50 and 99 and quality_band <> 'high')
         or (quality >= 100 and quality_band <> 'top')
columns:
  article_id: The article (staging.stg_articles.article_id).
  canonical_url: The article's canonical URL.
  title: The article's title.
  published_at: Publication time in UTC; NULL when unknown (then the article is in no monthly mart).
  published_date: The UTC calendar date of published_at.
  published_month: First day of the UTC calendar month of published_at.
  provider_domain: The provider (marts.dim_providers.provider_domain).
  provider_name: The provider name written in the article's winning file; NULL when absent.
  source_path: The winning file (staging.stg_articles.source_path), relative to the content root.
  n_files: How many content files describe the article (the winning file and its duplicates).
  topic_keys: The article's topic keys, sorted; empty when it has none.
  story_id: The story the article belongs to (marts.stories.story_id); every article has one.
  quality: Quality score; NULL when unrated.
  quality_band: low (0-24), medium (25-49), high (50-99) or top (100 and over); NULL when unrated.
  heat: Heat score; NULL when unknown.
  is_published: The published flag; NULL when unknown.
  n_topics: Distinct topics of the article.
  n_related: Entries in its related coverage list.
  n_images: Entries in its images list.
  body_words: Words in the body of the article's file.
*/
with

articles as (
    select
        article_id,
        canonical_url,
        source_path,
        duplicate_files,
        title,
        published_at,
        provider_domain,
        provider_name,
        quality,
        heat,
        is_published,
        images,
        body_words
    from staging.stg_articles
    -- A build selects again only the articles it changed, or whose story it changed.
    semi join temp.changed_articles using (article_id)
),

topics as (
    select article_id, count(*) as n_topics, list(topic_key order by topic_key) as topic_keys
    from staging.stg_article_topics
    semi join articles using (article_id)
    group by article_id
),

stories as (
    select article_id, story_id
    from marts.story_items
    semi join articles using (article_id)
),

related as (
    select article_id, count(*) as n_related
    from staging.stg_related_articles
    semi join articles using (article_id)
    group by article_id
)

select
    articles.article_id,
    articles.canonical_url,
    articles.title,
    articles.published_at,
    articles.published_at::date as published_date,
    date_trunc('month', articles.published_at)::date as published_month,
    articles.provider_domain,
    articles.provider_name,
    articles.source_path,
    1 + len(articles.duplicate_files) as n_files,
    coalesce(topics.topic_keys, []::varchar[]) as topic_keys,
    stories.story_id,
    articles.quality,
    case
        when articles.quality is null then null
        when articles.quality < 25 then 'low'
        when articles.quality < 50 then 'medium'
        when articles.quality < 100 then 'high'
        else 'top'
    end as quality_band,
    articles.heat,
    articles.is_published,
    coalesce(topics.n_topics, 0) as n_topics,
    coalesce(related.n_related, 0) as n_related,
    coalesce(len(articles.images), 0) as n_images,
    articles.body_words
from articles
left join topics on topics.article_id = articles.article_id
left join related on related.article_id = articles.article_id
left join stories on stories.article_id = articles.article_id
