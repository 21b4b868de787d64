/*
description: >-
  One row per article: the content files that share a canonical_url are one article, and
  the file with the latest modification time (on a tie, the greatest path) supplies its
  fields. Grain: article_id; canonical_url is unique too.
grain: [article_id]
incremental_by: article_id
not_null: [canonical_url, source_path, title, provider_domain]
unique: [canonical_url]
columns:
  article_id: >-
    Stable id of the article: the first 16 hex digits of the SHA-256 of canonical_url, so the
    same URL has the same id in every build.
  canonical_url: The article's URL in canonical form; one row per value.
  source_url: The winning file's URL as written.
  source_path: The winning file, relative to the content root.
  file_mtime: Modification time of the winning file, UTC.
  duplicate_files: >-
    The other files that describe the same article (same canonical_url), sorted; empty when
    the article has one file.
  title: Title, HTML entities decoded and trimmed.
  excerpt: Excerpt, HTML entities decoded and trimmed; NULL when absent.
  category: The category field as text; NULL when absent.
  type: The type field as text; NULL when absent.
  published_at: Publication time in UTC; NULL when the file has no usable date.
  quality: Quality score (a non-negative integer); NULL when unrated.
  heat: Heat score; NULL when absent or unknown.
  is_published: The published flag; NULL when absent or not a boolean.
  provider_domain: Provider domain, lowercased without www. (the URL's host when absent).
  provider_name: Provider name as written in the winning file; NULL when absent.
  body_words: Words in the winning file's body.
  images: The winning file's images (url, width, height, title).
*/
with

files as (
    select
        source_path,
        file_mtime,
        canonical_url,
        source_url,
        title,
        excerpt,
        category,
        type,
        published_at,
        quality,
        heat,
        is_published,
        provider_domain,
        provider_name,
        body_words,
        images
    from raw.articles
    -- A build selects again only the articles it changed (every article when built whole).
    where canonical_url in (select canonical_url from temp.changed_articles)
),

ranked as (
    select
        *,
        row_number() over (
            partition by canonical_url order by file_mtime desc, source_path desc
        ) as file_rank
    from files
),

duplicates as (
    select
        canonical_url,
        list(source_path order by source_path) as duplicate_files
    from ranked
    where file_rank > 1
    group by canonical_url
)

select
    left(sha256(ranked.canonical_url), 16) as article_id,
    ranked.canonical_url,
    ranked.source_url,
    ranked.source_path,
    ranked.file_mtime,
    coalesce(duplicates.duplicate_files, []::varchar[]) as duplicate_files,
    ranked.title,
    ranked.excerpt,
    ranked.category,
    ranked.type,
    ranked.published_at,
    ranked.quality,
    ranked.heat,
    ranked.is_published,
    ranked.provider_domain,
    ranked.provider_name,
    ranked.body_words,
    ranked.images
from ranked
left join duplicates on duplicates.canonical_url = ranked.canonical_url
where ranked.file_rank = 1
