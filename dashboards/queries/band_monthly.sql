-- Dated articles per month and quality band ('unrated' for articles without a quality).
select
    published_month as month,
    coalesce(quality_band, 'unrated') as quality_band,
    count(*) as articles
from marts.fct_articles
where published_month is not null
group by all
order by month, quality_band
