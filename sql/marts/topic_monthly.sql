/*
description: >-
  One row per topic and UTC calendar month: the articles that carry the topic, their
  quality and providers, and their share of the month's dated articles, for every month from
  the topic's first dated article through the last month of marts.dim_months (a month
  without it has articles 0), so lag() over months is right. Articles without a date are
  left out. Grain: (month, topic_key).
grain: [month, topic_key]
not_null: [topic, articles, rated_articles, providers]
reconcile:
  dense_from_first_month:
    description: >-
      Each topic has a row for every month from its first dated article's month through the
      last month of marts.dim_months.
    sql: |
      select topic_key, count(*) as months, min(month) as first_month
      from marts.topic_monthly
      group by topic_key
      having count(*) <> datediff('month', min(month), (select max(month) from marts.dim_months)) + 1
          or max(month) <> (select max(month) from marts.dim_months)
          or min(month) <> (
              select min(f.published_month)
              from marts.fct_articles as f
              inner join staging.stg_article_topics as t on t.article_id = f.article_id
              where t.topic_key = marts.topic_monthly.topic_key
          )
columns:
  month: First day of the UTC calendar month.
  topic_key: The topic (marts.dim_topics.topic_key).
  topic: The topic's label (marts.dim_topics.topic).
  articles: Distinct articles published in the month that carry the topic; 0 in a month without any.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  providers: Distinct providers of those articles; 0 in a month without any.
  share_of_articles: >-
    articles over all dated articles of the month (0 to 1; an article with several topics
    counts in each, so shares can add up to more than 1); NULL in a month without any dated
    article.
*/
with

labels as (
    select topic_key, topic from marts.dim_topics
),

calendar as (
    select month, articles as month_articles from marts.dim_months
),

topic_months as (
    -- The cube's cells of a topic and month are its providers there, each with its articles.
    select
        month,
        topic_key,
        sum(articles)::bigint as articles,
        sum(rated_articles)::bigint as rated_articles,
        sum(quality_sum) / nullif(sum(rated_articles), 0) as avg_quality,
        count(*) as providers
    from marts.agg_provider_topic_months
    group by month, topic_key
),

-- Every month from each topic's first through the calendar's last.
spans as (
    select calendar.month, firsts.topic_key
    from (select topic_key, min(month) as first_month from topic_months group by all) as firsts
    inner join calendar on calendar.month >= firsts.first_month
)

select
    spans.month,
    spans.topic_key,
    labels.topic,
    coalesce(topic_months.articles, 0) as articles,
    coalesce(topic_months.rated_articles, 0) as rated_articles,
    topic_months.avg_quality,
    coalesce(topic_months.providers, 0) as providers,
    coalesce(topic_months.articles, 0) / nullif(calendar.month_articles, 0) as share_of_articles
from spans
inner join calendar on calendar.month = spans.month
inner join labels on labels.topic_key = spans.topic_key
left join topic_months
    on topic_months.month = spans.month
    and topic_months.topic_key = spans.topic_key
order by spans.month, spans.topic_key
