from django.db import migrations


def freeze_issued(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Reports numbered before documents were frozen keep showing what they show today."""
    from reports.frozen import frozen_copy

    Report = apps.get_model("reports", "Report")
    for report in Report.objects.filter(number__isnull=False, frozen__isnull=True).select_related(
        "commune__province", "period__regime"
    ):
        Report.objects.filter(pk=report.pk).update(frozen=frozen_copy(report, report.commune, report.period))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0011_frozen_documents_and_period_directives"),
    ]

    operations = [migrations.RunPython(freeze_issued, migrations.RunPython.noop)]
