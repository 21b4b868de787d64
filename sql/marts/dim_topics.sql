/*
description: >-
  One row per topic (topic_key) with its most frequent label and its articles, dated or
  not. Grain: topic_key.
grain: [topic_key]
not_null: [topic, articles, rated_articles]
columns:
  topic_key: The topic's key, its label in lowercase.
  topic: The most frequent label of the key over its articles (on a tie, the smallest).
  articles: Distinct articles that carry the topic.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  first_published_at: Earliest publication time (UTC) of its articles.
  last_published_at: Latest publication time (UTC) of its articles.
*/
with

topics as (
    select article_id, topic_key, topic from staging.stg_article_topics
),

articles as (
    select article_id, quality, published_at from marts.fct_articles
),

labels as (
    select topic_key, topic, count(*) as articles
    from topics
    group by topic_key, topic
),

best_labels as (
    select topic_key, topic
    from labels
    qualify row_number() over (partition by topic_key order by articles desc, topic asc) = 1
),

stats as (
    select
        topics.topic_key,
        count(distinct topics.article_id) as articles,
        count(distinct topics.article_id) filter (
            where articles.quality is not null
        ) as rated_articles,
        avg(articles.quality) as avg_quality,
        min(articles.published_at) as first_published_at,
        max(articles.published_at) as last_published_at
    from topics
    inner join articles on articles.article_id = topics.article_id
    group by topics.topic_key
)

select
    stats.topic_key,
    best_labels.topic,
    stats.articles,
    stats.rated_articles,
    stats.avg_quality,
    stats.first_published_at,
    stats.last_published_at
from stats
inner join best_labels on best_labels.topic_key = stats.topic_key
order by stats.topic_key
