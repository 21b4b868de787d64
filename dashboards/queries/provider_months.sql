-- Each month of the $top providers with the most articles: volume, share and quality.
with leaders as (
    select provider_domain, provider_name, articles
    from marts.dim_providers
    order by articles desc, provider_domain
    limit $top
)

select
    leaders.provider_domain,
    leaders.provider_name,
    leaders.articles as total_articles,
    monthly.month,
    monthly.articles,
    monthly.share_of_articles,
    monthly.avg_quality,
    monthly.median_quality
from marts.provider_monthly as monthly
inner join leaders on monthly.provider_domain = leaders.provider_domain
order by leaders.articles desc, leaders.provider_domain, monthly.month
