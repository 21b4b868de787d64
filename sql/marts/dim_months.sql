/*
description: >-
  The month calendar: one row per UTC calendar month from the first to the last month of any
  dated article, with no gap, and whether the month is complete. The monthly marts have a row
  for each of its months, so lag() over months is always right. Grain: month.
grain: [month]
not_null: [articles, is_complete]
reconcile:
  no_gap:
    description: The months run from the first to the last dated article's month with no gap.
    sql: |
      select count(*) as months, min(month) as first_month, max(month) as last_month
      from marts.dim_months
      having count(*) <> coalesce(datediff('month', min(month), max(month)) + 1, 0)
          or min(month) is distinct from (select min(published_month) from marts.fct_articles)
          or max(month) is distinct from (select max(published_month) from marts.fct_articles)
  only_the_last_incomplete:
    description: Only the latest month is incomplete.
    sql: |
      select month, is_complete
      from marts.dim_months
      where is_complete = (month = (select max(month) from marts.dim_months))
  articles_add_up:
    description: The months' articles sum to the dated articles of marts.fct_articles.
    sql: |
      select monthly, dated
      from (select coalesce(sum(articles), 0) as monthly from marts.dim_months),
           (select count(*) as dated from marts.fct_articles where published_at is not null)
      where monthly <> dated
columns:
  month: First day of the UTC calendar month.
  articles: Dated articles published in the month; 0 in a month without any.
  is_complete: >-
    False for the month of the latest published_at, whose articles may still be arriving;
    true for every month before it. Compare complete months only.
*/
with

dated as (
    select published_month as month
    from marts.fct_articles
    where published_at is not null
),

counts as (
    select month, count(*) as articles
    from dated
    group by month
),

calendar as (
    select unnest(generate_series(min(month), max(month), interval 1 month))::date as month
    from dated
    having count(*) > 0
)

select
    calendar.month,
    coalesce(counts.articles, 0) as articles,
    calendar.month < max(calendar.month) over () as is_complete
from calendar
left join counts on counts.month = calendar.month
order by calendar.month
