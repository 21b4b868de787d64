-- Each month's $per_month stories of 2 or more items with the most outlets, then items: the
-- pages choose the biggest of a range among them. With every item's provider and every
-- article's topic, for the inputs.
with ranked as (
    select
        *,
        row_number() over (
            partition by date_trunc('month', first_published_at)
            order by providers desc, items desc, story_id
        ) as rank_in_month
    from marts.stories
    where first_published_at is not null and items >= 2
),

kept as (
    select * from ranked where rank_in_month <= $per_month
)

select
    kept.story_id,
    strftime(kept.first_published_at, '%Y-%m') as month,
    kept.title,
    strftime(kept.first_published_at, '%Y-%m-%dT%H:%M:%S') as first_published_at,
    kept.first_provider_domain,
    kept.first_date_only,
    kept.providers,
    kept.items,
    round(kept.span_hours, 2) as span_hours,
    (
        select coalesce(list(distinct item.provider_domain), [])
        from marts.story_items as item
        where item.story_id = kept.story_id
    ) as domains,
    (
        select coalesce(list(distinct keys.topic_key), [])
        from marts.fct_articles as article, unnest(article.topic_keys) as keys(topic_key)
        where article.story_id = kept.story_id
    ) as topic_keys
from kept
order by kept.providers desc, kept.items desc, kept.story_id
