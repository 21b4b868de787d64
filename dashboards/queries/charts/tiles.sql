-- The headline figures of the latest complete month of the range, beside the month before.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

months as (
    select month, 'value' as which from latest
    union all
    select month - interval 1 month, 'previous' from latest
),

cells_of_months as (
    -- The two months' cells for the chosen providers and topics, whatever the range: each
    -- article once, or once per chosen topic it carries.
    select month, provider_domain, articles, rated_articles, quality_sum
    from marts.agg_provider_months
    where month in (select month from months)
        and (len($providers) = 0 or list_contains($providers, provider_domain))
        and len($topics) = 0
    union all
    select month, provider_domain, articles, rated_articles, quality_sum
    from marts.agg_provider_topic_months
    where month in (select month from months)
        and (len($providers) = 0 or list_contains($providers, provider_domain))
        and list_contains($topics, topic_key)
),

figures as (
    select
        months.which,
        strftime(months.month, '%Y-%m') as month,
        coalesce(sum(cells_of_months.articles), 0)::bigint as articles,
        count(distinct cells_of_months.provider_domain) as providers_publishing,
        round(sum(cells_of_months.quality_sum) / nullif(sum(cells_of_months.rated_articles), 0), 2)
            as avg_quality,
        (select min(month) from marts.dim_months) <= months.month as known
    from months
    left join cells_of_months on cells_of_months.month = months.month
    group by all
),

measures as (
    select * from (values (1, 'articles'), (2, 'providers_publishing'), (3, 'avg_quality'))
        as m(position, measure)
)

select
    measures.measure,
    value.month,
    case measures.measure
        when 'articles' then value.articles
        when 'providers_publishing' then value.providers_publishing
        else value.avg_quality
    end as value,
    case when previous.known then previous.month end as previous_month,
    case when previous.known then case measures.measure
        when 'articles' then previous.articles
        when 'providers_publishing' then previous.providers_publishing
        else previous.avg_quality
    end end as previous_value
from measures
cross join (select * from figures where which = 'value') as value
cross join (select * from figures where which = 'previous') as previous
where value.month >= strftime($from, '%Y-%m')
order by measures.position
