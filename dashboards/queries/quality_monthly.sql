-- Quality quantiles per month.
select
    month,
    articles,
    rated_articles,
    avg_quality,
    p10_quality,
    median_quality,
    p90_quality
from marts.quality_monthly
order by month
