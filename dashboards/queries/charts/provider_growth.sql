-- Providers growing fastest: articles in the last 3 complete months of the range against
-- the 3 months before (whatever the range), with at least $min_articles in the last 3.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

windowed as (
    select
        inputs.provider_domain,
        coalesce(sum(inputs.articles) filter (
            where inputs.month > latest.month - interval 3 month
        ), 0) as recent,
        coalesce(sum(inputs.articles) filter (
            where inputs.month <= latest.month - interval 3 month
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
    cross join latest
    where inputs.month > latest.month - interval 6 month
        and inputs.month <= latest.month
        and (len($providers) = 0 or list_contains($providers, inputs.provider_domain))
        and latest.month - interval 5 month >= $from
    group by inputs.provider_domain
)

select
    provider_domain,
    recent::bigint as last_3_months,
    before::bigint as previous_3_months,
    round(recent / nullif(before, 0) - 1, 4) as growth
from windowed
where recent >= $min_articles
order by before = 0 desc, recent / nullif(before, 0) desc, recent desc, provider_domain
limit $top
