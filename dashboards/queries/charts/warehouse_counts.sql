-- What the published warehouse holds, table by table.
select 'Files in raw.articles' as what, count(*) as count from raw.articles
union all
select 'Files in raw.quarantine', count(*) from raw.quarantine
union all
select 'Articles after merging duplicates', count(*) from staging.stg_articles
union all
select 'Articles found in more than one file', count(*) from staging.stg_articles
where len(duplicate_files) > 0
union all
select 'Undated articles', count(*) from marts.fct_articles where published_at is null
union all
select 'Unrated articles', count(*) from marts.fct_articles where quality is null
union all
select 'Article–topic rows', count(*) from staging.stg_article_topics
union all
select 'Related-article rows', count(*) from staging.stg_related_articles
union all
select 'Stories of 2 or more outlets', count(*) from marts.stories where providers >= 2
