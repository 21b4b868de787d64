-- Every provider, the most articles first: the pages' provider list and its order.
select provider_domain, provider_name, articles, rated_articles
from marts.dim_providers
order by articles desc, provider_domain
