"""The newsdw code location: `dagster dev -m pipelines.definitions`."""

import dagster as dg

from .defs.automation import content_changes, daily_rebuild, follow_raw_data
from .defs.dashboards import dashboards
from .defs.ingest import raw_files
from .defs.models import warehouse_tables
from .resources import paths_from_env

defs = dg.Definitions(
    assets=[raw_files, warehouse_tables(), dashboards],
    sensors=[content_changes, follow_raw_data],
    schedules=[daily_rebuild()],
    resources={"paths": paths_from_env()},
)
