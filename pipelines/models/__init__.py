"""SQL models: `sql/<schema>/<table>.sql` files, their docs and checks, and how they are built."""

from .catalog import Model, ModelError, load_models
from .checks import CheckOutcome, run_checks
from .materialise import materialise
from .run import BLOCKING_LAYERS, ModelRun, build_models

__all__ = [
    "BLOCKING_LAYERS",
    "CheckOutcome",
    "Model",
    "ModelError",
    "ModelRun",
    "build_models",
    "load_models",
    "materialise",
    "run_checks",
]
