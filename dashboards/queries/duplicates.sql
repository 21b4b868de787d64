-- Articles found in more than one file, the most copied first: $rows at most, and the
-- first $paths other files of each.
select
    article_id,
    title,
    canonical_url,
    source_path,
    duplicate_files[1:$paths] as duplicate_files,
    len(duplicate_files) as copies
from staging.stg_articles
where len(duplicate_files) > 0
order by copies desc, canonical_url
limit $rows
