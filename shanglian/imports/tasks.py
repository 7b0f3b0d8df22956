"""Background work of imports and exports (run by `manage.py run_huey`; immediate in tests)."""

from huey.contrib.djhuey import db_task

from shanglian.common.models import ImportJob


@db_task()
def run_import_job(job_id):
    """Commit a large import job; its row keeps the progress the import page polls."""
    from .jobs import run

    run(ImportJob.objects.get(pk=job_id))


@db_task()
def produce_export(job_id):
    """Write a large export's workbook; its row keeps the progress the export page polls."""
    from .exports import produce

    produce(job_id)
