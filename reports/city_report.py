"""The Centre's own report on a period: its free-text sections, saving them, and issuing it.

Writes follow reports/workflow.py: a save names the version it started from and claims the row
with a conditional UPDATE (two editors never silently overwrite each other); issuing claims the
draft, takes its number from the Centre's register under a row lock and freezes everything the
document prints, so an issued report never changes (product.md §3.6).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reports.models import CityCentre, CityReport, CityReportBasis, CityReportStatus, Period, default_centre_details
from reports.queries.city_report import city_report_data
from reports.text import char_problem, length_problem, normalise_text

MAX_SECTION_LENGTH = 20_000


@dataclass(frozen=True)
class TextSection:
    """A part of the report the Centre writes itself."""

    key: str
    label: str
    help_text: str


# In the order the document prints them; the first two follow the generated paragraphs of
# sections I and II, the others are sections III-V (reports/rendering/document.py).
TEXT_SECTIONS: tuple[TextSection, ...] = (
    TextSection(
        "submission_note",
        "Nhận xét về tình hình gửi báo cáo (sau mục I)",
        "Ví dụ: đơn vị nào cần chấn chỉnh, lý do chậm gửi.",
    ),
    TextSection(
        "results_note",
        "Nhận xét về kết quả giải quyết TTHC (sau mục II)",
        "Ví dụ: lĩnh vực có nhiều hồ sơ quá hạn, nguyên nhân.",
    ),
    TextSection("assessment", "III. Đánh giá chung", "Kết quả đạt được; tồn tại, hạn chế và nguyên nhân."),
    TextSection("next_tasks", "IV. Nhiệm vụ trọng tâm kỳ tới", ""),
    TextSection("proposals", "V. Đề xuất, kiến nghị", "Đề xuất với Ủy ban nhân dân thành phố."),
)
TEXT_SECTION_KEYS = tuple(section.key for section in TEXT_SECTIONS)

CONFLICT_MESSAGE = (
    "Báo cáo vừa được người khác lưu. Hãy tải lại trang để xem nội dung mới nhất rồi sửa tiếp; "
    "nội dung bạn vừa nhập chưa được lưu."
)
ISSUED_MESSAGE = "Báo cáo của Trung tâm đã ban hành, không thể sửa."


def clean_section_text(text: str, *, label: str) -> str:
    """NFC with LF line breaks, trimmed, under the character rules every stored text follows."""
    text = normalise_text(text or "").strip()
    problem = char_problem(text) or length_problem(text, MAX_SECTION_LENGTH)
    if problem is not None:
        raise ValidationError(f"{label}: {problem}")
    return text


def _clean_narrative(narrative: Mapping[str, str]) -> dict[str, str]:
    cleaned = {}
    for section in TEXT_SECTIONS:
        text = clean_section_text(narrative.get(section.key, ""), label=section.label)
        if text:
            cleaned[section.key] = text
    return cleaned


@transaction.atomic
def save_city_report(period: Period, *, by: User, basis: str, narrative: Mapping[str, str], version: int) -> CityReport:
    """Create or update the draft of `period`'s Centre report. `version` is the one the editor
    started from (0 when there was no report yet); a later save by someone else is refused."""
    if basis not in CityReportBasis.values:
        raise ValidationError("Nguồn số liệu tổng hợp không hợp lệ.")
    cleaned = _clean_narrative(narrative)
    now = timezone.now()
    existing = CityReport.objects.filter(period=period).first()
    if existing is None:
        if version != 0:
            raise ValidationError(CONFLICT_MESSAGE)
        try:
            with transaction.atomic():
                return CityReport.objects.create(
                    province_id=period.regime.province_id,
                    period=period,
                    basis=basis,
                    narrative=cleaned,
                    created_by=by,
                    updated_by=by,
                )
        except IntegrityError:
            # Another editor created it between our read and our insert.
            raise ValidationError(CONFLICT_MESSAGE) from None
    updated = CityReport.objects.filter(pk=existing.pk, version=version, status=CityReportStatus.DRAFT).update(
        basis=basis, narrative=cleaned, version=F("version") + 1, updated_by=by, updated_at=now
    )
    if updated != 1:
        existing.refresh_from_db(fields=["status"])
        raise ValidationError(ISSUED_MESSAGE if existing.is_issued else CONFLICT_MESSAGE)
    existing.refresh_from_db()
    return existing


def _locked_centre(period: Period) -> CityCentre:
    """The province's Centre row, locked: issuing is serialised per province, so two reports
    cannot take the same number (SQLite serialises write transactions anyway)."""
    province = period.regime.province
    try:
        with transaction.atomic():
            CityCentre.objects.get_or_create(province=province, defaults=default_centre_details(province))
    except IntegrityError:
        pass  # created by a concurrent request; the locked read below sees it
    return CityCentre.objects.select_for_update().get(province=province)


@transaction.atomic
def issue_city_report(period: Period, *, by: User, number: int, issued_on: date) -> CityReport:
    """Give the draft the number the văn thư entered and its date, and freeze its content."""
    city_report = CityReport.objects.filter(period=period).first()
    if city_report is None:
        raise ValidationError("Hãy lưu báo cáo trước khi cấp số.")
    if city_report.is_issued:
        raise ValidationError("Báo cáo của Trung tâm đã được cấp số.")
    if number < 1:
        raise ValidationError("Số văn bản phải từ 1 trở lên.")
    if issued_on > timezone.localdate():
        raise ValidationError("Ngày ban hành không được sau ngày hôm nay.")
    if issued_on < period.end:
        raise ValidationError("Ngày ban hành không được trước ngày kết thúc kỳ báo cáo.")
    centre = _locked_centre(period)
    taken = CityReport.objects.filter(
        province_id=period.regime.province_id, issued_on__year=issued_on.year, number=number
    ).exists()
    if taken:
        raise ValidationError(f"Số {number:02d}/{centre.document_symbol} đã được dùng trong năm {issued_on.year}.")
    content = city_report_data(period, basis=city_report.basis, centre=centre).to_json()
    try:
        with transaction.atomic():
            updated = CityReport.objects.filter(pk=city_report.pk, status=CityReportStatus.DRAFT).update(
                status=CityReportStatus.ISSUED,
                number=number,
                issued_on=issued_on,
                content=content,
                version=F("version") + 1,
                updated_by=by,
                updated_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(f"Số {number:02d}/{centre.document_symbol} đã được dùng trong năm.") from None
    if updated != 1:
        raise ValidationError("Báo cáo của Trung tâm đã được cấp số.")
    city_report.refresh_from_db()
    return city_report
