-- The $providers_n providers with the most articles in the range (or the chosen ones) by the
-- $topics_n topics they carry most (a catch-all topic apart): articles carrying the topic over
-- the provider's.
, leaders as (
    select provider_domain, sum(articles) as total
    from cells
    group by provider_domain
    order by total desc, provider_domain
    limit $providers_n
),

carried as (
    select provider_domain, topic_key, sum(articles) as articles
    from topic_cells
    where provider_domain in (select provider_domain from leaders)
    group by all
),

catch_all as (
    -- Topics on 90% or more of all articles: shown apart, unless chosen.
    select topic_key
    from marts.dim_topics
    where 10 * articles >= 9 * (select sum(articles) from marts.dim_providers)
        and not list_contains($topics, topic_key)
),

top_topics as (
    select topic_key, sum(articles) as total
    from carried
    where topic_key not in (select topic_key from catch_all)
    group by topic_key
    order by total desc, topic_key
    limit $topics_n
),

provider_articles as (
    select provider_domain, sum(articles) as articles from provider_cells group by provider_domain
)

select
    leaders.provider_domain,
    top_topics.topic_key,
    coalesce(carried.articles, 0)::bigint as articles,
    provider_articles.articles::bigint as provider_articles,
    round(coalesce(carried.articles, 0) / provider_articles.articles, 4) as share_of_provider
from leaders
cross join top_topics
left join carried
    on carried.provider_domain = leaders.provider_domain
    and carried.topic_key = top_topics.topic_key
left join provider_articles on provider_articles.provider_domain = leaders.provider_domain
order by leaders.total desc, leaders.provider_domain, top_topics.total desc, top_topics.topic_key
