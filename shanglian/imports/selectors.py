from .models import ExportJob


def export_jobs_visible_to(user):
    """A user sees the export jobs they asked for, and no one else's."""
    return ExportJob.objects.filter(created_by=user)
