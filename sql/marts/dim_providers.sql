/*
description: >-
  One row per provider (provider_domain) with its best-known name and article counts over
  all its articles, dated or not. Grain: provider_domain.
grain: [provider_domain]
not_null: [distinct_names, articles, rated_articles, provider_kind]
accepted_values:
  provider_kind: [newsroom, syndicator, wire]
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
  provider_kind: >-
    What kind of outlet it is, by the first rule that holds: its kind in
    seeds.provider_kinds (the known syndicators and press-release wires); wire when its domain
    names a wire (newswire, presswire, pressrelease, prweb, prlog) or at least half of its
    articles' URLs are press releases (a path segment news-release(s) or press-release(s));
    syndicator when its articles carry 10 or more distinct provider names (an aggregator of
    other outlets, like msn.com); else newsroom.
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

-- Press releases by their URL's shape: a path segment news-release(s) or press-release(s).
releases as (
    select
        provider_domain,
        count(*) filter (
            where regexp_matches(lower(canonical_url), '/(news|press)[-_]?releases?(/|$|\?)')
        ) as releases,
        count(*) as articles
    from staging.stg_articles
    group by provider_domain
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
    case
        when known.provider_kind is not null then known.provider_kind
        when regexp_matches(providers.provider_domain, 'newswire|presswire|pressrelease|prweb|prlog')
            then 'wire'
        when 2 * coalesce(releases.releases, 0) >= releases.articles and releases.releases > 0
            then 'wire'
        when providers.distinct_names >= 10 then 'syndicator'
        else 'newsroom'
    end as provider_kind,
    providers.articles,
    providers.rated_articles,
    providers.avg_quality,
    providers.median_quality,
    providers.first_published_at,
    providers.last_published_at
from providers
left join best_names on best_names.provider_domain = providers.provider_domain
left join seeds.provider_kinds as known on known.provider_domain = providers.provider_domain
left join releases on releases.provider_domain = providers.provider_domain
order by providers.provider_domain
