-- Topics over the range: articles carrying each, rated articles and average quality.
, ranked as (
    select
        topic_key,
        sum(articles)::bigint as articles,
        sum(rated_articles)::bigint as rated_articles,
        sum(quality_sum) / nullif(sum(rated_articles), 0) as avg_quality
    from topic_cells
    group by topic_key
)

select
    ranked.topic_key,
    topics.topic,
    ranked.articles,
    ranked.rated_articles,
    round(ranked.avg_quality, 2) as avg_quality
from ranked
left join marts.dim_topics as topics using (topic_key)
order by ranked.articles desc, ranked.topic_key
limit $top
