-- Dated articles per month, provider and topic: what a topic or a provider filter reads.
select
    strftime(articles.published_month, '%Y-%m') as month,
    articles.provider_domain,
    keys.topic_key,
    count(*) as articles,
    count(articles.quality) as rated,
    coalesce(sum(articles.quality), 0) as quality_sum,
    count(*) filter (where articles.quality_band = 'low') as low,
    count(*) filter (where articles.quality_band = 'medium') as medium,
    count(*) filter (where articles.quality_band = 'high') as high,
    count(*) filter (where articles.quality_band = 'top') as top
from marts.fct_articles as articles,
    unnest(articles.topic_keys) as keys(topic_key)
where articles.published_month is not null
group by all
order by month, provider_domain, topic_key
