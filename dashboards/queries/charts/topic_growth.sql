-- Topics growing fastest: articles carrying each in the last 3 complete months of the range
-- against the 3 months before, with at least $min_articles in the last 3.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

windowed as (
    select
        keys.topic_key,
        count(*) filter (where article.published_month > latest.month - interval 3 month)
            as recent,
        count(*) filter (where article.published_month <= latest.month - interval 3 month)
            as before
    from marts.fct_articles as article, unnest(article.topic_keys) as keys(topic_key)
    cross join latest
    where article.published_month > latest.month - interval 6 month
        and article.published_month <= latest.month
        and (len($providers) = 0 or list_contains($providers, article.provider_domain))
        and (len($topics) = 0 or list_contains($topics, keys.topic_key))
        and latest.month - interval 5 month >= $from
    group by keys.topic_key
)

select
    topic_key,
    recent as last_3_months,
    before as previous_3_months,
    round(recent / nullif(before, 0) - 1, 4) as growth
from windowed
where recent >= $min_articles
order by before = 0 desc, recent / nullif(before, 0) desc, recent desc, topic_key
limit $top
