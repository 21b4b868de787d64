/*
description: >-
  One row per provider and UTC calendar month with its articles, quality and share of the
  month's dated articles, for every month from the provider's first dated article through
  the last month of marts.dim_months (a month without its articles has articles 0), so lag()
  over months is right. Articles without a date are left out. Grain: (month,
  provider_domain).
grain: [month, provider_domain]
not_null: [articles, rated_articles]
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
      where coalesce(m.articles, -1) <> coalesce(f.articles, 0)
  dense_from_first_month:
    description: >-
      Each provider has a row for every month from its first dated article's month through
      the last month of marts.dim_months.
    sql: |
      select provider_domain, count(*) as months, min(month) as first_month, max(month) as last_month
      from marts.provider_monthly
      group by provider_domain
      having count(*) <> datediff('month', min(month), (select max(month) from marts.dim_months)) + 1
          or max(month) <> (select max(month) from marts.dim_months)
          or min(month) <> (
              select min(f.published_month) from marts.fct_articles as f
              where f.provider_domain = marts.provider_monthly.provider_domain
          )
columns:
  month: First day of the UTC calendar month.
  provider_domain: The provider (marts.dim_providers.provider_domain).
  articles: Distinct articles of the provider published in the month; 0 in a month without any.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  median_quality: Median quality of the rated articles (continuous, quantile_cont); NULL when none.
  share_of_articles: >-
    articles over all dated articles of the month (0 to 1); NULL in a month without any dated
    article.
*/
with

dated as (
    select article_id, published_month as month, provider_domain, quality
    from marts.fct_articles
    where published_at is not null
),

calendar as (
    select month, articles as month_articles from marts.dim_months
),

medians as (
    select month, provider_domain, quantile_cont(quality, 0.5) as median_quality
    from dated
    where quality is not null
    group by month, provider_domain
),

provider_months as (
    select
        cube.month,
        cube.provider_domain,
        cube.articles,
        cube.rated_articles,
        cube.quality_sum / nullif(cube.rated_articles, 0) as avg_quality,
        medians.median_quality
    from marts.agg_provider_months as cube
    left join medians
        on medians.month = cube.month and medians.provider_domain = cube.provider_domain
),

-- Every month from each provider's first through the calendar's last.
spans as (
    select calendar.month, firsts.provider_domain
    from (select provider_domain, min(month) as first_month from provider_months group by all) as firsts
    inner join calendar on calendar.month >= firsts.first_month
)

select
    spans.month,
    spans.provider_domain,
    coalesce(provider_months.articles, 0) as articles,
    coalesce(provider_months.rated_articles, 0) as rated_articles,
    provider_months.avg_quality,
    provider_months.median_quality,
    coalesce(provider_months.articles, 0) / nullif(calendar.month_articles, 0) as share_of_articles
from spans
inner join calendar on calendar.month = spans.month
left join provider_months
    on provider_months.month = spans.month
    and provider_months.provider_domain = spans.provider_domain
order by spans.month, spans.provider_domain
