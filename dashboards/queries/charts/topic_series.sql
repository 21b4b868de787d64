-- Articles per month of the $top topics with the most articles in the range, and their
-- share of the month's articles (of the chosen providers).
, catch_all as (
    -- Topics on 90% or more of all articles: shown apart, unless chosen.
    select topic_key
    from marts.dim_topics
    where 10 * articles >= 9 * (select sum(articles) from marts.dim_providers)
        and not list_contains($topics, topic_key)
),

leaders as (
    select topic_key, sum(articles) as total
    from topic_cells
    where topic_key not in (select topic_key from catch_all)
    group by topic_key
    order by total desc, topic_key
    limit $top
),

month_articles as (
    select month, sum(articles) as articles from provider_cells group by month
),

carried as (
    select month, topic_key, sum(articles) as articles from topic_cells group by all
)

select
    calendar.month_label as month,
    leaders.topic_key,
    coalesce(any_value(carried.articles), 0)::bigint as articles,
    coalesce(any_value(month_articles.articles), 0)::bigint as month_articles,
    round(coalesce(any_value(carried.articles), 0) / nullif(any_value(month_articles.articles), 0), 4)
        as share_of_articles
from leaders
cross join calendar
left join carried on carried.topic_key = leaders.topic_key and carried.month = calendar.month
left join month_articles on month_articles.month = calendar.month
group by leaders.topic_key, leaders.total, calendar.month_label
order by leaders.total desc, leaders.topic_key, month
