-- Topics growing fastest: articles in the recent months of _growth_window.sql against
-- the months before, at least $min_articles in the recent months.
, windowed as (
    select
        cube.topic_key,
        coalesce(sum(cube.articles) filter (
            where cube.month > span.latest_month - to_months(span.width)
        ), 0) as recent,
        coalesce(sum(cube.articles) filter (
            where cube.month <= span.latest_month - to_months(span.width)
        ), 0) as before
    from marts.agg_provider_topic_months as cube
    cross join span
    where span.width > 0
        and cube.month > span.latest_month - to_months(2 * span.width)
        and cube.month <= span.latest_month
        and (len($providers) = 0 or list_contains($providers, cube.provider_domain))
        and (len($topics) = 0 or list_contains($topics, cube.topic_key))
    group by cube.topic_key
)

select
    topic_key,
    recent::bigint as recent_articles,
    before::bigint as previous_articles,
    (recent - before)::bigint as gained,
    case when before >= 30 then round(recent / before - 1, 4) end as growth
from windowed
where recent >= $min_articles
order by recent - before desc, recent desc, topic_key
limit $top
