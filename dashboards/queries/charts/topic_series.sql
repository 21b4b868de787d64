-- Articles per month of the $top topics with the most articles in the range, and their
-- share of the month's articles (of the chosen providers).
, carried as (
    select articles.article_id, articles.month, keys.topic_key
    from articles, unnest(articles.topic_keys) as keys(topic_key)
    where len($topics) = 0 or list_contains($topics, keys.topic_key)
),

leaders as (
    select topic_key, count(*) as total
    from carried
    group by topic_key
    order by total desc, topic_key
    limit $top
),

month_articles as (
    select month, count(*) as articles from articles group by month
)

select
    calendar.month_label as month,
    leaders.topic_key,
    count(carried.article_id) as articles,
    coalesce(any_value(month_articles.articles), 0) as month_articles,
    round(count(carried.article_id) / nullif(any_value(month_articles.articles), 0), 4)
        as share_of_articles
from leaders
cross join calendar
left join carried on carried.topic_key = leaders.topic_key and carried.month = calendar.month
left join month_articles on month_articles.month = calendar.month
group by leaders.topic_key, leaders.total, calendar.month_label
order by leaders.total desc, leaders.topic_key, month
