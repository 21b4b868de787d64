/*
description: >-
  One row per UTC calendar month with the quality distribution of its dated articles.
  Grain: month.
grain: [month]
not_null: [articles, rated_articles]
reconcile:
  articles_add_up:
    description: The months' articles sum to the dated articles of marts.fct_articles.
    sql: |
      select monthly, dated
      from (select coalesce(sum(articles), 0) as monthly from marts.quality_monthly),
           (select count(*) as dated from marts.fct_articles where published_at is not null)
      where monthly <> dated
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
  articles: Distinct articles published in the month.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  p10_quality: 10th percentile of quality over the rated articles (continuous, quantile_cont).
  median_quality: Median quality of the rated articles (continuous, quantile_cont).
  p90_quality: 90th percentile of quality over the rated articles (continuous, quantile_cont).
*/
with

dated as (
    select article_id, published_month as month, quality
    from marts.fct_articles
    where published_at is not null
)

select
    month,
    count(distinct article_id) as articles,
    count(distinct article_id) filter (where quality is not null) as rated_articles,
    avg(quality) as avg_quality,
    quantile_cont(quality, 0.1) as p10_quality,
    quantile_cont(quality, 0.5) as median_quality,
    quantile_cont(quality, 0.9) as p90_quality
from dated
group by month
order by month
