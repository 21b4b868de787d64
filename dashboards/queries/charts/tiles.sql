-- The headline figures of the latest complete month of the range, beside the month before.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

months as (
    select month, 'value' as which from latest
    union all
    select month - interval 1 month, 'previous' from latest
),

inputs as (
    -- The two months' articles for the chosen providers and topics, whatever the range.
    select mentions_all.*
    from (
        select * from marts.fct_articles
        where published_month in (select month from months)
            and (len($providers) = 0 or list_contains($providers, provider_domain))
    ) as mentions_all
    where len($topics) = 0
    union all
    select article.*
    from marts.fct_articles as article, unnest(article.topic_keys) as keys(topic_key)
    where article.published_month in (select month from months)
        and (len($providers) = 0 or list_contains($providers, article.provider_domain))
        and list_contains($topics, keys.topic_key)
),

figures as (
    select
        months.which,
        strftime(months.month, '%Y-%m') as month,
        count(inputs.article_id) as articles,
        count(distinct inputs.provider_domain) as providers_publishing,
        round(avg(inputs.quality), 2) as avg_quality,
        (select min(month) from marts.dim_months) <= months.month as known
    from months
    left join inputs on inputs.published_month = months.month
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
