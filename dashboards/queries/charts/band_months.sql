-- Articles per month of the range by quality band.
, monthly as (
    select
        calendar.month_label as month,
        coalesce(sum(cells.articles), 0)::bigint as articles,
        coalesce(sum(cells.low_articles), 0)::bigint as low,
        coalesce(sum(cells.medium_articles), 0)::bigint as medium,
        coalesce(sum(cells.high_articles), 0)::bigint as high,
        coalesce(sum(cells.top_articles), 0)::bigint as top,
        coalesce(sum(cells.unrated_articles), 0)::bigint as unrated
    from calendar
    left join cells on cells.month = calendar.month
    group by calendar.month_label
)

select * from monthly order by month
