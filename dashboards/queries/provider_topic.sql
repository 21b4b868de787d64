-- Articles per provider and topic, for the $providers leading providers and $topics leading topics.
with top_providers as (
    select provider_domain, provider_name, articles
    from marts.dim_providers
    order by articles desc, provider_domain
    limit $providers
),

top_topics as (
    select topic_key, topic, articles
    from marts.dim_topics
    order by articles desc, topic_key
    limit $topics
)

select
    top_providers.provider_domain,
    top_providers.provider_name,
    top_providers.articles as provider_articles,
    top_topics.topic_key,
    top_topics.topic,
    top_topics.articles as topic_articles,
    coalesce(pairs.articles, 0) as articles,
    pairs.avg_quality
from top_providers
cross join top_topics
left join marts.provider_topic as pairs
    on pairs.provider_domain = top_providers.provider_domain
    and pairs.topic_key = top_topics.topic_key
order by provider_articles desc, top_providers.provider_domain, topic_articles desc, top_topics.topic_key
