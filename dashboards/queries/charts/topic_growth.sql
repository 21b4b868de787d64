-- Topics growing fastest: articles carrying each in the last 3 complete months of the range
-- against the 3 months before (with 6 complete months in the range), else in the latest
-- complete month against the one before (with 2). Ranked by articles gained, so that a small
-- base cannot lead; growth in percent only on a base of 30 articles or more. At least
-- $min_articles in the recent months.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

span as (
    select
        month as latest_month,
        case
            when datediff('month', $from, month) + 1 >= 6 then 3
            when datediff('month', $from, month) + 1 >= 2 then 1
            else 0
        end as width
    from latest
),

windowed as (
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
