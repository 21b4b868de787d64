-- First to publish: over the range's stories of 2 or more outlets, how often each provider
-- had the first item, ranked by the Wilson lower bound (95%) of that share, and the median of
-- the hours after the first at which its earliest item with a time of day came. $kind chooses
-- the board: newsrooms, or syndicators and wires apart from them (marts.provider_firsts).
, stories as (
    select story_id
    from marts.stories
    where providers >= 2
        and date_trunc('month', first_published_at) between $from and $to
),

coverage as (
    select
        item.story_id,
        item.provider_domain,
        bool_or(item.is_first) as was_first,
        min(item.hours_after_first) filter (where item.is_first or not item.date_only)
            as hours_after_first
    from marts.story_items as item
    inner join stories using (story_id)
    where item.provider_domain is not null
        and (len($providers) = 0 or list_contains($providers, item.provider_domain))
    group by all
),

counted as (
    select
        coverage.provider_domain,
        coalesce(any_value(kinds.provider_kind), 'newsroom') as provider_kind,
        count(*) as stories,
        count(*) filter (where coverage.was_first) as stories_first,
        quantile_cont(coverage.hours_after_first, 0.5) as median_hours
    from coverage
    left join marts.provider_firsts as kinds using (provider_domain)
    group by coverage.provider_domain
    having count(*) >= $min_stories
),

scored as (
    select
        *,
        stories_first / stories as share,
        (
            share + 1.96 ^ 2 / (2 * stories)
            - 1.96 * sqrt(share * (1 - share) / stories + 1.96 ^ 2 / (4 * stories ^ 2))
        ) / (1 + 1.96 ^ 2 / stories) as lower_bound
    from counted
    where (provider_kind = 'newsroom') = ($kind = 'newsroom')
)

select
    provider_domain,
    provider_kind,
    stories,
    stories_first,
    round(share, 4) as first_share,
    round(lower_bound, 4) as first_share_lower,
    round(median_hours, 2) as median_hours_after_first
from scored
order by lower_bound desc, stories_first desc, provider_domain
limit $top
