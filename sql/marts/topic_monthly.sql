/*
description: >-
  One row per topic and UTC calendar month: the articles that carry the topic, their
  quality and providers, and their share of the month's dated articles. Articles without a
  date are left out. Grain: (month, topic_key).
grain: [month, topic_key]
not_null: [topic, articles, providers, share_of_articles]
columns:
  month: First day of the UTC calendar month.
  topic_key: The topic (marts.dim_topics.topic_key).
  topic: The topic's label (marts.dim_topics.topic).
  articles: Distinct articles published in the month that carry the topic.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  providers: Distinct providers of those articles.
  share_of_articles: >-
    articles over all dated articles of the month (0 to 1; an article with several topics
    counts in each, so shares can add up to more than 1).
*/
with

dated as (
    select article_id, published_month as month, provider_domain, quality
    from marts.fct_articles
    where published_at is not null
),

topics as (
    select article_id, topic_key from staging.stg_article_topics
),

labels as (
    select topic_key, topic from marts.dim_topics
),

months as (
    select month, count(distinct article_id) as month_articles
    from dated
    group by month
),

topic_months as (
    select
        dated.month,
        topics.topic_key,
        count(distinct dated.article_id) as articles,
        count(distinct dated.article_id) filter (where dated.quality is not null) as rated_articles,
        avg(dated.quality) as avg_quality,
        count(distinct dated.provider_domain) as providers
    from dated
    inner join topics on topics.article_id = dated.article_id
    group by dated.month, topics.topic_key
)

select
    topic_months.month,
    topic_months.topic_key,
    labels.topic,
    topic_months.articles,
    topic_months.rated_articles,
    topic_months.avg_quality,
    topic_months.providers,
    topic_months.articles / months.month_articles as share_of_articles
from topic_months
inner join months on months.month = topic_months.month
inner join labels on labels.topic_key = topic_months.topic_key
order by topic_months.month, topic_months.topic_key
