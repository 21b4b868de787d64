-- The window of a growth list: the range's latest complete month, and how many months each
-- side compares: 3 against the 3 before with 6 complete months in the range, else 1 against
-- the one before with 2, else none. Ranked by articles gained, so that a small base cannot
-- lead; growth in percent only on a base of 30 articles or more.
, latest as (
    select max(month) as month from marts.dim_months where is_complete and month <= $to
),

span as (
    select
        month as latest_month,
        case
            when datediff('month', $from, month) + 1 >= 6 then 3
            when datediff('month', $from, month) + 1 >= 2 then 1
            else 0
        end as width
    from latest
)
