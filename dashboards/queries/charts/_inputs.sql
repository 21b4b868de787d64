-- The inputs of a page as SQL: $from and $to are the first days of the range's first and
-- last month; $providers and $topics the chosen provider domains and topic keys (empty:
-- all). Each chart's query adds its own steps after these.
with calendar as (
    select month, strftime(month, '%Y-%m') as month_label, is_complete
    from marts.dim_months
    where month between $from and $to
),

articles as (
    -- The dated articles of the range and the chosen providers, whatever their topics.
    select
        article_id,
        strftime(published_month, '%Y-%m') as month_label,
        published_month as month,
        provider_domain,
        quality,
        quality_band,
        topic_keys,
        story_id
    from marts.fct_articles
    where published_month between $from and $to
        and (len($providers) = 0 or list_contains($providers, provider_domain))
),

mentions as (
    -- One row per article; with topics chosen, one per chosen topic the article carries.
    select * from articles where len($topics) = 0
    union all
    select articles.*
    from articles, unnest(articles.topic_keys) as keys(topic_key)
    where list_contains($topics, keys.topic_key)
)
