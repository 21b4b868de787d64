-- Per month of a story's first item and provider, over stories of 2 or more outlets: the
-- stories it covers, those it was first in, and the hours after the first of its earliest
-- item with a time of day in each, in order: the page takes their median over the range, as
-- the mart does; and its kind (newsroom, syndicator, wire), by which the boards are apart.
with coverage as (
    select
        date_trunc('month', story.first_published_at) as month,
        item.story_id,
        item.provider_domain,
        bool_or(item.is_first) as was_first,
        -- Its earliest item with a time of day (or the first item), as the mart takes it.
        min(item.hours_after_first) filter (where item.is_first or not item.date_only)
            as hours_after_first
    from marts.story_items as item
    inner join marts.stories as story using (story_id)
    where story.providers >= 2 and story.first_published_at is not null
        and item.provider_domain is not null
    group by all
)

select
    strftime(month, '%Y-%m') as month,
    provider_domain,
    coalesce(any_value(kinds.provider_kind), 'newsroom') as provider_kind,
    count(*) as stories,
    count(*) filter (where was_first) as stories_first,
    list(hours_after_first order by hours_after_first) filter (where hours_after_first is not null) as hours
from coverage
left join marts.provider_firsts as kinds using (provider_domain)
group by month, provider_domain
order by month, provider_domain
