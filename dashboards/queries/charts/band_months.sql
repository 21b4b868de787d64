-- Articles per month of the range by quality band.
, monthly as (
    select
        calendar.month_label as month,
        count(mentions.article_id) as articles,
        count(*) filter (where mentions.quality_band = 'low') as low,
        count(*) filter (where mentions.quality_band = 'medium') as medium,
        count(*) filter (where mentions.quality_band = 'high') as high,
        count(*) filter (where mentions.quality_band = 'top') as top,
        count(mentions.article_id) filter (where mentions.quality is null) as unrated
    from calendar
    left join mentions on mentions.month = calendar.month
    group by calendar.month_label
)

select * from monthly order by month
