-- Topics growing fastest: articles carrying each in the last 3 complete months of the range
-- against the 3 months before, with at least $min_articles in the last 3.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

windowed as (
    select
        cube.topic_key,
        coalesce(sum(cube.articles) filter (
            where cube.month > latest.month - interval 3 month
        ), 0) as recent,
        coalesce(sum(cube.articles) filter (
            where cube.month <= latest.month - interval 3 month
        ), 0) as before
    from marts.agg_provider_topic_months as cube
    cross join latest
    where cube.month > latest.month - interval 6 month
        and cube.month <= latest.month
        and (len($providers) = 0 or list_contains($providers, cube.provider_domain))
        and (len($topics) = 0 or list_contains($topics, cube.topic_key))
        and latest.month - interval 5 month >= $from
    group by cube.topic_key
)

select
    topic_key,
    recent::bigint as last_3_months,
    before::bigint as previous_3_months,
    round(recent / nullif(before, 0) - 1, 4) as growth
from windowed
where recent >= $min_articles
order by before = 0 desc, recent / nullif(before, 0) desc, recent desc, topic_key
limit $top
