"""The warehouse's storage, a DuckLake (SQLite catalog, Parquet data files): opening it
(`lake`), one writer at a time (`lock`), the raw layer (`raw`), one build's commit (`commit`),
upgrading the old layout (`upgrade`) and maintenance (`maintenance`). No Dagster import."""
