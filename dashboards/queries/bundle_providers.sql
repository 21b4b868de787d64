-- Every provider, the most articles first: the pages' provider list and its order, with how
-- many outlet names its articles carry (a syndicator carries many).
select provider_domain, provider_name, distinct_names, articles, rated_articles
from marts.dim_providers
order by articles desc, provider_domain
