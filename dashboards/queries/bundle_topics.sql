-- Every topic, the most articles first: the pages' topic list and its order.
select topic_key, topic, articles
from marts.dim_topics
order by articles desc, topic_key
