"""Background work of imports and exports (run by `manage.py run_huey`; immediate in tests).

Each task lives beside the work it does (`jobs.run_import_job`, `exports.produce_export`); this module
is what the Huey consumer discovers, so it names them."""

from .exports import produce_export
from .jobs import run_import_job

__all__ = ["produce_export", "run_import_job"]
