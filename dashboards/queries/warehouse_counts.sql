-- Row counts of the warehouse this build published: one row.
select
    (select count(*) from raw.articles) as parsed_files,
    (select count(*) from raw.quarantine) as quarantined_files,
    (select count(*) from staging.stg_articles) as articles,
    (select count(*) from staging.stg_articles where len(duplicate_files) > 0) as duplicated_articles,
    (select coalesce(sum(len(duplicate_files)), 0)::bigint from staging.stg_articles) as superseded_files,
    (select count(*) from staging.stg_article_topics) as topic_rows,
    (select count(*) from staging.stg_related_articles) as related_rows
