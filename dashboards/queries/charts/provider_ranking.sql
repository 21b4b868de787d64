-- Providers over the range: articles, rated articles and average quality. Ranked by
-- $order ('articles' or 'quality'); only providers with $min_rated rated articles or more.
, ranked as (
    select
        provider_domain,
        sum(articles)::bigint as articles,
        sum(rated_articles)::bigint as rated_articles,
        sum(quality_sum) / nullif(sum(rated_articles), 0) as avg_quality
    from cells
    group by provider_domain
    having sum(rated_articles) >= $min_rated
)

select
    ranked.provider_domain,
    providers.provider_name,
    ranked.articles,
    ranked.rated_articles,
    round(ranked.avg_quality, 2) as avg_quality
from ranked
left join marts.dim_providers as providers using (provider_domain)
order by
    case when $order = 'quality' then ranked.avg_quality end desc nulls last,
    case when $order = 'quality' then ranked.rated_articles end desc,
    ranked.articles desc,
    ranked.provider_domain
limit $top
