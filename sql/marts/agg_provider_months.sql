/*
description: >-
  The additive cube of dated articles by provider and UTC calendar month: counts and sums
  that add up over any set of providers and months (a mean is quality_sum over
  rated_articles). The monthly marts and the dashboards aggregate from it. Only cells that
  hold an article; articles without a date are left out. Grain: (month, provider_domain).
grain: [month, provider_domain]
not_null: [articles, rated_articles, quality_sum, low_articles, medium_articles, high_articles, top_articles, unrated_articles]
reconcile:
  adds_up_to_the_facts:
    description: >-
      Month by month, the cells sum to the dated articles of marts.fct_articles, their rated
      articles, quality and bands.
    sql: |
      select coalesce(c.month, f.month) as month, c.articles as cube_articles, f.articles as fct_articles
      from (
          select month, sum(articles) as articles, sum(rated_articles) as rated,
              sum(quality_sum) as quality_sum, sum(top_articles) as top, sum(unrated_articles) as unrated
          from marts.agg_provider_months
          group by month
      ) as c
      full join (
          select published_month as month, count(*) as articles, count(quality) as rated,
              coalesce(sum(quality), 0) as quality_sum,
              count(*) filter (where quality_band = 'top') as top,
              count(*) filter (where quality is null) as unrated
          from marts.fct_articles
          where published_month is not null
          group by published_month
      ) as f on f.month = c.month
      where c.articles is distinct from f.articles
         or c.rated is distinct from f.rated
         or c.quality_sum is distinct from f.quality_sum
         or c.top is distinct from f.top
         or c.unrated is distinct from f.unrated
  bands_add_up:
    description: The band counts and unrated_articles of each cell add up to its articles.
    sql: |
      select month, provider_domain, articles
      from marts.agg_provider_months
      where low_articles + medium_articles + high_articles + top_articles + unrated_articles <> articles
         or articles < 1
columns:
  month: First day of the UTC calendar month.
  provider_domain: The provider (marts.dim_providers.provider_domain).
  articles: Dated articles of the provider published in the month (at least 1).
  rated_articles: Of those, articles with a quality score.
  quality_sum: Sum of the quality scores of the rated articles (0 when none).
  low_articles: Articles of quality_band low.
  medium_articles: Articles of quality_band medium.
  high_articles: Articles of quality_band high.
  top_articles: Articles of quality_band top.
  unrated_articles: Articles without a quality score.
*/
select
    published_month as month,
    provider_domain,
    count(*) as articles,
    count(quality) as rated_articles,
    coalesce(sum(quality), 0)::bigint as quality_sum,
    count(*) filter (where quality_band = 'low') as low_articles,
    count(*) filter (where quality_band = 'medium') as medium_articles,
    count(*) filter (where quality_band = 'high') as high_articles,
    count(*) filter (where quality_band = 'top') as top_articles,
    count(*) filter (where quality is null) as unrated_articles
from marts.fct_articles
where published_month is not null
group by published_month, provider_domain
order by month, provider_domain
