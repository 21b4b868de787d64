-- Quality quartiles, extremes and mean of the $top providers with the most rated articles.
with leaders as (
    select provider_domain, provider_name, rated_articles
    from marts.dim_providers
    where rated_articles > 0
    order by rated_articles desc, provider_domain
    limit $top
)

select
    leaders.provider_domain,
    leaders.provider_name,
    leaders.rated_articles,
    min(articles.quality) as min_quality,
    quantile_cont(articles.quality, 0.25) as q1_quality,
    quantile_cont(articles.quality, 0.5) as median_quality,
    quantile_cont(articles.quality, 0.75) as q3_quality,
    max(articles.quality) as max_quality,
    avg(articles.quality) as avg_quality
from marts.fct_articles as articles
inner join leaders on articles.provider_domain = leaders.provider_domain
where articles.quality is not null
group by all
order by leaders.rated_articles desc, leaders.provider_domain
