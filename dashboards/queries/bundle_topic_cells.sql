-- Dated articles per month, provider and topic: what a topic or a provider filter reads.
select
    strftime(month, '%Y-%m') as month,
    provider_domain,
    topic_key,
    articles,
    rated_articles as rated,
    quality_sum,
    low_articles as low,
    medium_articles as medium,
    high_articles as high,
    top_articles as top
from marts.agg_provider_topic_months
order by month, provider_domain, topic_key
