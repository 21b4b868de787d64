-- The $top topic pairs with the highest lift among pairs carried by at least $min_articles articles.
select
    topic_key_a,
    topic_key_b,
    topic_a,
    topic_b,
    articles,
    lift
from marts.topic_pairs
where articles >= $min_articles
order by lift desc, articles desc, topic_key_a, topic_key_b
limit $top
