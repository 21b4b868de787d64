-- Dated articles per month and provider, with the sums the pages aggregate from.
select
    strftime(published_month, '%Y-%m') as month,
    provider_domain,
    count(*) as articles,
    count(quality) as rated,
    coalesce(sum(quality), 0) as quality_sum,
    count(*) filter (where quality_band = 'low') as low,
    count(*) filter (where quality_band = 'medium') as medium,
    count(*) filter (where quality_band = 'high') as high,
    count(*) filter (where quality_band = 'top') as top
from marts.fct_articles
where published_month is not null
group by all
order by month, provider_domain
