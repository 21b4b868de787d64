-- Providers by articles, with their share of all articles; $rows at most.
with totals as (
    select count(*) as articles from marts.fct_articles
)

select
    providers.provider_domain,
    providers.provider_name,
    providers.articles,
    providers.articles / nullif(totals.articles, 0) as share_of_articles,
    providers.rated_articles,
    providers.avg_quality,
    providers.median_quality,
    providers.first_published_at,
    providers.last_published_at
from marts.dim_providers as providers
cross join totals
order by providers.articles desc, providers.provider_domain
limit $rows
