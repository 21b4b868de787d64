-- The $providers_n providers with the most articles in the range (or the chosen ones) by the
-- $topics_n topics they carry most: articles carrying the topic over the provider's.
, leaders as (
    select provider_domain, count(*) as total
    from mentions
    group by provider_domain
    order by total desc, provider_domain
    limit $providers_n
),

carried as (
    select articles.provider_domain, keys.topic_key
    from articles, unnest(articles.topic_keys) as keys(topic_key)
    where articles.provider_domain in (select provider_domain from leaders)
        and (len($topics) = 0 or list_contains($topics, keys.topic_key))
),

top_topics as (
    select topic_key, count(*) as total
    from carried
    group by topic_key
    order by total desc, topic_key
    limit $topics_n
),

provider_articles as (
    select provider_domain, count(*) as articles from articles group by provider_domain
)

select
    leaders.provider_domain,
    top_topics.topic_key,
    count(carried.topic_key) as articles,
    any_value(provider_articles.articles) as provider_articles,
    round(count(carried.topic_key) / any_value(provider_articles.articles), 4)
        as share_of_provider
from leaders
cross join top_topics
left join carried
    on carried.provider_domain = leaders.provider_domain
    and carried.topic_key = top_topics.topic_key
left join provider_articles on provider_articles.provider_domain = leaders.provider_domain
group by leaders.provider_domain, leaders.total, top_topics.topic_key, top_topics.total
order by leaders.total desc, leaders.provider_domain, top_topics.total desc, top_topics.topic_key
