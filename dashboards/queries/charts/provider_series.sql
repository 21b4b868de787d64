-- Articles per month of the $top providers with the most articles in the range, and their
-- share of all the month's dated articles.
, leaders as (
    select provider_domain, sum(articles) as total
    from cells
    group by provider_domain
    order by total desc, provider_domain
    limit $top
)

select
    calendar.month_label as month,
    leaders.provider_domain,
    coalesce(sum(cells.articles), 0)::bigint as articles,
    any_value(calendar.month_articles) as month_articles,
    round(coalesce(sum(cells.articles), 0) / nullif(any_value(calendar.month_articles), 0), 4)
        as share_of_articles
from leaders
cross join calendar
left join cells
    on cells.provider_domain = leaders.provider_domain and cells.month = calendar.month
group by leaders.provider_domain, leaders.total, calendar.month_label
order by leaders.total desc, leaders.provider_domain, month
