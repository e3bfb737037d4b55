from django.contrib import admin

from reports.models import OutlineSection, Period, Report, ReportEvent, ReportingRegime, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class OutlineSectionInline(admin.StackedInline):
    model = OutlineSection
    extra = 0
    fields = ["parent", "position", "key", "number_style", "title", "kind", "run_in", "template", "default_text"]
    ordering = ["parent_id", "position"]


@admin.register(ReportingRegime)
class ReportingRegimeAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "frequency", "cutoff_day", "deadline_working_days", "is_active"]
    list_filter = ["province", "frequency", "is_active"]
    inlines = [TargetInline, OutlineSectionInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "regime", "start", "end", "deadline"]
    list_filter = ["regime"]
    readonly_fields = ["start", "end", "deadline"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["commune", "period", "status", "updated_at"]
    list_filter = ["status", "period__regime"]
    search_fields = ["commune__name"]
    list_select_related = ["commune", "period__regime"]

    # Content changes go through the report screens and services, which check and log them.
    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    list_display = ["report", "kind", "at", "by"]
    list_filter = ["kind"]

    # The history is append-only.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
