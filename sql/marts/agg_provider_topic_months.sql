/*
description: >-
  The additive cube of dated articles by provider, topic and UTC calendar month: counts and
  sums that add up over any set of providers and months for one topic (an article with
  several topics is in a cell of each, so sums over topics count it once per topic). A mean
  is quality_sum over rated_articles; a topic's providers in a month are its cells there.
  The topic marts and the dashboards aggregate from it. Only cells that hold an article;
  articles without a date are left out. Grain: (month, provider_domain, topic_key).
grain: [month, provider_domain, topic_key]
not_null: [articles, rated_articles, quality_sum, low_articles, medium_articles, high_articles, top_articles, unrated_articles]
reconcile:
  adds_up_to_the_facts:
    description: >-
      Month by month, the cells sum to the topics the dated articles of marts.fct_articles
      carry (n_topics), and within each provider and month no topic holds more articles
      than marts.agg_provider_months.
    sql: |
      select coalesce(c.month, f.month) as month, c.mentions as cube_mentions, f.mentions as fct_mentions
      from (
          select month, sum(articles) as mentions from marts.agg_provider_topic_months group by month
      ) as c
      full join (
          select published_month as month, sum(n_topics) as mentions
          from marts.fct_articles
          where published_month is not null and n_topics > 0
          group by published_month
      ) as f on f.month = c.month
      where c.mentions is distinct from f.mentions
      union all
      select t.month, t.articles, p.articles
      from marts.agg_provider_topic_months as t
      left join marts.agg_provider_months as p
          on p.month = t.month and p.provider_domain = t.provider_domain
      where p.articles is null or t.articles > p.articles
  bands_add_up:
    description: The band counts and unrated_articles of each cell add up to its articles.
    sql: |
      select month, provider_domain, topic_key, articles
      from marts.agg_provider_topic_months
      where low_articles + medium_articles + high_articles + top_articles + unrated_articles <> articles
         or articles < 1
columns:
  month: First day of the UTC calendar month.
  provider_domain: The provider (marts.dim_providers.provider_domain).
  topic_key: The topic (marts.dim_topics.topic_key).
  articles: Dated articles of the provider published in the month that carry the topic (at least 1).
  rated_articles: Of those, articles with a quality score.
  quality_sum: Sum of the quality scores of the rated articles (0 when none).
  low_articles: Articles of quality_band low.
  medium_articles: Articles of quality_band medium.
  high_articles: Articles of quality_band high.
  top_articles: Articles of quality_band top.
  unrated_articles: Articles without a quality score.
*/
select
    articles.published_month as month,
    articles.provider_domain,
    keys.topic_key,
    count(*) as articles,
    count(articles.quality) as rated_articles,
    coalesce(sum(articles.quality), 0)::bigint as quality_sum,
    count(*) filter (where articles.quality_band = 'low') as low_articles,
    count(*) filter (where articles.quality_band = 'medium') as medium_articles,
    count(*) filter (where articles.quality_band = 'high') as high_articles,
    count(*) filter (where articles.quality_band = 'top') as top_articles,
    count(*) filter (where articles.quality is null) as unrated_articles
from marts.fct_articles as articles, unnest(articles.topic_keys) as keys(topic_key)
where articles.published_month is not null
group by articles.published_month, articles.provider_domain, keys.topic_key
order by month, provider_domain, topic_key
