-- Articles per month of the $top providers with the most articles in the range, and their
-- share of all the month's dated articles.
, leaders as (
    select provider_domain, count(*) as total
    from mentions
    group by provider_domain
    order by total desc, provider_domain
    limit $top
),

month_articles as (
    select published_month as month, count(*) as articles
    from marts.fct_articles
    where published_month between $from and $to
    group by all
)

select
    calendar.month_label as month,
    leaders.provider_domain,
    count(mentions.article_id) as articles,
    coalesce(any_value(month_articles.articles), 0) as month_articles,
    round(count(mentions.article_id) / nullif(any_value(month_articles.articles), 0), 4)
        as share_of_articles
from leaders
cross join calendar
left join mentions
    on mentions.provider_domain = leaders.provider_domain and mentions.month = calendar.month
left join month_articles on month_articles.month = calendar.month
group by leaders.provider_domain, leaders.total, calendar.month_label
order by leaders.total desc, leaders.provider_domain, month
