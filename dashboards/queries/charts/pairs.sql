-- Pairs of the $pair_topics leading topics (of marts.dim_topics) carried together in the
-- range, by lift: the share carrying both over the product of the shares carrying each;
-- only pairs above chance (lift over 1).
-- Pairs need each article's topics together, which no cube keeps: this reads the facts.
with articles as (
    -- The dated articles of the range and the chosen providers, whatever their topics.
    select article_id, topic_keys
    from marts.fct_articles
    where published_month between $from and $to
        and (len($providers) = 0 or list_contains($providers, provider_domain))
),

leaders as (
    select topic_key from marts.dim_topics order by articles desc, topic_key limit $pair_topics
),

carried as (
    select articles.article_id, keys.topic_key
    from articles, unnest(articles.topic_keys) as keys(topic_key)
),

singles as (
    select topic_key, count(*) as articles from carried group by topic_key
),

pairs as (
    select a.topic_key as topic_key_a, b.topic_key as topic_key_b, count(*) as articles
    from carried as a
    inner join carried as b on a.article_id = b.article_id and a.topic_key < b.topic_key
    where a.topic_key in (select topic_key from leaders)
        and b.topic_key in (select topic_key from leaders)
        and (len($topics) = 0 or list_contains($topics, a.topic_key)
            or list_contains($topics, b.topic_key))
    group by all
),

scored as (
    select
        pairs.*,
        pairs.articles * (select count(*) from articles)
            / (single_a.articles * single_b.articles) as lift
    from pairs
    inner join singles as single_a on single_a.topic_key = pairs.topic_key_a
    inner join singles as single_b on single_b.topic_key = pairs.topic_key_b
    where pairs.articles >= $min_articles
        and pairs.articles * (select count(*) from articles) > single_a.articles * single_b.articles
)

select topic_key_a, topic_key_b, articles, round(lift, 2) as lift
from scored
order by scored.lift desc, articles desc, topic_key_a, topic_key_b
limit $top
