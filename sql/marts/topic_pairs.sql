/*
description: >-
  One row per pair of topics carried together by at least one article, with the lift of
  the pair over all articles. Grain: (topic_key_a, topic_key_b), topic_key_a < topic_key_b.
grain: [topic_key_a, topic_key_b]
not_null: [topic_a, topic_b, articles, lift]
reconcile:
  keys_ordered:
    description: topic_key_a sorts before topic_key_b in every row.
    sql: |
      select topic_key_a, topic_key_b from marts.topic_pairs where not topic_key_a < topic_key_b
columns:
  topic_key_a: The first topic of the pair (the smaller key).
  topic_key_b: The second topic of the pair (the greater key).
  topic_a: Label of topic_key_a (marts.dim_topics.topic).
  topic_b: Label of topic_key_b (marts.dim_topics.topic).
  articles: Distinct articles that carry both topics.
  lift: >-
    The share of all articles carrying both, over the product of the shares carrying each:
    above 1 when the topics go together more often than chance.
*/
with

topics as (
    select article_id, topic_key from staging.stg_article_topics
),

labels as (
    select topic_key, topic, articles from marts.dim_topics
),

total as (
    select count(*) as articles from marts.fct_articles
),

pairs as (
    select
        a.topic_key as topic_key_a,
        b.topic_key as topic_key_b,
        count(distinct a.article_id) as articles
    from topics as a
    inner join topics as b on b.article_id = a.article_id and a.topic_key < b.topic_key
    group by a.topic_key, b.topic_key
)

select
    pairs.topic_key_a,
    pairs.topic_key_b,
    label_a.topic as topic_a,
    label_b.topic as topic_b,
    pairs.articles,
    (pairs.articles / total.articles)
    / ((label_a.articles / total.articles) * (label_b.articles / total.articles)) as lift
from pairs
cross join total
inner join labels as label_a on label_a.topic_key = pairs.topic_key_a
inner join labels as label_b on label_b.topic_key = pairs.topic_key_b
order by pairs.topic_key_a, pairs.topic_key_b
