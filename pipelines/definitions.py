"""The newsdw code location: `dagster dev -m pipelines.definitions`."""

import dagster as dg

from .defs.ingest import raw_content
from .resources import paths_from_env

defs = dg.Definitions(
    assets=[raw_content],
    resources={"paths": paths_from_env()},
)
