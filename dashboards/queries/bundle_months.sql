-- The calendar of the pages: every month from the first to the last dated article.
select strftime(month, '%Y-%m') as month, articles, is_complete
from marts.dim_months
order by month
