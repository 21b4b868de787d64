/*
description: >-
  One row per topic of an article, from the winning file's topics list. A key repeated
  within the article (labels that differ only in case) counts once. Grain: (article_id,
  topic_key).
incremental_by: article_id
grain: [article_id, topic_key]
not_null: [topic]
reconcile:
  topics_point_at_articles:
    description: Every topic row points at an article of staging.stg_articles.
    sql: |
      select t.article_id, t.topic_key
      from staging.stg_article_topics as t
      anti join staging.stg_articles as a on a.article_id = t.article_id
columns:
  article_id: The article (staging.stg_articles.article_id).
  topic_key: The topic's key, its label in lowercase; compare and group by this.
  topic: >-
    The label as written in the article (trimmed, inner whitespace collapsed); the first one
    when the article spells the key several ways.
*/
with

articles as (
    select article_id, source_path from staging.stg_articles
    -- A build selects again only the articles it changed (every article when built whole).
    where article_id in (select article_id from temp.changed_articles)
),

labels as (
    select
        articles.article_id,
        unnest(files.topics) as topic,
        generate_subscripts(files.topics, 1) as position
    from raw.articles as files
    inner join articles on articles.source_path = files.source_path
)

select
    article_id,
    lower(topic) as topic_key,
    arg_min(topic, position) as topic
from labels
group by article_id, lower(topic)
