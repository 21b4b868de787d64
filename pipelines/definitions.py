"""The newsdw code location: `dagster dev -m pipelines.definitions`."""

import dagster as dg

from .defs.automation import content_changes, daily_rebuild, follow_raw_data
from .defs.dashboards import dashboards
from .defs.ingest import raw_files
from .defs.maintenance import lake_maintenance, lake_maintenance_schedule
from .defs.models import warehouse_tables
from .defs.shards import celery_shards_job, raw_shards_asset, shards_job
from .resources import paths_from_env

defs = dg.Definitions(
    assets=[raw_files, warehouse_tables(), dashboards, raw_shards_asset()],
    sensors=[content_changes, follow_raw_data],
    jobs=[lake_maintenance, shards_job(), celery_shards_job()],
    schedules=[daily_rebuild(), lake_maintenance_schedule],
    resources={"paths": paths_from_env()},
)
