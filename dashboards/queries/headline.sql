-- The Overview's headline figures: one row.
select
    (select count(*) from marts.fct_articles) as articles,
    (select count(*) from marts.dim_providers) as providers,
    (select count(*) from marts.dim_topics) as topics,
    (select quantile_cont(quality, 0.5) from marts.fct_articles) as median_quality,
    (select count(*) from marts.fct_articles where quality is not null) as rated_articles,
    (select count(*) from marts.fct_articles where published_at is null) as undated_articles,
    (select max(published_date) from marts.fct_articles) as data_through,
    (select count(*) from raw.quarantine) as files_quarantined
