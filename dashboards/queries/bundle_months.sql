-- The calendar of the pages: every month from the first to the last dated article, and the
-- day of the latest article (how far the latest, incomplete month has come).
select
    strftime(months.month, '%Y-%m') as month,
    months.articles,
    months.is_complete,
    latest.day as latest_day
from marts.dim_months as months,
    (select strftime(max(published_at), '%Y-%m-%d') as day from marts.fct_articles) as latest
order by months.month
