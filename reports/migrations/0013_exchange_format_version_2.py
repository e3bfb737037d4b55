from django.db import migrations

# Written out here rather than imported: a migration keeps meaning what it meant when written.
VERSION_1, VERSION_2 = 1, 2


def upgrade_snapshot(content):  # type: ignore[no-untyped-def]
    """A stored version-1 export as version 2: the same content (a version-1 file is a valid
    version-2 file with nothing by post and nothing returned), under the new version number."""
    if not isinstance(content, dict) or content.get("format_version") != VERSION_1:
        return content
    return {**content, "format_version": VERSION_2}


def upgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("Submission", "ReportVersion"):
        model = apps.get_model("reports", name)
        changed = []
        for row in model.objects.only("pk", "content").iterator():
            upgraded = upgrade_snapshot(row.content)
            if upgraded is not row.content:
                row.content = upgraded
                changed.append(row)
        model.objects.bulk_update(changed, ["content"], batch_size=500)


def downgrade(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Only snapshots without the version-2 counts can go back; others keep version 2.
    for name in ("Submission", "ReportVersion"):
        model = apps.get_model("reports", name)
        changed = []
        for row in model.objects.only("pk", "content").iterator():
            content = row.content
            rows = (content.get("figures") or {}).get("results") or [] if isinstance(content, dict) else []
            if isinstance(content, dict) and content.get("format_version") == VERSION_2 and not any(
                r.get("postal") or r.get("returned") for r in rows
            ):
                row.content = {**content, "format_version": VERSION_1}
                changed.append(row)
        model.objects.bulk_update(changed, ["content"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0012_freeze_already_issued_reports"),
    ]

    operations = [migrations.RunPython(upgrade, downgrade)]
