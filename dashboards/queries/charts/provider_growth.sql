-- Providers growing fastest: articles in the recent months of _growth_window.sql against
-- the months before, at least $min_articles in the recent months.
, windowed as (
    select
        inputs.provider_domain,
        coalesce(sum(inputs.articles) filter (
            where inputs.month > span.latest_month - to_months(span.width)
        ), 0) as recent,
        coalesce(sum(inputs.articles) filter (
            where inputs.month <= span.latest_month - to_months(span.width)
        ), 0) as before
    from (
        select month, provider_domain, articles
        from marts.agg_provider_months
        where len($topics) = 0
        union all
        select month, provider_domain, articles
        from marts.agg_provider_topic_months
        where list_contains($topics, topic_key)
    ) as inputs
    cross join span
    where span.width > 0
        and inputs.month > span.latest_month - to_months(2 * span.width)
        and inputs.month <= span.latest_month
        and (len($providers) = 0 or list_contains($providers, inputs.provider_domain))
    group by inputs.provider_domain
)

select
    provider_domain,
    recent::bigint as recent_articles,
    before::bigint as previous_articles,
    (recent - before)::bigint as gained,
    case when before >= 30 then round(recent / before - 1, 4) end as growth
from windowed
where recent >= $min_articles
order by recent - before desc, recent desc, provider_domain
limit $top
