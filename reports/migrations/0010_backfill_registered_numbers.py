from django.db import migrations


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Every number already issued (current reports and the versions amendments kept) enters the
    register, so a typed number can never repeat one of them."""
    Report = apps.get_model("reports", "Report")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    RegisteredNumber = apps.get_model("reports", "RegisteredNumber")
    seen = set()
    rows = []

    def add(report, revision, number, issued_on):  # type: ignore[no-untyped-def]
        symbol = report.commune.document_symbol
        key = (report.commune_id, issued_on.year, symbol, number)
        if key in seen:
            return
        seen.add(key)
        rows.append(
            RegisteredNumber(
                commune_id=report.commune_id,
                year=issued_on.year,
                symbol=symbol,
                number=number,
                report_id=report.pk,
                revision=revision,
                issued_on=issued_on,
            )
        )

    for report in Report.objects.filter(number__isnull=False).select_related("commune"):
        add(report, report.revision, report.number, report.issued_on)
    for version in ReportVersion.objects.filter(number__isnull=False).select_related("report__commune"):
        add(version.report, version.revision, version.number, version.issued_on)
    RegisteredNumber.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_issue_flow_and_registered_numbers"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
