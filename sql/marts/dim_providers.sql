/*
description: >-
  One row per provider (provider_domain) with its best-known name and article counts over
  all its articles, dated or not. Grain: provider_domain.
grain: [provider_domain]
not_null: [distinct_names, articles, rated_articles]
reconcile:
  articles_add_up:
    description: The providers' articles sum to the articles of marts.fct_articles.
    sql: |
      select providers, facts
      from (select coalesce(sum(articles), 0) as providers from marts.dim_providers),
           (select count(*) as facts from marts.fct_articles)
      where providers <> facts
columns:
  provider_domain: The provider's domain, lowercased without www.
  provider_name: >-
    The provider's most frequent name over its articles (tie: the smallest); NULL when no
    article names it.
  distinct_names: >-
    How many different provider names its articles carry: 1 for most outlets, many for a
    syndicator such as msn.com, 0 when no article names it.
  articles: Distinct articles of the provider.
  rated_articles: Of those, articles with a quality score.
  avg_quality: Mean quality of the rated articles; NULL when none.
  median_quality: Median quality of the rated articles (continuous); NULL when none.
  first_published_at: Earliest publication time (UTC) of its articles.
  last_published_at: Latest publication time (UTC) of its articles.
*/
with

articles as (
    select article_id, provider_domain, provider_name, quality, published_at
    from marts.fct_articles
),

names as (
    select provider_domain, provider_name, count(*) as articles
    from articles
    where provider_name is not null
    group by provider_domain, provider_name
),

best_names as (
    select provider_domain, provider_name
    from names
    qualify row_number() over (
        partition by provider_domain order by articles desc, provider_name asc
    ) = 1
),

providers as (
    select
        provider_domain,
        count(distinct article_id) as articles,
        count(distinct article_id) filter (where quality is not null) as rated_articles,
        count(distinct provider_name) as distinct_names,
        avg(quality) as avg_quality,
        quantile_cont(quality, 0.5) as median_quality,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at
    from articles
    group by provider_domain
)

select
    providers.provider_domain,
    best_names.provider_name,
    providers.distinct_names,
    providers.articles,
    providers.rated_articles,
    providers.avg_quality,
    providers.median_quality,
    providers.first_published_at,
    providers.last_published_at
from providers
left join best_names on best_names.provider_domain = providers.provider_domain
order by providers.provider_domain
