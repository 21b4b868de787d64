-- Providers growing fastest: articles in the last 3 complete months of the range against
-- the 3 months before (whatever the range), with at least $min_articles in the last 3.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

windowed as (
    select
        provider_domain,
        count(*) filter (where published_month > latest.month - interval 3 month) as recent,
        count(*) filter (where published_month <= latest.month - interval 3 month) as before
    from (
        select article.article_id, article.published_month, article.provider_domain
        from marts.fct_articles as article
        where len($topics) = 0
        union all
        select article.article_id, article.published_month, article.provider_domain
        from marts.fct_articles as article, unnest(article.topic_keys) as keys(topic_key)
        where list_contains($topics, keys.topic_key)
    ) as inputs
    cross join latest
    where published_month > latest.month - interval 6 month
        and published_month <= latest.month
        and (len($providers) = 0 or list_contains($providers, provider_domain))
        and latest.month - interval 5 month >= $from
    group by provider_domain
)

select
    provider_domain,
    recent as last_3_months,
    before as previous_3_months,
    round(recent / nullif(before, 0) - 1, 4) as growth
from windowed
where recent >= $min_articles
order by before = 0 desc, recent / nullif(before, 0) desc, recent desc, provider_domain
limit $top
