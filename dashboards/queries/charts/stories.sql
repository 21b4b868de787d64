-- The biggest stories in the range: among each month's $per_month stories of 2 or more items
-- with the most outlets (then items), those the inputs choose, the $top biggest.
, ranked as (
    select
        *,
        row_number() over (
            partition by date_trunc('month', first_published_at)
            order by providers desc, items desc, story_id
        ) as rank_in_month
    from marts.stories
    where first_published_at is not null and items >= 2
),

chosen as (
    select ranked.*
    from ranked
    where rank_in_month <= $per_month
        and date_trunc('month', first_published_at) between $from and $to
        and (len($providers) = 0 or exists (
            select 1 from marts.story_items as item
            where item.story_id = ranked.story_id
                and list_contains($providers, item.provider_domain)))
        and (len($topics) = 0 or exists (
            select 1 from marts.fct_articles as article
            where article.story_id = ranked.story_id
                and len(list_intersect(article.topic_keys, $topics)) > 0))
    order by providers desc, items desc, story_id
    limit $top
)
