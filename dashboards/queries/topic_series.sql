-- Monthly articles and share of the $top topics with the most articles.
with leaders as (
    select topic_key, topic, articles
    from marts.dim_topics
    order by articles desc, topic_key
    limit $top
)

select
    leaders.topic_key,
    leaders.topic,
    leaders.articles as total_articles,
    monthly.month,
    monthly.articles,
    monthly.share_of_articles
from marts.topic_monthly as monthly
inner join leaders on monthly.topic_key = leaders.topic_key
order by leaders.articles desc, leaders.topic_key, monthly.month
