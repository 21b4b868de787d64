/*
description: >-
  One row per provider and UTC calendar month with its articles, quality and share of the
  month's dated articles. Articles without a date are left out. Grain: (month,
  provider_domain).
grain: [month, provider_domain]
not_null: [articles, rated_articles, share_of_articles]
reconcile:
  articles_add_up:
    description: >-
      The articles of marts.provider_monthly sum to the dated articles of
      marts.fct_articles, month by month.
    sql: |
      select
          coalesce(m.month, f.month) as month,
          m.articles as provider_monthly_articles,
          f.articles as dated_fct_articles
      from (select month, sum(articles) as articles from marts.provider_monthly group by month) as m
      full join (
          select published_month as month, count(*) as articles
          from marts.fct_articles
          where published_at is not null
          group by published_month
      ) as f on f.month = m.month
      where m.articles is distinct from f.articles
columns:
  month: First day of the UTC calendar month.
  provider_domain: The provider (marts.dim_providers.provider_domain).
  articles: Distinct articles of the provider published in the month.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  median_quality: Median quality of the rated articles (continuous, quantile_cont); NULL when none.
  share_of_articles: articles over all dated articles of the month (0 to 1).
*/
with

dated as (
    select article_id, published_month as month, provider_domain, quality
    from marts.fct_articles
    where published_at is not null
),

months as (
    select month, count(distinct article_id) as month_articles
    from dated
    group by month
),

provider_months as (
    select
        month,
        provider_domain,
        count(distinct article_id) as articles,
        count(distinct article_id) filter (where quality is not null) as rated_articles,
        avg(quality) as avg_quality,
        quantile_cont(quality, 0.5) as median_quality
    from dated
    group by month, provider_domain
)

select
    provider_months.month,
    provider_months.provider_domain,
    provider_months.articles,
    provider_months.rated_articles,
    provider_months.avg_quality,
    provider_months.median_quality,
    provider_months.articles / months.month_articles as share_of_articles
from provider_months
inner join months on months.month = provider_months.month
order by provider_months.month, provider_months.provider_domain
