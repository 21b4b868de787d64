/*
description: >-
  One row per month of marts.dim_months (a month without articles too) with the quality
  distribution of its dated articles and their counts by quality band. Grain: month.
grain: [month]
not_null: [articles, rated_articles, low_articles, medium_articles, high_articles, top_articles, unrated_articles]
reconcile:
  articles_add_up:
    description: The months' articles sum to the dated articles of marts.fct_articles.
    sql: |
      select monthly, dated
      from (select coalesce(sum(articles), 0) as monthly from marts.quality_monthly),
           (select count(*) as dated from marts.fct_articles where published_at is not null)
      where monthly <> dated
  every_calendar_month:
    description: There is one row for every month of marts.dim_months, and no other.
    sql: |
      (select month from marts.dim_months except select month from marts.quality_monthly)
      union all
      (select month from marts.quality_monthly except select month from marts.dim_months)
  bands_add_up:
    description: The band counts add up to articles in every month.
    sql: |
      select month, articles, low_articles, medium_articles, high_articles, top_articles,
          unrated_articles
      from marts.quality_monthly
      where low_articles + medium_articles + high_articles + top_articles + unrated_articles
          <> articles
  quantiles_ordered:
    description: >-
      p10_quality <= median_quality <= p90_quality in every month, to within 1e-9
      (quantile_cont interpolates 63 and 63 at 0.1 to 63.00000000000001).
    sql: |
      select month, p10_quality, median_quality, p90_quality
      from marts.quality_monthly
      where p10_quality > median_quality + 1e-9 or median_quality > p90_quality + 1e-9
columns:
  month: First day of the UTC calendar month.
  articles: Distinct articles published in the month; 0 in a month without any.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  p10_quality: 10th percentile of quality over the rated articles (continuous, quantile_cont).
  median_quality: Median quality of the rated articles (continuous, quantile_cont).
  p90_quality: 90th percentile of quality over the rated articles (continuous, quantile_cont).
  low_articles: Articles of the month with quality_band low (quality 0-24).
  medium_articles: Articles of the month with quality_band medium (25-49).
  high_articles: Articles of the month with quality_band high (50-99).
  top_articles: Articles of the month with quality_band top (100 and over).
  unrated_articles: Articles of the month without a quality score.
*/
with

dated as (
    select published_month as month, quality
    from marts.fct_articles
    where published_at is not null
),

calendar as (
    select month from marts.dim_months
),

quantiles as (
    select
        month,
        quantile_cont(quality, 0.1) as p10_quality,
        quantile_cont(quality, 0.5) as median_quality,
        quantile_cont(quality, 0.9) as p90_quality
    from dated
    where quality is not null
    group by month
),

-- Counts and means add up from the cube; quantiles do not, and come from the facts.
quality_months as (
    select
        cube.month,
        sum(cube.articles)::bigint as articles,
        sum(cube.rated_articles)::bigint as rated_articles,
        sum(cube.quality_sum) / nullif(sum(cube.rated_articles), 0) as avg_quality,
        any_value(quantiles.p10_quality) as p10_quality,
        any_value(quantiles.median_quality) as median_quality,
        any_value(quantiles.p90_quality) as p90_quality,
        sum(cube.low_articles)::bigint as low_articles,
        sum(cube.medium_articles)::bigint as medium_articles,
        sum(cube.high_articles)::bigint as high_articles,
        sum(cube.top_articles)::bigint as top_articles,
        sum(cube.unrated_articles)::bigint as unrated_articles
    from marts.agg_provider_months as cube
    left join quantiles on quantiles.month = cube.month
    group by cube.month
)

select
    calendar.month,
    coalesce(quality_months.articles, 0) as articles,
    coalesce(quality_months.rated_articles, 0) as rated_articles,
    quality_months.avg_quality,
    quality_months.p10_quality,
    quality_months.median_quality,
    quality_months.p90_quality,
    coalesce(quality_months.low_articles, 0) as low_articles,
    coalesce(quality_months.medium_articles, 0) as medium_articles,
    coalesce(quality_months.high_articles, 0) as high_articles,
    coalesce(quality_months.top_articles, 0) as top_articles,
    coalesce(quality_months.unrated_articles, 0) as unrated_articles
from calendar
left join quality_months on quality_months.month = calendar.month
order by calendar.month
