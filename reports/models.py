"""Reporting regimes, their outlines and periods, and the commune reports themselves.

A report's figures and narrative are JSON documents whose shape and rules live in
reports/figures.py (figures) and reports/outline.py (narrative keyed by section).
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fetch_modes import FetchMode
from django.db.models.functions import ExtractYear

from communes.models import Commune, Province
from reports.figures import VALUE_SPEC_BY_KEY
from reports.periods import (
    CUTOFF_CHOICES,
    END_OF_MONTH,
    MAX_CUTOFF_DAY,
    MAX_MONTH_OFFSET,
    Frequency,
    PeriodKey,
    period_window,
)
from reports.periods import deadline as period_deadline
from reports.rendering.formatting import format_percent


class IssueFlow(models.TextChoices):
    # Today's order: the city reviews the draft, then the commune's văn thư numbers and dates it.
    REVIEW_THEN_ISSUE = "review_then_issue", "Thành phố thẩm định dự thảo, sau đó xã cấp số, ký ban hành"
    # Common practice: the commune numbers, signs and stamps the report, then sends the signed one.
    ISSUE_THEN_SEND = "issue_then_send", "Xã cấp số, ký ban hành rồi gửi báo cáo đã ký lên thành phố"


class ReportingRegimeQuerySet(models.QuerySet["ReportingRegime"]):
    def for_commune(self, commune: Commune) -> "ReportingRegimeQuerySet":
        """Active regimes the commune reports under: its province's, for all communes or naming it."""
        return (
            self.filter(province_id=commune.province_id, is_active=True)
            .filter(Q(applies_to_all=True) | Q(communes=commune))
            .distinct()
        )


class ReportingRegime(models.Model):
    """A reporting regime (chế độ báo cáo, Nghị định 09/2019 Điều 8): what, when and in which outline."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regimes", verbose_name="tỉnh, thành phố"
    )
    name = models.CharField("tên chế độ báo cáo", max_length=200)
    directive = models.CharField(
        "văn bản yêu cầu báo cáo",
        max_length=500,
        help_text="Trích dẫn đầy đủ, ví dụ: Công văn số 137/UBND-TTPVHCC ngày 23/01/2026 của UBND thành phố về việc …",
    )
    frequency = models.CharField(
        "kỳ báo cáo",
        max_length=20,
        choices=[
            (Frequency.MONTHLY, "Hằng tháng"),
            (Frequency.QUARTERLY, "Hằng quý"),
            (Frequency.HALF_YEAR, "6 tháng"),
            (Frequency.NINE_MONTHS, "9 tháng"),
            (Frequency.YEARLY, "Hằng năm"),
        ],
        default=Frequency.MONTHLY,
    )
    cutoff_day = models.PositiveSmallIntegerField(
        "ngày chốt số liệu",
        default=14,
        choices=CUTOFF_CHOICES,
        help_text="Kỳ chạy từ ngày kế tiếp ngày chốt của kỳ trước đến ngày chốt (Nghị định 09/2019: ngày 14).",
    )
    month_offset = models.PositiveSmallIntegerField(
        "số tháng lùi của kỳ quý, 6 tháng, 9 tháng, năm",
        default=0,
        choices=[(0, "Không lùi (quý I: tháng 1–3)"), (1, "Lùi 1 tháng (quý I: tháng 12–2)"), (2, "Lùi 2 tháng")],
        help_text="Một số tỉnh tính quý I từ tháng 12 năm trước đến hết tháng 02; kỳ hằng tháng không bị ảnh hưởng.",
    )
    deadline_working_days = models.PositiveSmallIntegerField("hạn gửi (số ngày làm việc sau ngày chốt)", default=2)
    subject_template = models.CharField(
        "trích yếu",
        max_length=500,
        default="Kết quả thực hiện công tác cải cách thủ tục hành chính {period_label}",
        help_text="Dòng dưới chữ BÁO CÁO; dùng các trường như {period_label}, {commune_name}, {period_start}, {period_end}.",
    )
    opening_template = models.TextField("câu mở đầu")
    closing_template = models.TextField("câu kết thúc", help_text="Kết thúc bằng “./.”.")
    include_appendix = models.BooleanField("kèm phụ lục biểu số liệu", default=False)
    issue_flow = models.CharField(
        "trình tự ban hành",
        max_length=20,
        choices=IssueFlow.choices,
        default=IssueFlow.REVIEW_THEN_ISSUE,
        help_text="Thành phố chọn: thẩm định dự thảo trước khi xã cấp số, hay xã cấp số, ký ban hành rồi mới gửi.",
    )
    allow_early_sending = models.BooleanField(
        "cho phép gửi trước khi hết kỳ",
        default=False,
        help_text="Khi chọn, xã gửi (và ban hành) được báo cáo trước ngày chốt số liệu của kỳ.",
    )
    is_active = models.BooleanField("đang áp dụng", default=True)
    # Most regimes bind every commune of the province; a pilot or a special outline names its communes.
    applies_to_all = models.BooleanField("áp dụng cho mọi xã, phường của tỉnh", default=True)
    communes = models.ManyToManyField(
        Commune,
        blank=True,
        related_name="regimes",
        verbose_name="chỉ áp dụng cho các xã, phường",
        help_text="Dùng khi bỏ chọn “áp dụng cho mọi xã, phường”.",
    )

    objects = ReportingRegimeQuerySet.as_manager()

    class Meta:
        verbose_name = "chế độ báo cáo"
        verbose_name_plural = "chế độ báo cáo"
        ordering = ["province_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cutoff_day__lte=MAX_CUTOFF_DAY) | Q(cutoff_day=END_OF_MONTH),
                name="regime_cutoff_day_range",
                violation_error_message=(
                    "Ngày chốt số liệu phải từ 1 đến 28, 31 (ngày cuối tháng), hoặc 0 nếu theo tháng dương lịch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month_offset__lte=MAX_MONTH_OFFSET),
                name="regime_month_offset_range",
                violation_error_message="Số tháng lùi của kỳ báo cáo phải từ 0 đến 2.",
            ),
            models.UniqueConstraint(fields=["province", "name"], name="regime_unique_name_per_province"),
        ]

    def __str__(self) -> str:
        return self.name

    def directive_on(self, day: date, directives: "list[RegimeDirective] | None" = None) -> str:
        """The citation of the directive in force on `day` (the latest that started by then and
        has not ended), else the regime's own `directive`."""
        rows = list(self.directives.all()) if directives is None else directives
        in_force = [
            row for row in rows if row.valid_from <= day and (row.valid_until is None or day <= row.valid_until)
        ]
        if not in_force:
            return self.directive
        return max(in_force, key=lambda row: row.valid_from).citation

    def window(self, key: PeriodKey) -> tuple[date, date]:
        """The figures window of the regime's period `key` under its current rules."""
        return period_window(key, self.cutoff_day, self.month_offset)

    def deadline_for(self, key: PeriodKey) -> date:
        return period_deadline(key, self.cutoff_day, self.deadline_working_days, self.month_offset)

    def bound_communes(self) -> "models.QuerySet[Commune]":
        """The communes that owe a report under this regime (one query when evaluated)."""
        communes = Commune.objects.filter(province_id=self.province_id)
        return communes if self.applies_to_all else communes.filter(regimes=self)


class RegimeDirective(models.Model):
    """A directive the regime's reports cite while it is in force: a period cites the one in force
    on its last day, so a 2023 report does not cite a 2026 Công văn."""

    regime = models.ForeignKey(
        ReportingRegime, on_delete=models.CASCADE, related_name="directives", verbose_name="chế độ báo cáo"
    )
    citation = models.CharField(
        "trích dẫn văn bản",
        max_length=500,
        help_text="Trích dẫn đầy đủ, ví dụ: Công văn số 137/UBND-TTPVHCC ngày 23/01/2026 của UBND thành phố về việc …",
    )
    valid_from = models.DateField("áp dụng từ ngày")
    valid_until = models.DateField("đến hết ngày", null=True, blank=True, help_text="Để trống nếu còn hiệu lực.")

    class Meta:
        verbose_name = "văn bản yêu cầu báo cáo theo thời gian"
        verbose_name_plural = "văn bản yêu cầu báo cáo theo thời gian"
        ordering = ["regime_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="directive_valid_range",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu áp dụng.",
            ),
        ]

    def __str__(self) -> str:
        return self.citation


class Target(models.Model):
    """A minimum the city sets for a rate (chỉ tiêu), e.g. online submission ≥ 60%."""

    regime = models.ForeignKey(
        ReportingRegime, on_delete=models.CASCADE, related_name="targets", verbose_name="chế độ báo cáo"
    )
    indicator = models.CharField("chỉ tiêu", max_length=60)
    minimum = models.DecimalField("mức tối thiểu (%)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [
            models.UniqueConstraint(fields=["regime", "indicator"], name="target_unique_indicator"),
            models.CheckConstraint(
                condition=Q(minimum__gte=0, minimum__lte=100),
                name="target_minimum_percent",
                violation_error_message="Chỉ tiêu phải từ 0 đến 100%.",
            ),
        ]

    def __str__(self) -> str:
        # Labelled as the city reads it ("Tỷ lệ nộp hồ sơ trực tuyến ≥ 60%"), not by its code name.
        spec = VALUE_SPEC_BY_KEY.get(self.indicator)
        label = spec.label if spec else self.indicator
        return f"{label} ≥ {format_percent(self.minimum)}"


class SectionKind(models.TextChoices):
    NARRATIVE = "narrative", "Nội dung tự viết"
    GENERATED = "generated", "Đoạn văn sinh từ số liệu"
    RESULTS_TABLE = "results_table", "Bảng số liệu kết quả giải quyết TTHC"
    DIRECTIVES = "directives", "Danh sách văn bản chỉ đạo, điều hành"


class NumberStyle(models.TextChoices):
    ROMAN = "roman", "I., II., III."
    ARABIC = "arabic", "1., 2., 3."
    NESTED = "nested", "2.1., 2.2."
    LETTER = "letter", "a), b), c)"
    DASH = "dash", "- (gạch đầu dòng)"
    NONE = "none", "Không đánh số"


class OutlineSection(models.Model):
    """One heading of a regime's outline (đề cương); the tree is ordered by `position` among siblings."""

    regime = models.ForeignKey(
        ReportingRegime, on_delete=models.CASCADE, related_name="sections", verbose_name="chế độ báo cáo"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="mục cha"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    key = models.SlugField("mã mục", max_length=60, help_text="Mã cố định, dùng trong tệp JSON và ý kiến thẩm định.")
    number_style = models.CharField(
        "kiểu đánh số", max_length=10, choices=NumberStyle.choices, default=NumberStyle.ARABIC
    )
    title = models.CharField("tiêu đề", max_length=500, blank=True)
    kind = models.CharField("loại nội dung", max_length=20, choices=SectionKind.choices, default=SectionKind.NARRATIVE)
    run_in = models.BooleanField(
        "tiêu đề liền đoạn văn",
        default=False,
        help_text="Tiêu đề và đoạn văn đầu tiên in trên cùng một dòng, ví dụ “a) Về …: nội dung”.",
    )
    template = models.TextField(
        "mẫu đoạn văn sinh từ số liệu",
        blank=True,
        help_text="Các đoạn cách nhau một dòng trống; dùng các trường số liệu trong dấu ngoặc nhọn, ví dụ {received_total}.",
    )
    default_text = models.TextField("nội dung gợi ý cho báo cáo đầu tiên", blank=True)

    class Meta:
        verbose_name = "mục đề cương"
        verbose_name_plural = "mục đề cương"
        ordering = ["regime_id", "parent_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "key"], name="section_unique_key_per_regime"),
        ]

    def __str__(self) -> str:
        return self.title or self.key


class Period(models.Model):
    """One instance of a regime (e.g. monthly 2026-05), with the window and deadline computed at creation."""

    regime = models.ForeignKey(
        ReportingRegime, on_delete=models.PROTECT, related_name="periods", verbose_name="chế độ báo cáo"
    )
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("số thứ tự kỳ trong năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    deadline = models.DateField("hạn gửi")
    # The directive in force on the period's last day (ReportingRegime.directive_on), kept up to
    # date when the regime's directives are edited; empty means the regime's own directive.
    directive = models.CharField("văn bản yêu cầu báo cáo của kỳ", max_length=500, blank=True)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["regime_id", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "year", "number"], name="period_unique_per_regime"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12),
                name="period_number_range",
                violation_error_message="Số thứ tự kỳ phải từ 1 đến 12.",
            ),
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")),
                name="period_start_before_end",
                violation_error_message="Ngày bắt đầu kỳ phải trước ngày kết thúc.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> PeriodKey:
        return PeriodKey(Frequency(self.regime.frequency), self.year, self.number)

    @property
    def label(self) -> str:
        return self.key.label()

    @property
    def slug(self) -> str:
        return self.key.slug()


class PeriodChange(models.Model):
    """History of a period's window and deadline after it was opened: a regime's new rules or a
    corrected deadline, with who did it and why (the period's old values are kept here)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="changes", verbose_name="kỳ báo cáo")
    at = models.DateTimeField("lúc", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    # [{"path": "deadline", "old": "2026-05-18", "new": "2026-05-20"}, ...]
    changes = models.JSONField("thay đổi", default=list)
    reason = models.TextField("lý do")

    class Meta:
        verbose_name = "lịch sử kỳ báo cáo"
        verbose_name_plural = "lịch sử kỳ báo cáo"
        ordering = ["period_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.period} – {self.at:%d/%m/%Y %H:%M}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    ISSUED = "issued", "Đã ban hành"


# Statuses in which the commune may still change the content.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def empty_figures() -> dict[str, Any]:
    return {"results": [], "sector_agencies": [], "directives": [], "values": {}}


class Report(models.Model):
    """One commune's report for one period of one regime."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="reports", verbose_name="xã, phường")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports", verbose_name="kỳ báo cáo")
    status = models.CharField("trạng thái", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Shapes documented in docs/report-format.md and checked by reports/figures.py.
    figures = models.JSONField("số liệu", default=empty_figures)
    narrative = models.JSONField("nội dung theo mục", default=dict)
    explanations = models.JSONField("giải trình", default=dict)
    prefilled = models.JSONField("giá trị lấy từ kỳ trước", default=list)
    # Optimistic locking: every content save must name the version it started from.
    version = models.PositiveIntegerField("phiên bản", default=1)
    # Incremented by each amendment (đính chính); earlier issued versions live in ReportVersion.
    revision = models.PositiveSmallIntegerField("lần đính chính", default=0)
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    # Who signs and who receives this report; copied from the commune's defaults into each draft.
    signer_authority = models.TextField("thẩm quyền ký", blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận; dòng cuối là “Lưu: VT, …”.")
    # Filled by the văn thư after signing (Nghị định 30/2020 Điều 15).
    number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    # Everything besides the report's own content that its issued document shows, copied when it
    # is numbered (reports/frozen.py); None while the document still follows the live settings.
    frozen = models.JSONField("nội dung cố định khi ban hành", null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người tạo",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người cập nhật",
    )
    # Status as last read from or written to the database (None when the row had no status
    # loaded); save() refuses to change a report that was issued.
    _loaded_status: str | None

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-period__year", "-period__number", "commune__name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "period"], name="report_unique_per_commune_period"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="report_number_positive",
                violation_error_message="Số văn bản phải từ 1 trở lên.",
            ),
            # An issued report carries its number and date; a draft never does. A report sent
            # or accepted carries them when its regime has the commune issue before sending.
            models.CheckConstraint(
                condition=Q(
                    status__in=["submitted", "accepted", "issued"], number__isnull=False, issued_on__isnull=False
                )
                | (~Q(status="issued") & Q(number__isnull=True, issued_on__isnull=True)),
                name="report_issued_has_number",
                violation_error_message="Báo cáo đã ban hành phải có số và ngày ban hành.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} – {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Issued reports are immutable (product.md §3.6): only an amendment, which changes the
        # status through a conditional UPDATE in reports/workflow.py, may move them on.
        if getattr(self, "_loaded_status", None) == ReportStatus.ISSUED:
            raise ValidationError("Báo cáo đã ban hành không thể sửa; hãy lập đính chính nếu cần thay đổi.")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
            raise ValidationError("Không thể xóa báo cáo đã được tiếp nhận hoặc đã ban hành.")
        return super().delete(*args, **kwargs)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(
        cls,
        db: str | None,
        field_names: Collection[str],
        values: Collection[Any],
        *,
        fetch_mode: FetchMode | None = None,
    ) -> "Report":
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class EventKind(models.TextChoices):
    CREATED = "created", "Tạo dự thảo"
    SAVED = "saved", "Lưu nội dung"
    IMPORTED = "imported", "Nhập từ tệp"
    SUBMITTED = "submitted", "Gửi báo cáo"
    RETURNED = "returned", "Trả lại"
    ACCEPTED = "accepted", "Tiếp nhận"
    ISSUED = "issued", "Cấp số, ban hành"
    SCAN_UPLOADED = "scan_uploaded", "Lưu bản ký số hóa"
    SCAN_REPLACED = "scan_replaced", "Thay bản ký số hóa"
    SCAN_CONFIRMED = "scan_confirmed", "Xác nhận bản ký số hóa"
    COMMENT_ANSWERED = "comment_answered", "Trả lời ý kiến thẩm định"
    AMENDED = "amended", "Đính chính"


class ReportEvent(models.Model):
    """Append-only history of a report: who did what and when, with the field-level changes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name="báo cáo")
    kind = models.CharField("loại", max_length=20, choices=EventKind.choices)
    at = models.DateTimeField("lúc", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    # [{"path": "values.pakn_received", "old": 0, "new": 2}, ...]
    changes = models.JSONField("thay đổi", default=list, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.at:%d/%m/%Y %H:%M}"


class Submission(models.Model):
    """A frozen copy of everything a report said when it was sent to the city."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions", verbose_name="báo cáo")
    sequence = models.PositiveSmallIntegerField("lần gửi")
    revision = models.PositiveSmallIntegerField("lần đính chính", default=0)
    submitted_at = models.DateTimeField("gửi lúc")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người gửi"
    )
    deadline = models.DateField("hạn gửi")
    on_time = models.BooleanField("đúng hạn")
    # {"figures", "narrative", "explanations", "document", "outline"}: what the reviewer saw.
    content = models.JSONField("nội dung")

    class Meta:
        verbose_name = "lần gửi báo cáo"
        verbose_name_plural = "các lần gửi báo cáo"
        ordering = ["report_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="submission_unique_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – lần {self.sequence}"


def first_submission_on_time(**lookups: Any) -> models.Subquery:
    """Whether a report's first submission was on time (NULL if never submitted), the report
    picked by Submission `lookups` such as report=OuterRef("pk"): the input of periods.is_late(),
    as one subquery so lists stay at a fixed number of queries."""
    first = Submission.objects.filter(**lookups).order_by("sequence")
    return models.Subquery(first.values("on_time")[:1])


class ReviewComment(models.Model):
    """A reviewer's comment, optionally pinned to a section or a figure, and the commune's answer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments", verbose_name="báo cáo")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="comments", verbose_name="lần gửi", null=True, blank=True
    )
    # "section:<key>", "figure:<path>" (e.g. "figure:values.pakn_received") or "" for the whole report.
    anchor = models.CharField("vị trí", max_length=200, blank=True)
    body = models.TextField("ý kiến")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người góp ý"
    )
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    answer = models.TextField("trả lời của xã", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="người trả lời",
    )
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)

    class Meta:
        verbose_name = "ý kiến thẩm định"
        verbose_name_plural = "ý kiến thẩm định"
        ordering = ["report_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class DocumentNumberCounter(models.Model):
    """The văn thư's register: the last number given per commune and calendar year (Nghị định 30 Điều 15)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="xã, phường")
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối cùng đã cấp", default=0)

    class Meta:
        verbose_name = "sổ đăng ký số văn bản"
        verbose_name_plural = "sổ đăng ký số văn bản"
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="number_counter_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.year}: {self.last_number}"


class RegisteredNumber(models.Model):
    """A number of the commune's register of outgoing documents (sổ đăng ký văn bản đi) that a
    report was issued under; kept when the report is amended or returned, since the paper
    exists. One number per commune, year and symbol (Nghị định 30/2020 Điều 15)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="xã, phường")
    year = models.PositiveSmallIntegerField("năm")
    symbol = models.CharField("ký hiệu", max_length=40)
    number = models.PositiveIntegerField("số")
    report = models.ForeignKey(
        "Report", on_delete=models.PROTECT, related_name="registered_numbers", verbose_name="báo cáo"
    )
    revision = models.PositiveSmallIntegerField("lần đính chính", default=0)
    issued_on = models.DateField("ngày ban hành")
    registered_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "số văn bản đã dùng"
        verbose_name_plural = "số văn bản đã dùng"
        ordering = ["commune_id", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "symbol", "number"],
                name="registered_number_unique",
                violation_error_message="Số văn bản này đã được dùng trong năm với cùng ký hiệu.",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="registered_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol} ({self.year})"


def signed_scan_path(instance: "SignedScan", filename: str) -> str:
    # The stored name never comes from the user: it is the content hash.
    return f"signed/{instance.report.commune_id}/{instance.report.period.year}/{instance.sha256}.pdf"


class SignedScan(models.Model):
    """The signed and stamped paper report, scanned to PDF, kept with its SHA-256."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="scans", verbose_name="báo cáo")
    revision = models.PositiveSmallIntegerField("lần đính chính", default=0)
    file = models.FileField("tệp PDF", upload_to=signed_scan_path)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người tải lên"
    )
    # A wrong file is replaced, never deleted: the old row stays in the history with the reason.
    replaced_at = models.DateTimeField("bị thay lúc", null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thay",
    )
    replacement_reason = models.TextField("lý do thay", blank=True)
    # Once the city confirms the scan it can no longer be replaced (only amended).
    confirmed_at = models.DateTimeField("thành phố xác nhận lúc", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người xác nhận",
    )

    class Meta:
        verbose_name = "bản ký số hóa"
        verbose_name_plural = "bản ký số hóa"
        ordering = ["report_id", "revision", "uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "revision"],
                condition=Q(replaced_at__isnull=True),
                name="scan_one_current_per_revision",
                violation_error_message="Mỗi lần ban hành chỉ có một bản ký đang dùng.",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def issue_number(self) -> int:
        """1 for the first issue, 2 after the first amendment: how people count ("lần 1")."""
        return self.revision + 1


def issued_document_path(instance: "IssuedDocument", filename: str) -> str:
    # Named after the content hash, in a folder of its own (apart from any render cache).
    return f"issued/{instance.report.commune_id}/{instance.sha256}.{instance.fmt}"


class IssuedDocument(models.Model):
    """The PDF or DOCX of an issued report as rendered from its frozen copy, kept byte for byte."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="issued_documents", verbose_name="báo cáo"
    )
    revision = models.PositiveSmallIntegerField("lần đính chính")
    fmt = models.CharField("định dạng", max_length=8, choices=[("pdf", "PDF"), ("docx", "DOCX")])
    file = models.FileField("tệp", upload_to=issued_document_path)
    sha256 = models.CharField("mã băm SHA-256 của tệp", max_length=64)
    # Hash of what the document shows (reports/frozen.content_hash), so a copy can be checked.
    source_sha256 = models.CharField("mã băm SHA-256 của nội dung", max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bản ban hành đã lưu"
        verbose_name_plural = "bản ban hành đã lưu"
        ordering = ["report_id", "revision", "created_at", "fmt"]
        constraints = [
            # Keyed by what it shows: a report returned and numbered again gets new files.
            models.UniqueConstraint(fields=["report", "fmt", "source_sha256"], name="issued_document_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.fmt} ({self.revision})"


class ReportVersion(models.Model):
    """An issued version kept when the report is amended (đính chính); never changed afterwards."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions", verbose_name="báo cáo")
    revision = models.PositiveSmallIntegerField("lần đính chính")
    status = models.CharField("trạng thái khi đính chính", max_length=20, choices=ReportStatus.choices)
    number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    content = models.JSONField("nội dung")
    amended_at = models.DateTimeField("đính chính lúc", auto_now_add=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người đính chính"
    )
    reason = models.TextField("lý do đính chính")

    class Meta:
        verbose_name = "phiên bản đã đính chính"
        verbose_name_plural = "phiên bản đã đính chính"
        ordering = ["report_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["report", "revision"], name="version_unique_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – phiên bản {self.revision}"


class ReminderKind(models.TextChoices):
    THREE_DAYS_BEFORE = "before_3", "Còn 3 ngày làm việc"
    ONE_DAY_BEFORE = "before_1", "Còn 1 ngày làm việc"
    DUE_TODAY = "due", "Đến hạn hôm nay"
    OVERDUE = "overdue", "Quá hạn 1 ngày"
    CITY_DIGEST = "digest", "Tổng hợp hằng ngày cho Trung tâm"
    MANUAL = "manual", "Trung tâm nhắc từ bảng tổng hợp"


class ReminderLog(models.Model):
    """What send_reminders and the Centre's reminder button have mailed, so nobody gets the same
    reminder twice a day."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", verbose_name="kỳ báo cáo")
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="xã, phường"
    )
    kind = models.CharField("loại nhắc", max_length=20, choices=ReminderKind.choices)
    sent_on = models.DateField("ngày gửi")

    class Meta:
        verbose_name = "nhắc hạn đã gửi"
        verbose_name_plural = "nhắc hạn đã gửi"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "commune", "kind", "sent_on"],
                condition=Q(commune__isnull=False),
                name="reminder_sent_once_per_commune",
            ),
            models.UniqueConstraint(
                fields=["period", "kind", "sent_on"],
                condition=Q(commune__isnull=True),
                name="reminder_digest_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on:%d/%m/%Y}"


# --- The city Centre's own report --------------------------------------------------------------


def default_centre_details(province: Province) -> dict[str, str]:
    """What a province's Centre prints until its administrator edits it (standards.md §1, ô 2)."""
    generic = province.name[: len(province.name) - len(province.short_name)].strip().lower() or "tỉnh"
    return {
        "header_parent": f"UBND {province.name.upper()}",
        "header_agency": "TRUNG TÂM PHỤC VỤ\nHÀNH CHÍNH CÔNG",
        "name_in_text": f"Trung tâm Phục vụ hành chính công {generic}",
        "place_name": province.short_name,
        "recipients": f"Ủy ban nhân dân {generic} (để báo cáo)\nVăn phòng UBND {generic}\nLưu: VT, TTPVHCC",
    }


class CityCentre(models.Model):
    """How the province's Public Administrative Service Centre names and signs its own documents."""

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, primary_key=True, related_name="centre", verbose_name="tỉnh, thành phố"
    )
    header_parent = models.CharField(
        "cơ quan chủ quản", max_length=200, help_text="Ví dụ: UBND THÀNH PHỐ HẢI PHÒNG (in thường, không đậm)."
    )
    header_agency = models.TextField(
        "tên cơ quan ban hành", help_text="Mỗi dòng một dòng chữ, ví dụ: TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG."
    )
    name_in_text = models.CharField(
        "tên trong câu văn", max_length=200, help_text="Ví dụ: Trung tâm Phục vụ hành chính công thành phố."
    )
    place_name = models.CharField("địa danh ghi ở dòng ngày tháng", max_length=100)
    document_symbol = models.CharField("ký hiệu văn bản", max_length=40, default="BC-TTPVHCC")
    signer_authority = models.TextField("thẩm quyền ký", blank=True, default="KT. GIÁM ĐỐC")
    signer_position = models.CharField("chức vụ người ký", max_length=100, default="PHÓ GIÁM ĐỐC")
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    recipients = models.TextField(
        "nơi nhận", help_text="Mỗi dòng một nơi nhận, không cần gạch đầu dòng; dòng cuối là “Lưu: VT, …”."
    )

    class Meta:
        verbose_name = "Trung tâm Phục vụ hành chính công"
        verbose_name_plural = "Trung tâm Phục vụ hành chính công"

    def __str__(self) -> str:
        return self.name_in_text


# What the Centre's documents print of CityCentre; frozen with an issued report.
CENTRE_DOCUMENT_FIELDS = (
    "header_parent",
    "header_agency",
    "name_in_text",
    "place_name",
    "document_symbol",
    "signer_authority",
    "signer_position",
    "signer_name",
    "recipients",
)


class CityReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class CityReportBasis(models.TextChoices):
    # The same choice as the city totals screen (reports/queries/city.py, Basis).
    SENT = "sent", "Tất cả báo cáo đã gửi"
    ACCEPTED = "accepted", "Chỉ báo cáo đã tiếp nhận"


class CityReport(models.Model):
    """The Centre's report to the People's Committee on one period: its own text, and, once
    issued, everything it printed (`content`), so later changes in the communes' reports never
    change an issued document."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="city_reports", verbose_name="tỉnh, thành phố"
    )
    period = models.OneToOneField(
        Period, on_delete=models.PROTECT, related_name="city_report", verbose_name="kỳ báo cáo"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=CityReportStatus.choices, default=CityReportStatus.DRAFT
    )
    basis = models.CharField(
        "số liệu tổng hợp từ", max_length=20, choices=CityReportBasis.choices, default=CityReportBasis.SENT
    )
    # {section key: text}; the keys are the free-text sections of reports/city_report.py.
    narrative = models.JSONField("nội dung theo mục", default=dict, blank=True)
    content = models.JSONField("nội dung đã ban hành", null=True, blank=True)
    # Optimistic locking: every save names the version it started from.
    version = models.PositiveIntegerField("phiên bản", default=1)
    number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người tạo"
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người cập nhật"
    )

    class Meta:
        verbose_name = "báo cáo của Trung tâm"
        verbose_name_plural = "báo cáo của Trung tâm"
        ordering = ["-period__year", "-period__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="city_report_number_positive",
                violation_error_message="Số văn bản phải từ 1 trở lên.",
            ),
            models.CheckConstraint(
                condition=Q(status="issued", number__isnull=False, issued_on__isnull=False, content__isnull=False)
                | (~Q(status="issued") & Q(number__isnull=True, issued_on__isnull=True)),
                name="city_report_issued_has_number",
                violation_error_message="Báo cáo đã ban hành phải có số và ngày ban hành.",
            ),
            # The Centre's register: one number per year (NĐ 30/2020 Điều 15, counted from 01/01).
            models.UniqueConstraint(
                "province",
                ExtractYear("issued_on"),
                "number",
                name="city_report_number_unique_per_year",
                violation_error_message="Số văn bản này đã được dùng trong năm.",
            ),
        ]

    def __str__(self) -> str:
        return f"Báo cáo của Trung tâm – {self.period}"

    @property
    def is_issued(self) -> bool:
        return self.status == CityReportStatus.ISSUED


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    READY = "ready", "Sẵn sàng"
    FAILED = "failed", "Lỗi"


def period_export_path(instance: "PeriodExport", filename: str) -> str:
    return f"exports/{instance.period_id}/{instance.fingerprint}.zip"


class PeriodExport(models.Model):
    """Every report of a period in one ZIP, built by a background task (reports/period_files.py).

    One row per period and fingerprint of the period's reports: while no report changes, every
    request finds the same row (and its file); once one changes, the next request builds a new one.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="exports", verbose_name="kỳ báo cáo")
    fingerprint = models.CharField("dấu vân tay nội dung", max_length=64)
    status = models.CharField("trạng thái", max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField("số tệp đã xong", default=0)
    total = models.PositiveIntegerField("tổng số tệp", default=0)
    file = models.FileField("tệp ZIP", upload_to=period_export_path, blank=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)", default=0)
    notes = models.TextField("ghi chú", blank=True)
    error = models.TextField("lỗi", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người yêu cầu",
    )
    requested_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tệp ZIP báo cáo của kỳ"
        verbose_name_plural = "tệp ZIP báo cáo của kỳ"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "fingerprint"], name="period_export_unique_fingerprint"),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")),
                name="period_export_done_within_total",
                violation_error_message="Số tệp đã xong không thể vượt tổng số tệp.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.get_status_display()}"
