-- Per month of a story's first item and provider, over stories of 2 or more outlets: the
-- stories it covers, those it was first in, and the hours after the first of its earliest
-- item in each, in order: the page takes their median over the range, as the mart does.
with coverage as (
    select
        date_trunc('month', story.first_published_at) as month,
        item.story_id,
        item.provider_domain,
        bool_or(item.is_first) as was_first,
        min(item.hours_after_first) as hours_after_first
    from marts.story_items as item
    inner join marts.stories as story using (story_id)
    where story.providers >= 2 and story.first_published_at is not null
        and item.provider_domain is not null
    group by all
)

select
    strftime(month, '%Y-%m') as month,
    provider_domain,
    count(*) as stories,
    count(*) filter (where was_first) as stories_first,
    list(hours_after_first order by hours_after_first) filter (where hours_after_first is not null) as hours
from coverage
group by all
order by month, provider_domain
