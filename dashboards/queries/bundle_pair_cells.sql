-- Dated articles per month and provider carrying both topics of a pair of leading topics.
with leaders as (
    select topic_key from marts.dim_topics order by articles desc, topic_key limit $topics
),

carried as (
    select articles.article_id, articles.published_month, articles.provider_domain, keys.topic_key
    from marts.fct_articles as articles, unnest(articles.topic_keys) as keys(topic_key)
    where articles.published_month is not null
        and keys.topic_key in (select topic_key from leaders)
)

select
    strftime(a.published_month, '%Y-%m') as month,
    a.provider_domain,
    a.topic_key as topic_key_a,
    b.topic_key as topic_key_b,
    count(*) as articles
from carried as a
inner join carried as b on a.article_id = b.article_id and a.topic_key < b.topic_key
group by all
order by month, provider_domain, topic_key_a, topic_key_b
