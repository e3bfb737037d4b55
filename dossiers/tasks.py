"""Background tasks of the dossier lists (Django's task framework; `manage.py db_worker` runs them)."""

from django.tasks import task

from dossiers import services


@task()
def run_dossier_import(job_id: int) -> str:
    """Import the file of the `DossierImportJob` row `job_id`, all or nothing, with progress."""
    return services.run_import_job(job_id)
