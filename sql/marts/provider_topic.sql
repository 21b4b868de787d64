/*
description: >-
  One row per provider and topic: the provider's articles that carry the topic, dated or
  not. Grain: (provider_domain, topic_key).
grain: [provider_domain, topic_key]
not_null: [topic, articles, rated_articles]
columns:
  provider_domain: The provider (marts.dim_providers.provider_domain).
  topic_key: The topic (marts.dim_topics.topic_key).
  topic: The topic's label (marts.dim_topics.topic).
  articles: Distinct articles of the provider that carry the topic.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
*/
with

articles as (
    select article_id, provider_domain, quality from marts.fct_articles
),

topics as (
    select article_id, topic_key from staging.stg_article_topics
),

labels as (
    select topic_key, topic from marts.dim_topics
)

select
    articles.provider_domain,
    topics.topic_key,
    any_value(labels.topic) as topic,
    count(distinct articles.article_id) as articles,
    count(distinct articles.article_id) filter (
        where articles.quality is not null
    ) as rated_articles,
    avg(articles.quality) as avg_quality
from articles
inner join topics on topics.article_id = articles.article_id
inner join labels on labels.topic_key = topics.topic_key
group by articles.provider_domain, topics.topic_key
order by articles.provider_domain, topics.topic_key
