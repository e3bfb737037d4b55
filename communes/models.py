from django.conf import settings
from django.db import models
from django.db.models import Q

from communes import naming
from reports.text import nfc


class Province(models.Model):
    code = models.PositiveIntegerField("mã", primary_key=True)
    name = models.CharField("tên", max_length=100)
    kind = models.CharField("loại", max_length=40)
    # Page margins of the printed report, in millimetres, within the ranges of
    # Nghị định 30/2020 Phụ lục I (standards.md §1, §3.1); defaults from standards.md §10.
    margin_top_mm = models.PositiveSmallIntegerField("lề trên (mm)", default=20)
    margin_bottom_mm = models.PositiveSmallIntegerField("lề dưới (mm)", default=20)
    margin_left_mm = models.PositiveSmallIntegerField("lề trái (mm)", default=30)
    margin_right_mm = models.PositiveSmallIntegerField("lề phải (mm)", default=15)

    class Meta:
        verbose_name = "tỉnh, thành phố"
        verbose_name_plural = "tỉnh, thành phố"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(margin_top_mm__gte=20, margin_top_mm__lte=25),
                name="province_margin_top_legal",
                violation_error_message="Lề trên phải từ 20 đến 25 mm (Nghị định 30/2020).",
            ),
            models.CheckConstraint(
                condition=Q(margin_bottom_mm__gte=20, margin_bottom_mm__lte=25),
                name="province_margin_bottom_legal",
                violation_error_message="Lề dưới phải từ 20 đến 25 mm (Nghị định 30/2020).",
            ),
            models.CheckConstraint(
                condition=Q(margin_left_mm__gte=30, margin_left_mm__lte=35),
                name="province_margin_left_legal",
                violation_error_message="Lề trái phải từ 30 đến 35 mm (Nghị định 30/2020).",
            ),
            models.CheckConstraint(
                condition=Q(margin_right_mm__gte=15, margin_right_mm__lte=20),
                name="province_margin_right_legal",
                violation_error_message="Lề phải phải từ 15 đến 20 mm (Nghị định 30/2020).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return naming.short_province_name(self.name)


class CommuneKind(models.TextChoices):
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    DAC_KHU = "dac_khu", "Đặc khu"


class CommuneQuerySet(models.QuerySet["Commune"]):
    def matching(self, text: str) -> "CommuneQuerySet":
        """Communes whose name contains `text`, ignoring case and Unicode normal form.

        SQLite folds the case of ASCII letters only, so "đông hải" would miss "Xã Đông Hải";
        names are written in title case, so trying the text as typed, in lower case and in
        title case covers whole words and fragments on SQLite as on PostgreSQL.
        """
        text = nfc(text)
        variants = {text, text.lower(), text.title()}
        condition = Q()
        for variant in variants:
            condition |= Q(name__icontains=variant)
        return self.filter(condition)


class Commune(models.Model):
    code = models.PositiveIntegerField("mã", primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name="tỉnh, thành phố"
    )
    name = models.CharField("tên", max_length=100)
    kind = models.CharField("loại", max_length=10, choices=CommuneKind.choices)
    # What the commune's documents print; derived from the name on loading, editable in the admin.
    header_parent = models.CharField(
        "cơ quan chủ quản (nếu có)", max_length=200, blank=True, help_text="Thường để trống đối với UBND cấp xã."
    )
    header_agency = models.TextField(
        "tên cơ quan ban hành", help_text="Mỗi dòng một dòng chữ, ví dụ: ỦY BAN NHÂN DÂN / XÃ HÙNG THẮNG."
    )
    place_name = models.CharField("địa danh ghi ở dòng ngày tháng", max_length=100)
    document_symbol = models.CharField("ký hiệu văn bản", max_length=40, default="BC-UBND")
    signer_authority = models.TextField(
        "thẩm quyền ký", default="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", help_text="Mỗi dòng một dòng chữ."
    )
    signer_position = models.CharField("chức vụ người ký", max_length=100, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    recipients = models.TextField(
        "nơi nhận",
        default="Trung tâm Phục vụ hành chính công thành phố\nCT, các PCT UBND xã\nLưu: VT, TTPVHCC",
        help_text="Mỗi dòng một nơi nhận, không cần gạch đầu dòng và dấu chấm phẩy; dòng cuối là “Lưu: VT, …”.",
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "xã, phường, đặc khu"
        verbose_name_plural = "xã, phường, đặc khu"
        ordering = ["province_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return naming.short_commune_name(self.name)

    @property
    def kind_word(self) -> str:
        """Lower-case division noun for running text: "xã", "phường", "đặc khu"."""
        return self.get_kind_display().lower()

    @property
    def name_in_text(self) -> str:
        """ "xã Hùng Thắng", "phường 1": lower-case unit noun before a proper name (standards.md §3.10)."""
        return f"{self.kind_word} {naming.proper_name(self.name)}"


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", "Cán bộ xã"
    COMMUNE_LEADER = "commune_leader", "Lãnh đạo UBND xã"
    CITY_REVIEWER = "city_reviewer", "Chuyên viên Trung tâm PVHCC thành phố"
    CITY_ADMIN = "city_admin", "Quản trị viên thành phố"


COMMUNE_ROLES = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
CITY_ROLES = (Role.CITY_REVIEWER, Role.CITY_ADMIN)


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="người dùng"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name="xã, phường"
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="tỉnh, thành phố",
    )
    can_submit = models.BooleanField(
        "được gửi báo cáo", default=False, help_text="Cán bộ xã được lãnh đạo cho phép gửi báo cáo lên thành phố."
    )

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=COMMUNE_ROLES, commune__isnull=False, province__isnull=True)
                    | Q(role__in=CITY_ROLES, commune__isnull=True, province__isnull=False)
                ),
                name="membership_scope_matches_role",
                violation_error_message="Vai trò cấp xã phải gắn với một xã; vai trò cấp thành phố phải gắn với một tỉnh, thành phố.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_commune_role(self) -> bool:
        return self.role in COMMUNE_ROLES
