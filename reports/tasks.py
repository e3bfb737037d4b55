"""Background tasks (Django's task framework; `manage.py db_worker` runs them, see README)."""

from django.tasks import task

from reports import period_files


@task()
def build_period_zip(export_id: int) -> str:
    """Build the ZIP of a period's reports for the `PeriodExport` row `export_id`."""
    return period_files.build_period_export(export_id)


@task()
def prerender_report_pdf(report_id: int) -> str:
    """Draw report `report_id`'s PDF into the render cache after it was sent or accepted."""
    return period_files.prerender_pdf(report_id)
