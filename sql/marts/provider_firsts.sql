/*
description: >-
  One row per provider that covers a story of at least two providers: how often it has the
  story first, and how long after the first item its own earliest item comes. Stories of a
  single provider are left out. Grain: provider_domain.
grain: [provider_domain]
not_null: [provider_kind, stories, stories_first, first_share, first_share_lower, kind_rank]
reconcile:
  firsts_add_up:
    description: >-
      Every story of at least two providers has exactly one first provider, so stories_first
      adds up to those stories.
    sql: |
      select firsts, multi_provider_stories
      from (select coalesce(sum(stories_first), 0) as firsts from marts.provider_firsts),
           (select count(*) as multi_provider_stories from marts.stories where providers >= 2)
      where firsts <> multi_provider_stories
  share_in_range:
    description: first_share is stories_first over stories, between 0 and 1.
    sql: |
      select provider_domain, stories, stories_first, first_share
      from marts.provider_firsts
      where stories_first > stories or abs(first_share - stories_first / stories) > 1e-12
columns:
  provider_domain: The provider (the provider_domain of story items).
  provider_kind: >-
    Its kind (newsroom, syndicator, wire): marts.dim_providers.provider_kind; for a provider
    known only from related lists, its kind in seeds.provider_kinds, else wire when its domain
    names a wire (as dim_providers' rule), else newsroom.
  stories: Stories of at least two providers that it covers.
  stories_first: Of those, the stories whose first item is its.
  first_share: stories_first over stories.
  first_share_lower: >-
    The lower bound of the Wilson score interval (95%, z = 1.96) of first_share: what an editor
    can trust of it, so that 4 firsts in 4 stories (0.51) rank below 40 in 50 (0.67).
  kind_rank: >-
    Its place among the providers of its kind: by first_share_lower, the highest first (ties:
    more stories_first, then provider_domain). Newsrooms, syndicators and wires rank apart.
  median_hours_after_first: >-
    Median over those stories of the hours from the story's first item to the provider's
    earliest item with a time of day in it (0 where it was first); NULL when none is known.
*/
with

shared as (
    select story_id, first_provider_domain
    from marts.stories
    where providers >= 2
),

coverage as (
    select
        items.story_id,
        items.provider_domain,
        -- A date-only item's hours are not known to the hour: its provider's earliest item
        -- with a time of day counts (the first item itself, date-only or not, is 0).
        min(items.hours_after_first) filter (where items.is_first or not items.date_only)
            as hours_after_first
    from marts.story_items as items
    semi join shared on shared.story_id = items.story_id
    where items.provider_domain is not null
    group by items.story_id, items.provider_domain
),

counted as (
    select
        coverage.provider_domain,
        count(*) as stories,
        count(*) filter (where shared.first_provider_domain = coverage.provider_domain)
            as stories_first,
        quantile_cont(coverage.hours_after_first, 0.5) as median_hours_after_first
    from coverage
    inner join shared on shared.story_id = coverage.story_id
    group by coverage.provider_domain
),

scored as (
    select
        counted.*,
        coalesce(
            providers.provider_kind,
            known.provider_kind,
            if(
                regexp_matches(counted.provider_domain, 'newswire|presswire|pressrelease|prweb|prlog'),
                'wire',
                'newsroom'
            )
        ) as provider_kind,
        stories_first / stories as first_share,
        (
            first_share + 1.96 ^ 2 / (2 * stories)
            - 1.96 * sqrt(first_share * (1 - first_share) / stories + 1.96 ^ 2 / (4 * stories ^ 2))
        ) / (1 + 1.96 ^ 2 / stories) as first_share_lower
    from counted
    left join marts.dim_providers as providers
        on providers.provider_domain = counted.provider_domain
    left join seeds.provider_kinds as known on known.provider_domain = counted.provider_domain
)

select
    provider_domain,
    provider_kind,
    stories,
    stories_first,
    first_share,
    first_share_lower,
    row_number() over (
        partition by provider_kind
        order by first_share_lower desc, stories_first desc, provider_domain
    ) as kind_rank,
    median_hours_after_first
from scored
order by provider_kind, kind_rank
