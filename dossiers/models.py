"""Dossier lists exported by the TTHC systems, their imports, saved column mappings, and which
report figures were computed from them.

Dossiers belong to a commune, not to a period: a period's figures are computed over its window
(dossiers/computation.py and dossiers/aggregation.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from communes.models import Commune
from reports.models import Report


class SourceKind(models.TextChoices):
    # Same values as reports.figures.SourceKind, so a computed results row carries its kind as is.
    CITY = "city", "Hệ thống của thành phố"
    MINISTRY = "ministry", "Hệ thống của bộ, ngành"


class Channel(models.TextChoices):
    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Dịch vụ bưu chính công ích"


class Authority(models.TextChoices):
    OWN = "own", "Thuộc thẩm quyền của xã"
    OTHER = "other", "Thẩm quyền cấp khác, tiếp nhận tại xã"


class DossierImport(models.Model):
    """One file of dossiers imported for a commune from one source system."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="dossier_imports", verbose_name="xã, phường"
    )
    source_system = models.CharField("hệ thống nguồn", max_length=200)
    source_kind = models.CharField("loại hệ thống", max_length=20, choices=SourceKind.choices)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    rows = models.PositiveIntegerField("số dòng")
    created = models.PositiveIntegerField("số hồ sơ mới")
    updated = models.PositiveIntegerField("số hồ sơ cập nhật")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    imported_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập danh sách hồ sơ"
        verbose_name_plural = "lần nhập danh sách hồ sơ"
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows=F("created") + F("updated")),
                name="dossier_import_counts_add_up",
                violation_error_message="Số dòng phải bằng số hồ sơ mới cộng số hồ sơ cập nhật.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source_system})"


class Dossier(models.Model):
    """One dossier (hồ sơ TTHC) as the source system lists it; re-imports update it in place."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="dossiers", verbose_name="xã, phường")
    source_system = models.CharField("hệ thống nguồn", max_length=200)
    source_kind = models.CharField("loại hệ thống", max_length=20, choices=SourceKind.choices)
    code = models.CharField("mã hồ sơ", max_length=100)
    procedure_name = models.CharField("tên thủ tục", max_length=1000)
    procedure_code = models.CharField("mã thủ tục", max_length=100, blank=True)
    field = models.CharField("lĩnh vực", max_length=300, blank=True)
    authority = models.CharField("thẩm quyền", max_length=10, choices=Authority.choices, default=Authority.OWN)
    channel = models.CharField("hình thức nộp", max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField("ngày tiếp nhận")
    due_at = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    finished_at = models.DateTimeField("ngày hoàn thành", null=True, blank=True)
    result_returned_at = models.DateTimeField("ngày trả kết quả", null=True, blank=True)
    # Returned to the applicant or withdrawn (trả lại, rút hồ sơ); such a dossier is never "finished".
    withdrawn_at = models.DateTimeField("ngày trả lại, rút hồ sơ", null=True, blank=True)
    input_digitised = models.BooleanField("số hóa thành phần hồ sơ", default=False)
    result_electronic = models.BooleanField("có kết quả điện tử", default=False)
    data_reused = models.BooleanField("tái sử dụng dữ liệu số hóa", default=False)
    fee_bearing = models.BooleanField("có phí, lệ phí", default=False)
    paid_online = models.BooleanField("thanh toán trực tuyến", default=False)
    last_import = models.ForeignKey(
        DossierImport, on_delete=models.PROTECT, related_name="dossiers", verbose_name="lần nhập gần nhất"
    )

    class Meta:
        verbose_name = "hồ sơ TTHC"
        verbose_name_plural = "hồ sơ TTHC"
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["commune", "received_at"], name="dossier_commune_received")]
        constraints = [
            models.UniqueConstraint(fields=["commune", "source_system", "code"], name="dossier_unique_code_per_source"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("received_at")),
                name="dossier_finished_after_received",
                violation_error_message="Ngày hoàn thành không được trước ngày tiếp nhận.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("received_at")),
                name="dossier_withdrawn_after_received",
                violation_error_message="Ngày trả lại, rút hồ sơ không được trước ngày tiếp nhận.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(finished_at__isnull=True),
                name="dossier_not_both_finished_and_withdrawn",
                violation_error_message="Hồ sơ đã trả lại, rút không thể đồng thời có ngày hoàn thành.",
            ),
            models.CheckConstraint(
                condition=Q(paid_online=False) | Q(fee_bearing=True),
                name="dossier_paid_online_needs_fee",
                violation_error_message="Chỉ hồ sơ có phí, lệ phí mới thanh toán trực tuyến.",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ColumnMapping(models.Model):
    """How a commune's file from one source system names the columns; matched once, reused."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="dossier_mappings", verbose_name="xã, phường"
    )
    source_system = models.CharField("hệ thống nguồn", max_length=200)
    # {field name of docs/dossier-format.md: header as written in the file}
    columns = models.JSONField("cột tương ứng", default=dict)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "cách đọc cột tệp hồ sơ"
        verbose_name_plural = "cách đọc cột tệp hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["commune", "source_system"], name="column_mapping_unique_per_source")
        ]

    def __str__(self) -> str:
        return self.source_system


class ComputedFigures(models.Model):
    """Which figures of a report were last computed from dossiers, their values then and the imports used.

    A figure counts as computed while the report still holds the value stored here; once someone
    types another value it is typed again (dossiers/provenance.py).
    """

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="computed_figures", verbose_name="báo cáo"
    )
    # {"figures.results.0.online": 63, "figures.values.payments_online": 12, ...}
    values = models.JSONField("giá trị đã tính", default=dict)
    # {"figures.results.0.online": {"source": "...", "figure": "received_online"}} to list the dossiers behind.
    origins = models.JSONField("nguồn của từng giá trị", default=dict)
    imports = models.ManyToManyField(DossierImport, related_name="+", verbose_name="các lần nhập đã dùng")
    computed_at = models.DateTimeField("tính lúc")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người tính",
    )

    class Meta:
        verbose_name = "số liệu tính từ danh sách hồ sơ"
        verbose_name_plural = "số liệu tính từ danh sách hồ sơ"

    def __str__(self) -> str:
        return str(self.report)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang nhập"
    DONE = "done", "Đã nhập xong"
    FAILED = "failed", "Không nhập được"


class DossierImportJob(models.Model):
    """A file too large to import within a page request, imported by the background worker
    (dossiers/tasks.py) with its progress; all or nothing as on the page."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="dossier_import_jobs", verbose_name="xã, phường"
    )
    source_system = models.CharField("hệ thống nguồn", max_length=200)
    source_kind = models.CharField("loại hệ thống", max_length=20, choices=SourceKind.choices)
    file_name = models.CharField("tên tệp", max_length=255)
    # The uploaded file waits in dossiers/staging.py under its SHA-256.
    token = models.CharField("mã tệp tạm", max_length=64)
    status = models.CharField("trạng thái", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("số dòng đã đọc", default=0)
    total = models.PositiveIntegerField("tổng số dòng", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)
    result = models.ForeignKey(
        DossierImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="lần nhập"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    requested_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập chạy nền"
        verbose_name_plural = "lần nhập chạy nền"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
