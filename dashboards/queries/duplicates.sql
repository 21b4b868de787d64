-- Articles found in more than one file, the most copies first; $rows at most.
select
    article_id,
    title,
    canonical_url,
    source_path,
    duplicate_files,
    len(duplicate_files) as copies
from staging.stg_articles
where len(duplicate_files) > 0
order by copies desc, canonical_url
limit $rows
