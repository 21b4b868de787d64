-- Each chosen story's first $items_per_story items, the earliest first.
, items as (
    select
        chosen.providers as story_providers,
        chosen.items as story_items,
        item.*,
        row_number() over (
            partition by item.story_id order by item.hours_after_first nulls last, item.canonical_url
        ) as position
    from chosen
    inner join marts.story_items as item using (story_id)
)

select
    story_id,
    canonical_url,
    provider_domain,
    strftime(published_at, '%Y-%m-%dT%H:%M:%S') as published_at,
    round(hours_after_first, 2) as hours_after_first,
    title
from items
where position <= $items_per_story
order by story_providers desc, story_items desc, story_id, position
