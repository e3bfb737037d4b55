"""Reporting regimes, their outlines and periods, and the commune reports themselves.

A report's figures and narrative are JSON documents whose shape and rules live in
reports/figures.py (figures) and reports/outline.py (narrative keyed by section).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from communes.models import Commune, Province
from reports.periods import Frequency, PeriodKey


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
        help_text="1–28: kỳ chạy từ ngày kế tiếp của kỳ trước đến ngày này (Nghị định 09/2019: ngày 14). 0: theo tháng dương lịch.",
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
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "chế độ báo cáo"
        verbose_name_plural = "chế độ báo cáo"
        ordering = ["province_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cutoff_day__lte=28),
                name="regime_cutoff_day_range",
                violation_error_message="Ngày chốt số liệu phải từ 1 đến 28, hoặc 0 nếu theo tháng dương lịch.",
            ),
            models.UniqueConstraint(fields=["province", "name"], name="regime_unique_name_per_province"),
        ]

    def __str__(self) -> str:
        return self.name


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
        return f"{self.indicator} ≥ {self.minimum}%"


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


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    ISSUED = "issued", "Đã ban hành"


# Statuses in which the commune may still change the content.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def empty_figures() -> dict:
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
    # Who signs and who receives this report; copied from the commune's defaults into each draft.
    signer_authority = models.TextField("thẩm quyền ký", blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận; dòng cuối là “Lưu: VT, …”.")
    # Filled by the văn thư after signing (Nghị định 30/2020 Điều 15).
    number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.commune} – {self.period}"

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
    ISSUED = "issued", "Ban hành"
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
