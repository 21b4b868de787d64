/*
description: >-
  One row per provider that covers a story of at least two providers: how often it has the
  story first, and how long after the first item its own earliest item comes. Stories of a
  single provider are left out. Grain: provider_domain.
grain: [provider_domain]
not_null: [stories, stories_first, first_share]
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
  stories: Stories of at least two providers that it covers.
  stories_first: Of those, the stories whose first item is its.
  first_share: stories_first over stories.
  median_hours_after_first: >-
    Median over those stories of the hours from the story's first item to the provider's
    earliest item in it (0 where it was first); NULL when no time is known.
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
        min(items.hours_after_first) as hours_after_first
    from marts.story_items as items
    semi join shared on shared.story_id = items.story_id
    where items.provider_domain is not null
    group by items.story_id, items.provider_domain
)

select
    coverage.provider_domain,
    count(*) as stories,
    count(*) filter (where shared.first_provider_domain = coverage.provider_domain)
        as stories_first,
    stories_first / stories as first_share,
    quantile_cont(coverage.hours_after_first, 0.5) as median_hours_after_first
from coverage
inner join shared on shared.story_id = coverage.story_id
group by coverage.provider_domain
order by stories_first desc, stories desc, coverage.provider_domain
