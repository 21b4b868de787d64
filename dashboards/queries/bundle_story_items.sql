-- The first $items items of each story that bundle_stories keeps, the earliest first.
with ranked as (
    select
        story_id,
        row_number() over (
            partition by date_trunc('month', first_published_at)
            order by providers desc, items desc, story_id
        ) as rank_in_month
    from marts.stories
    where first_published_at is not null and items >= 2
),

items as (
    select
        item.*,
        row_number() over (
            partition by item.story_id order by item.hours_after_first nulls last, item.canonical_url
        ) as position
    from marts.story_items as item
    inner join ranked using (story_id)
    where ranked.rank_in_month <= $per_month
)

select
    story_id,
    canonical_url,
    provider_domain,
    strftime(published_at, '%Y-%m-%dT%H:%M:%S') as published_at,
    round(hours_after_first, 2) as hours_after_first,
    title
from items
where position <= $items
order by story_id, position
