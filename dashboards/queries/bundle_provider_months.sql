-- Dated articles per month and provider, with the sums the pages aggregate from.
select
    strftime(month, '%Y-%m') as month,
    provider_domain,
    articles,
    rated_articles as rated,
    quality_sum,
    low_articles as low,
    medium_articles as medium,
    high_articles as high,
    top_articles as top
from marts.agg_provider_months
order by month, provider_domain
