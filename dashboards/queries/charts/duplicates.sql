-- Of the $top articles found in the most files, those of the range and chosen providers:
-- the file kept, up to $paths of the others, and how many others there are. Titles are cut
-- to 300 characters, as on the page.
, most_copied as (
    select
        strftime(date_trunc('month', published_at), '%Y-%m') as month,
        provider_domain,
        left(title, 300) as title,
        canonical_url,
        source_path,
        duplicate_files[1:$paths] as duplicate_files,
        len(duplicate_files) as copies
    from staging.stg_articles
    where len(duplicate_files) > 0
    order by copies desc, canonical_url
    limit $top
)

select *
from most_copied
where (month is null or month between strftime($from, '%Y-%m') and strftime($to, '%Y-%m'))
    and (len($providers) = 0 or list_contains($providers, provider_domain))
order by copies desc, canonical_url
