-- Each month's share of articles for the $top providers with the most articles.
with leaders as (
    select provider_domain, provider_name, articles
    from marts.dim_providers
    order by articles desc, provider_domain
    limit $top
)

select
    monthly.month,
    leaders.provider_domain,
    leaders.provider_name,
    leaders.articles as total_articles,
    monthly.articles,
    monthly.share_of_articles
from marts.provider_monthly as monthly
inner join leaders on monthly.provider_domain = leaders.provider_domain
order by monthly.month, leaders.articles desc, leaders.provider_domain
