-- Average quality per month of the range, over its rated articles.
, monthly as (
    select
        calendar.month_label as month,
        coalesce(sum(cells.articles), 0)::bigint as articles,
        coalesce(sum(cells.rated_articles), 0)::bigint as rated_articles,
        round(sum(cells.quality_sum) / nullif(sum(cells.rated_articles), 0), 2) as avg_quality
    from calendar
    left join cells on cells.month = calendar.month
    group by calendar.month_label
)

select * from monthly order by month
