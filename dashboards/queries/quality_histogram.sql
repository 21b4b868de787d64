-- Rated articles per quality bin of width $width.
select
    floor(quality / $width) * $width as bin_start,
    count(*) as articles
from marts.fct_articles
where quality is not null
group by all
order by bin_start
