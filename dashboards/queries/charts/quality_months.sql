-- Average quality per month of the range, over its rated articles.
, monthly as (
    select
        calendar.month_label as month,
        count(mentions.article_id) as articles,
        count(mentions.quality) as rated_articles,
        round(avg(mentions.quality), 2) as avg_quality
    from calendar
    left join mentions on mentions.month = calendar.month
    group by calendar.month_label
)

select * from monthly order by month
