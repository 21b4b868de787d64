-- First to publish: over the range's stories of 2 or more outlets, how often each provider
-- had the first item, and the median of the hours after the first at which its earliest item came.
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
        min(item.hours_after_first) as hours_after_first
    from marts.story_items as item
    inner join stories using (story_id)
    where item.provider_domain is not null
        and (len($providers) = 0 or list_contains($providers, item.provider_domain))
    group by all
)

select
    provider_domain,
    count(*) as stories,
    count(*) filter (where was_first) as stories_first,
    round(count(*) filter (where was_first) / count(*), 4) as first_share,
    round(quantile_cont(hours_after_first, 0.5), 2) as median_hours_after_first
from coverage
group by provider_domain
having count(*) >= $min_stories
order by count(*) filter (where was_first) / count(*) desc, stories desc, provider_domain
limit $top
