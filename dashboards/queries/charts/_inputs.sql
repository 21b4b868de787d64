-- The inputs of a page as SQL: $from and $to are the first days of the range's first and
-- last month; $providers and $topics the chosen provider domains and topic keys (empty:
-- all). Counts come from the additive cubes (marts.agg_*), whose cells add up over any
-- months and providers. Each chart's query adds its own steps after these.
with calendar as (
    select month, strftime(month, '%Y-%m') as month_label, is_complete, articles as month_articles
    from marts.dim_months
    where month between $from and $to
),

provider_cells as (
    -- The dated articles of the range and the chosen providers, whatever their topics.
    select *
    from marts.agg_provider_months
    where month between $from and $to
        and (len($providers) = 0 or list_contains($providers, provider_domain))
),

topic_cells as (
    -- The same by topic: an article is in a cell of each topic it carries (of those chosen).
    select *
    from marts.agg_provider_topic_months
    where month between $from and $to
        and (len($providers) = 0 or list_contains($providers, provider_domain))
        and (len($topics) = 0 or list_contains($topics, topic_key))
),

cells as (
    -- What the inputs count: each article once; with topics chosen, once per chosen topic.
    select * exclude (topic_key) from topic_cells where len($topics) > 0
    union all by name
    select * from provider_cells where len($topics) = 0
)
