-- Topics over the range: articles carrying each, rated articles and average quality.
, carried as (
    select articles.article_id, articles.quality, keys.topic_key
    from articles, unnest(articles.topic_keys) as keys(topic_key)
    where len($topics) = 0 or list_contains($topics, keys.topic_key)
),

ranked as (
    select
        topic_key,
        count(*) as articles,
        count(quality) as rated_articles,
        avg(quality) as avg_quality
    from carried
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
