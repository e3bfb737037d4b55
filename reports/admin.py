from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from communes import access
from communes.admin import CityAdminScopeMixin
from reports import schedule
from reports.figures import RATE_KEYS, VALUE_SPEC_BY_KEY
from reports.models import (
    CENTRE_DOCUMENT_FIELDS,
    CityCentre,
    IssuedDocument,
    IssueFlow,
    OutlineSection,
    Period,
    PeriodChange,
    RegimeDirective,
    RegisteredNumber,
    Report,
    ReportEvent,
    ReportingRegime,
    ReportVersion,
    SignedScan,
    Submission,
    Target,
    default_centre_details,
)
from reports.periods import Frequency, ScheduledPeriod
from reports.rendering.formatting import format_date
from reports.rendering.templating import template_errors
from reports.schedule import ScheduleChange
from reports.text import clean_form_texts


def _template_errors(text: str, *, narrative: bool, frequency: str = Frequency.MONTHLY) -> list[str]:
    return template_errors(text or "", narrative=narrative, monthly=frequency == Frequency.MONTHLY)


def _submitted_frequency(request: HttpRequest, obj: ReportingRegime | None) -> str:
    """The frequency the regime form is being saved with (the inline sections are checked against
    it), else the stored one."""
    submitted = request.POST.get("frequency") if request.method == "POST" else None
    if submitted in Frequency:
        return str(submitted)
    return obj.frequency if obj is not None else Frequency.MONTHLY


class SchedulePreviewWidget(forms.Widget):
    """A read-only table of the next periods' windows and deadlines (no input is submitted)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        rows: list[ScheduledPeriod] = value or []
        if not rows:
            return format_html("<p>{}</p>", "Chưa tính được các kỳ: hãy chọn kỳ báo cáo và ngày chốt hợp lệ.")
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (row.key.label(), format_date(row.start), format_date(row.end), format_date(row.deadline))
                for row in rows
            ),
        )
        return format_html(
            '<table id="{}"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            (attrs or {}).get("id", name),
            "Kỳ báo cáo",
            "Từ ngày",
            "Đến hết ngày",
            "Hạn gửi",
            body,
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> None:
        return None


def _int_or(value: Any, fallback: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return fallback


class RegimeForm(forms.ModelForm[ReportingRegime]):
    schedule_preview = forms.Field(
        label="Các kỳ báo cáo tiếp theo",
        required=False,
        disabled=True,
        widget=SchedulePreviewWidget,
        help_text="Tính theo các giá trị đang nhập trong biểu mẫu (chưa lưu).",
    )
    preview_only = forms.BooleanField(
        label="Chỉ xem trước các kỳ, chưa lưu",
        required=False,
        help_text="Đánh dấu rồi bấm Lưu để xem các kỳ theo giá trị vừa nhập mà không lưu thay đổi.",
    )
    confirm_schedule_change = forms.BooleanField(
        label="Xác nhận thay đổi các kỳ đã mở",
        required=False,
        help_text="Cần khi đổi ngày chốt, số tháng lùi hoặc hạn gửi của chế độ báo cáo đã có kỳ báo cáo.",
    )
    # Filled by clean(): the stored periods the new rules move, applied by the admin's save_model.
    schedule_changes: list[ScheduleChange]

    class Meta:
        model = ReportingRegime
        fields = [
            "province",
            "name",
            "directive",
            "frequency",
            "cutoff_day",
            "month_offset",
            "deadline_working_days",
            "subject_template",
            "opening_template",
            "closing_template",
            "include_appendix",
            "issue_flow",
            "allow_early_sending",
            "is_active",
            "applies_to_all",
            "communes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most regimes are monthly and never shift their periods: no offset submitted means none.
        self.fields["month_offset"].required = False
        self.fields["issue_flow"].required = False
        self.schedule_changes = []
        self.fields["schedule_preview"].initial = self._preview()

    def _preview(self) -> list[ScheduledPeriod]:
        """The next periods under the values being typed (the stored ones until the form is sent)."""
        instance = self.instance
        data = self.data if self.is_bound else {}
        candidate = ReportingRegime(
            frequency=data.get("frequency") or instance.frequency or Frequency.MONTHLY,
            cutoff_day=_int_or(data.get("cutoff_day"), instance.cutoff_day),
            month_offset=_int_or(data.get("month_offset"), instance.month_offset or 0),
            deadline_working_days=_int_or(data.get("deadline_working_days"), instance.deadline_working_days),
        )
        try:
            return schedule.preview(candidate)
        except ValueError:
            return []

    def clean_month_offset(self) -> int:
        return int(self.cleaned_data.get("month_offset") or 0)

    def clean_issue_flow(self) -> str:
        # Not submitted: keep today's order (the city reviews the draft first).
        return str(self.cleaned_data.get("issue_flow") or IssueFlow.REVIEW_THEN_ISSUE)

    def clean(self) -> dict[str, Any]:
        # NFC as every other input path stores texts (a decomposed regime name would not match the
        # NFC name an import looks up), and no control character (templates reach the DOCX).
        cleaned = self.cleaned_data = clean_form_texts(self, super().clean() or {})
        frequency = cleaned.get("frequency") or Frequency.MONTHLY
        for name in ("subject_template", "opening_template", "closing_template"):
            errors = _template_errors(cleaned.get(name, ""), narrative=False, frequency=frequency)
            if errors:
                self.add_error(name, errors)
        province, communes = cleaned.get("province"), cleaned.get("communes")
        if province is not None and communes is not None:
            outside = [commune.name for commune in communes if commune.province_id != province.pk]
            if outside:
                self.add_error(
                    "communes", "Các xã, phường sau không thuộc tỉnh, thành phố đã chọn: " + ", ".join(outside)
                )
        if cleaned.get("applies_to_all") is False and communes is not None and not communes:
            self.add_error("communes", "Chọn ít nhất một xã, phường, hoặc đánh dấu “áp dụng cho mọi xã, phường”.")
        self._clean_schedule(cleaned)
        if cleaned.get("preview_only") and not self.errors:
            raise forms.ValidationError(
                "Đây là bản xem trước các kỳ báo cáo theo giá trị vừa nhập; chưa có gì được lưu. "
                "Bỏ chọn “Chỉ xem trước các kỳ, chưa lưu” rồi bấm Lưu để lưu."
            )
        return cleaned

    def _clean_schedule(self, cleaned: dict[str, Any]) -> None:
        """Say which stored periods the new cut-off, offset or deadline rule changes."""
        stored = self.instance
        if stored.pk is None or not stored.periods.exists():
            return
        names = ("frequency", "cutoff_day", "month_offset", "deadline_working_days")
        if any(cleaned.get(name) is None for name in names):
            return
        if cleaned["frequency"] != stored.frequency:
            self.add_error(
                "frequency", "Chế độ báo cáo đã có kỳ báo cáo nên không đổi được tần suất; hãy tạo chế độ mới."
            )
            return
        candidate = ReportingRegime(pk=stored.pk, **{name: cleaned[name] for name in names})
        try:
            changes = schedule.schedule_changes(candidate)
        except ValueError as error:
            self.add_error("cutoff_day", str(error))
            return
        if not changes:
            return
        moved = [change.describe() for change in changes if not change.kept]
        kept = [change.describe() for change in changes if change.kept]
        if not cleaned.get("confirm_schedule_change"):
            parts = ["Quy tắc mới làm thay đổi các kỳ báo cáo đã mở."]
            if moved:
                parts.append("Sẽ tính lại (chưa có báo cáo nào được gửi): " + "; ".join(moved) + ".")
            if kept:
                parts.append(
                    "Giữ nguyên vì đã có báo cáo được gửi (hạn gửi điều chỉnh riêng trong trang kỳ báo cáo): "
                    + "; ".join(kept)
                    + "."
                )
            parts.append("Đánh dấu “Xác nhận thay đổi các kỳ đã mở” rồi bấm Lưu để áp dụng.")
            self.add_error("confirm_schedule_change", " ".join(parts))
            return
        self.schedule_changes = changes


class SectionForm(forms.ModelForm[OutlineSection]):
    # The regime's frequency as submitted with the section (set by OutlineSectionInline.get_formset).
    regime_frequency: str = Frequency.MONTHLY

    class Meta:
        model = OutlineSection
        fields = ["parent", "position", "key", "number_style", "title", "kind", "run_in", "template", "default_text"]

    def clean(self) -> dict[str, Any]:
        # NFC as every other input path stores texts (a decomposed regime name would not match the
        # NFC name an import looks up), and no control character (templates reach the DOCX).
        cleaned = self.cleaned_data = clean_form_texts(self, super().clean() or {})
        for name, narrative in (("title", False), ("template", True)):
            errors = _template_errors(cleaned.get(name, ""), narrative=narrative, frequency=self.regime_frequency)
            if errors:
                self.add_error(name, errors)
        return cleaned


class TargetForm(forms.ModelForm[Target]):
    indicator = forms.ChoiceField(label="chỉ tiêu", choices=[(key, VALUE_SPEC_BY_KEY[key].label) for key in RATE_KEYS])

    class Meta:
        model = Target
        fields = ["indicator", "minimum"]


class CityAdminInlineMixin:
    """City administrators edit the targets and outline of their own province's regimes."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_view_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_add_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_change_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_delete_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]


class DirectiveFormSet(forms.BaseInlineFormSet[RegimeDirective, ReportingRegime]):
    def clean(self) -> None:
        super().clean()
        ranges = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or data.get("valid_from") is None:
                continue
            start, end = data["valid_from"], data.get("valid_until")
            if end is not None and end < start:
                form.add_error("valid_until", "Ngày hết hiệu lực phải sau ngày bắt đầu áp dụng.")
                continue
            ranges.append((start, end, data.get("citation", "")))
        ranges.sort(key=lambda item: item[0])
        for (_, end, citation), (next_start, _, next_citation) in zip(ranges, ranges[1:], strict=False):
            if end is None or end >= next_start:
                raise forms.ValidationError(
                    f"Thời gian áp dụng của “{citation}” và “{next_citation}” chồng nhau: mỗi ngày chỉ một văn bản "
                    "yêu cầu báo cáo có hiệu lực (ghi ngày hết hiệu lực của văn bản trước)."
                )


class DirectiveInline(CityAdminInlineMixin, admin.TabularInline[RegimeDirective, ReportingRegime]):
    model = RegimeDirective
    formset = DirectiveFormSet
    extra = 0
    fields = ["citation", "valid_from", "valid_until"]


class TargetInline(CityAdminInlineMixin, admin.TabularInline[Target, ReportingRegime]):
    model = Target
    form = TargetForm
    extra = 0


class OutlineSectionInline(CityAdminInlineMixin, admin.StackedInline[OutlineSection, ReportingRegime]):
    model = OutlineSection
    form = SectionForm
    extra = 0
    fields = ["parent", "position", "key", "number_style", "title", "kind", "run_in", "template", "default_text"]
    ordering = ["parent_id", "position"]
    # Folded by default: an outline has a dozen sections and the regime's own fields come first.
    classes = ["collapse"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Sections are checked against the frequency the regime is being saved with, so switching
        # a regime to quarterly refuses its month-only wording in the same save.
        form = type("SectionForm", (SectionForm,), {"regime_frequency": _submitted_frequency(request, obj)})
        return super().get_formset(request, obj, form=form, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A section's parent must belong to the same regime.
        if db_field.name == "parent":
            regime_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = OutlineSection.objects.filter(regime_id=regime_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReportingRegime)
class ReportingRegimeAdmin(CityAdminScopeMixin, admin.ModelAdmin[ReportingRegime]):
    province_lookup = "province"
    form = RegimeForm
    list_display = ["name", "province", "frequency", "cutoff_day", "deadline_working_days", "is_active"]
    list_filter = ["frequency", "is_active"]
    inlines = [DirectiveInline, TargetInline, OutlineSectionInline]
    # A two-pane box with a search field keeps 114 (or 3,321) communes in a fixed height.
    filter_horizontal = ["communes"]
    fieldsets = [
        (None, {"fields": ["province", "name", "directive"]}),
        (
            "Kỳ báo cáo và hạn gửi",
            {
                "fields": [
                    "frequency",
                    "cutoff_day",
                    "month_offset",
                    "deadline_working_days",
                    "allow_early_sending",
                    "schedule_preview",
                    "preview_only",
                    "confirm_schedule_change",
                ]
            },
        ),
        (
            "Nội dung",
            {"fields": ["subject_template", "opening_template", "closing_template", "include_appendix"]},
        ),
        ("Ban hành", {"fields": ["issue_flow"]}),
        ("Phạm vi áp dụng", {"fields": ["is_active", "applies_to_all", "communes"]}),
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Periods cite the directive in force on their last day, after this save's edits.
        schedule.refresh_period_directives(form.instance)

    def save_model(self, request: HttpRequest, obj: ReportingRegime, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if getattr(form, "schedule_changes", None):
            schedule.apply_schedule_changes(
                form.schedule_changes, by=request.user, reason="Đổi quy tắc kỳ báo cáo của chế độ báo cáo."
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) or access.is_city_admin(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "province":
            kwargs["queryset"] = access.administered_provinces(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "communes":
            kwargs["queryset"] = access.assignable_communes(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PeriodForm(forms.ModelForm[Period]):
    reason = forms.CharField(
        label="lý do điều chỉnh hạn gửi",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi đổi hạn gửi; được ghi vào lịch sử kỳ báo cáo.",
    )

    class Meta:
        model = Period
        fields = ["deadline"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deadline = cleaned.get("deadline")
        if "deadline" in self.changed_data and deadline is not None:
            try:
                schedule.correct_deadline(
                    period=self.instance, deadline=deadline, reason=cleaned.get("reason", ""), by=None, dry_run=True
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class PeriodChangeInline(admin.TabularInline[PeriodChange, Period]):
    model = PeriodChange
    extra = 0
    fields = ["at", "by", "changes", "reason"]
    readonly_fields = ["at", "by", "changes", "reason"]
    can_delete = False
    verbose_name_plural = "lịch sử điều chỉnh"

    def has_view_permission(self, request: HttpRequest, obj: Period | None = None) -> bool:
        return super().has_view_permission(request, obj) or access.is_city_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Period | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Period | None = None) -> bool:
        return False


@admin.register(Period)
class PeriodAdmin(CityAdminScopeMixin, admin.ModelAdmin[Period]):
    province_lookup = "regime__province"
    form = PeriodForm
    list_display = ["__str__", "regime", "start", "end", "deadline"]
    # Only regimes of the rows this admin sees (a city admin sees their own province's names only).
    list_filter = [("regime", admin.RelatedOnlyFieldListFilter)]
    inlines = [PeriodChangeInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Period | None = None) -> list[str]:
        # An open period's deadline can be corrected (with a reason); its window never is here.
        fixed = ["regime", "year", "number", "start", "end"]
        if obj is None or not schedule.is_open(obj):
            return [*fixed, "deadline"]
        return fixed

    def get_fields(self, request: HttpRequest, obj: Period | None = None) -> list[str]:  # type: ignore[override]
        shown = ["regime", "year", "number", "start", "end", "deadline"]
        return shown if "deadline" in self.get_readonly_fields(request, obj) else [*shown, "reason"]

    def save_model(self, request: HttpRequest, obj: Period, form: Any, change: bool) -> None:
        if "deadline" in form.changed_data:
            schedule.correct_deadline(
                period=obj, deadline=form.cleaned_data["deadline"], reason=form.cleaned_data["reason"], by=request.user
            )

    # Periods are opened by the app with their computed window and deadline.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class CityCentreForm(forms.ModelForm[CityCentre]):
    class Meta:
        model = CityCentre
        fields = ["province", *CENTRE_DOCUMENT_FIELDS]

    def clean(self) -> dict[str, Any]:
        self.cleaned_data = clean_form_texts(self, super().clean() or {})
        return self.cleaned_data


@admin.register(CityCentre)
class CityCentreAdmin(CityAdminScopeMixin, admin.ModelAdmin[CityCentre]):
    """How the Centre's own report names and signs it (reports/city_report.py), per province."""

    province_lookup = "province"
    form = CityCentreForm
    list_display = ["name_in_text", "province", "document_symbol", "signer_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) or access.is_city_admin(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "province":
            kwargs["queryset"] = access.administered_provinces(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # The defaults the report prints until the Centre is configured, for the admin's province.
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        province = access.administered_provinces(request.user).first()
        if province is not None and not request.GET.get("province"):
            initial |= {"province": province.pk, **default_centre_details(province)}
        return initial


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records that only the app's services write: visible to superusers, never edited here."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["commune", "period", "status", "revision", "updated_at"]
    list_filter = ["status", ("period__regime", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["commune__name"]
    list_select_related = ["commune", "period__regime"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).select_related("commune", "period__regime")


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "kind", "at", "by"]
    list_filter = ["kind"]
    list_select_related = ["report__commune", "report__period__regime", "by"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["report", "sequence", "submitted_at", "on_time"]
    list_select_related = ["report__commune", "report__period__regime"]


@admin.register(SignedScan)
class SignedScanAdmin(ReadOnlyAdmin):
    list_display = ["report", "revision", "original_name", "sha256", "uploaded_at"]
    list_select_related = ["report__commune", "report__period__regime"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "revision", "status", "number", "amended_at"]
    list_select_related = ["report__commune", "report__period__regime"]


@admin.register(RegisteredNumber)
class RegisteredNumberAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "commune", "report", "issued_on"]
    list_filter = ["year"]
    list_select_related = ["commune", "report__commune", "report__period__regime"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["report", "revision", "fmt", "sha256", "size", "created_at"]
    list_select_related = ["report__commune", "report__period__regime"]
