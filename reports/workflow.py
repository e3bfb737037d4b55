"""The life of a report after drafting: submit, return, accept, issue, archive the signed scan, amend.

Each transition claims the row with a conditional UPDATE on its current status, so two clicks or
two reviewers cannot both win (house-style 7.5); the loser gets a ValidationError. Permission is
decided by communes/access.py before these functions are called.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from pypdf import PdfReader

from communes.models import Commune
from reports import figures as figures_module
from reports import frozen, notifications, services
from reports.exchange import export_report_data
from reports.models import (
    EDITABLE_STATUSES,
    DocumentNumberCounter,
    EventKind,
    IssueFlow,
    RegisteredNumber,
    Report,
    ReportStatus,
    ReportVersion,
    ReviewComment,
    SignedScan,
    Submission,
)
from reports.periods import is_late
from reports.rendering.formatting import document_number, format_date
from reports.text import nfc, normalise_text, validate_text

MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_COMMENT_LENGTH = 5000
# The register restarts every year; no commune issues anywhere near this many documents.
MAX_DOCUMENT_NUMBER = 99999


class AlreadyDone(ValidationError):
    """The transition asked for has already happened (a double click, a form sent twice): the
    view shows it as done, so a repeated POST never reads as a failure, with or without JavaScript."""


def content_snapshot(report: Report) -> dict[str, Any]:
    """Everything the report says, in the exchange format (figures, narrative, outline, signer)."""
    return export_report_data(report)


def _claim(report: Report, *, from_statuses: tuple[str, ...], to_status: str, **fields: object) -> None:
    """Move the row on only if it is still in one of `from_statuses`; refuse otherwise."""
    updated = Report.objects.filter(pk=report.pk, status__in=from_statuses).update(
        status=to_status, version=F("version") + 1, **fields
    )
    if updated != 1:
        current = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
        label = ReportStatus(current).label if current else "không còn tồn tại"
        raise ValidationError(f"Thao tác không thực hiện được: báo cáo đang ở trạng thái “{label}”.")
    report.refresh_from_db()


def _locked_status(report: Report) -> str:
    """The row's status under a lock, so of two identical requests the second sees the first's result."""
    return str(Report.objects.select_for_update().values_list("status", flat=True).get(pk=report.pk))


def _prerender_after_commit(report: Report) -> None:
    # The report's PDF is drawn by a worker once the transition is committed; if the queue is
    # unreachable the first download draws it instead.
    if not settings.PRERENDER_SENT_REPORTS:
        return
    # Imported here: reports.tasks imports period_files, which imports this module.
    from reports.tasks import prerender_report_pdf

    report_id = report.pk
    transaction.on_commit(lambda: prerender_report_pdf.enqueue(report_id), robust=True)


def _notify_after_commit(report: Report, template: str, *, to_city: bool, extra: dict[str, Any] | None = None) -> None:
    # robust=True: a mail server that is down is logged and must not turn a committed
    # transition into an error page.
    transaction.on_commit(
        lambda: notifications.notify_report(report, template, to_city=to_city, extra=extra), robust=True
    )


@transaction.atomic
def submit_report(report: Report, *, by: User) -> Submission:
    """Freeze the content, stamp it on time or late, and hand it to the city."""
    # Check the rules on the row as stored, locked, so a save landing between the check and the
    # claim cannot slip figures past them (SQLite serialises write transactions anyway).
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.SUBMITTED and locked.submitted_at is not None:
        sent = timezone.localtime(locked.submitted_at)
        raise AlreadyDone(f"Báo cáo đã được gửi lên thành phố lúc {sent:%H:%M ngày %d/%m/%Y}.")
    if report.period.regime.issue_flow == IssueFlow.ISSUE_THEN_SEND:
        raise ValidationError(
            "Chế độ báo cáo này yêu cầu xã cấp số, ký ban hành trước khi gửi: hãy dùng “Cấp số, ký và gửi”."
        )
    _check_sendable(locked, report)
    now = timezone.now()
    _claim(report, from_statuses=EDITABLE_STATUSES, to_status=ReportStatus.SUBMITTED, submitted_at=now)
    return _record_submission(report, by=by, now=now)


def _check_sendable(locked: Report, report: Report) -> None:
    """The rules every sending obeys: an editable report, figures that pass, and a period that
    has ended unless the regime allows early sending."""
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError("Chỉ gửi được báo cáo đang là dự thảo hoặc bị trả lại.")
    period = report.period
    # The cut-off day itself counts as the period's end: its figures are final that afternoon.
    if not period.regime.allow_early_sending and timezone.localdate() < period.end:
        raise ValidationError(
            f"Kỳ báo cáo {period.label} chốt số liệu ngày {format_date(period.end)}; chế độ báo cáo này không cho "
            f"gửi trước khi hết kỳ (gửi được từ ngày {format_date(period.end)})."
        )
    findings = services.submission_findings(locked)
    blocking = figures_module.unresolved_findings(findings, locked.explanations or {})
    if blocking:
        raise ValidationError([finding.message for finding in blocking])


def _record_submission(report: Report, *, by: User, now: datetime) -> Submission:
    sequence = report.submissions.count() + 1
    submission = Submission.objects.create(
        report=report,
        sequence=sequence,
        revision=report.revision,
        submitted_at=now,
        submitted_by=by,
        deadline=report.period.deadline,
        # Sent now, this is on time exactly when an unsent report would not yet be late.
        on_time=not is_late(report.period.deadline, today=timezone.localdate(now), first_on_time=None),
        content=content_snapshot(report),
    )
    note = "Gửi đúng hạn." if submission.on_time else "Gửi quá hạn."
    services.record_event(report, kind=EventKind.SUBMITTED, by=by, note=f"Lần gửi thứ {sequence}. {note}")
    _notify_after_commit(report, "submitted", to_city=True, extra={"submission": submission})
    _prerender_after_commit(report)
    return submission


@dataclass(frozen=True)
class CommentInput:
    anchor: str
    body: str


def _nfc(text: str) -> str:
    """A reviewer's text as stored: NFC (house-style 7.8), LF, trimmed; refused with a forbidden character."""
    cleaned = normalise_text(text or "").strip()
    validate_text(cleaned)
    return cleaned


def _clean_comments(comments: list[CommentInput]) -> list[CommentInput]:
    cleaned = []
    for comment in comments:
        body = _nfc(comment.body)
        if not body:
            continue
        if len(body) > MAX_COMMENT_LENGTH:
            raise ValidationError(f"Mỗi ý kiến dài tối đa {MAX_COMMENT_LENGTH} ký tự.")
        cleaned.append(CommentInput(anchor=comment.anchor.strip()[:200], body=body))
    return cleaned


@transaction.atomic
def return_report(report: Report, *, by: User, reason: str, comments: list[CommentInput] | None = None) -> Report:
    """Send a submitted report back to the commune; a reason is mandatory."""
    reason = _nfc(reason)
    if not reason:
        raise ValidationError("Phải nêu lý do trả lại báo cáo.")
    cleaned = _clean_comments(comments or [])
    if _locked_status(report) == ReportStatus.RETURNED:
        raise AlreadyDone("Báo cáo đã được trả lại cho xã.")
    withdrawn = Report.objects.filter(pk=report.pk).values_list("number", "issued_on").first()
    # A returned report is edited again, so it cannot keep a number: the signed paper stays in the
    # register (RegisteredNumber) and the commune issues the corrected report under a new number.
    _claim(
        report,
        from_statuses=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.RETURNED,
        number=None,
        issued_on=None,
        frozen=None,
    )
    if withdrawn is not None and withdrawn[0] is not None:
        reason = (
            f"{reason} (Văn bản số {withdrawn[0]:02d}, ngày {format_date(withdrawn[1], pad=True)} đã ban hành vẫn giữ trong sổ "
            "đăng ký; báo cáo sửa lại sẽ được cấp số mới.)"
        )
    submission = report.submissions.order_by("-sequence").first()
    created = ReviewComment.objects.bulk_create(
        [ReviewComment(report=report, submission=submission, anchor=c.anchor, body=c.body, author=by) for c in cleaned]
    )
    services.record_event(report, kind=EventKind.RETURNED, by=by, note=reason)
    _notify_after_commit(report, "returned", to_city=False, extra={"reason": reason, "comments": created})
    return report


@transaction.atomic
def accept_report(report: Report, *, by: User) -> Report:
    """Accept a sent report; one the commune already numbered and signed is issued by accepting it."""
    if _locked_status(report) in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
        raise AlreadyDone("Báo cáo đã được tiếp nhận.")
    numbered = Report.objects.filter(pk=report.pk, number__isnull=False).exists()
    to_status = ReportStatus.ISSUED if numbered else ReportStatus.ACCEPTED
    _claim(report, from_statuses=(ReportStatus.SUBMITTED,), to_status=to_status, accepted_at=timezone.now())
    services.record_event(report, kind=EventKind.ACCEPTED, by=by)
    _notify_after_commit(report, "accepted", to_city=False)
    _prerender_after_commit(report)
    return report


@transaction.atomic
def answer_comment(comment: ReviewComment, *, by: User, answer: str) -> ReviewComment:
    """The commune answers a reviewer's comment, once, while the report is back with it."""
    answer = _nfc(answer)
    if not answer:
        raise ValidationError("Nội dung trả lời không được để trống.")
    if len(answer) > MAX_COMMENT_LENGTH:
        raise ValidationError(f"Nội dung trả lời dài tối đa {MAX_COMMENT_LENGTH} ký tự.")
    now = timezone.now()
    # Claim the comment: still unanswered and its report still with the commune. An answer is
    # part of the history, so it is never overwritten.
    updated = ReviewComment.objects.filter(
        pk=comment.pk, answered_at__isnull=True, report__status__in=EDITABLE_STATUSES
    ).update(answer=answer, answered_by=by, answered_at=now)
    if updated != 1:
        stored = ReviewComment.objects.select_related("report").get(pk=comment.pk)
        if stored.answered_at is not None:
            raise ValidationError("Ý kiến này đã được trả lời; nội dung trả lời được lưu trong lịch sử.")
        raise ValidationError("Chỉ trả lời ý kiến khi báo cáo đang được chỉnh sửa.")
    comment.answer, comment.answered_by, comment.answered_at = answer, by, now
    services.record_event(comment.report, kind=EventKind.COMMENT_ANSWERED, by=by, note=answer)
    return comment


def _register_row(commune_id: int, year: int) -> DocumentNumberCounter:
    """The commune's register for `year`, locked until the transaction ends (no twins)."""
    try:
        with transaction.atomic():
            DocumentNumberCounter.objects.get_or_create(commune_id=commune_id, year=year)
    except IntegrityError:
        # Another transaction created the counter first; the locked read below sees it.
        pass
    return DocumentNumberCounter.objects.select_for_update().get(commune_id=commune_id, year=year)


def suggested_number(commune: Commune, year: int) -> int:
    """The next number the app knows of the commune's register: a suggestion the văn thư may
    change to the number the paper register gives, never forced."""
    last = DocumentNumberCounter.objects.filter(commune=commune, year=year).values_list("last_number", flat=True)
    registered = RegisteredNumber.objects.filter(commune=commune, year=year, symbol=commune.document_symbol)
    highest = registered.aggregate(highest=Max("number"))["highest"] or 0
    return max(last.first() or 0, highest) + 1


def _take_number(report: Report, *, number: int | None, issued_on: date) -> int:
    """Record `number` (or the next one) in the commune's register for the year of `issued_on`."""
    commune = report.commune
    symbol = commune.document_symbol
    counter = _register_row(commune.pk, issued_on.year)
    if number is None:
        number = suggested_number(commune, issued_on.year)
    if not 1 <= number <= MAX_DOCUMENT_NUMBER:
        raise ValidationError(f"Số văn bản phải từ 1 đến {MAX_DOCUMENT_NUMBER}.")
    taken = RegisteredNumber.objects.filter(
        commune=commune, year=issued_on.year, symbol=symbol, number=number
    ).select_related("report__period__regime")
    duplicate = _duplicate_message(number, symbol, issued_on.year)
    if (holder := taken.first()) is not None:
        raise ValidationError(f"{duplicate} (báo cáo {holder.report.period.label}). {DUPLICATE_HINT}")
    try:
        with transaction.atomic():
            RegisteredNumber.objects.create(
                commune=commune,
                year=issued_on.year,
                symbol=symbol,
                number=number,
                report=report,
                revision=report.revision,
                issued_on=issued_on,
            )
    except IntegrityError:
        # Taken by a concurrent issue between the check and the insert.
        raise ValidationError(f"{duplicate}. {DUPLICATE_HINT}") from None
    counter.last_number = max(counter.last_number, number)
    counter.save(update_fields=["last_number"])
    return number


def _store_after_commit(report: Report) -> None:
    # The signed paper's electronic copy is rendered once, from the frozen copy, after the number
    # is committed; a failure (logged, robust=True) leaves it to the first download.
    report_id = report.pk
    transaction.on_commit(lambda: frozen.store_issued_documents(report_id), robust=True)


DUPLICATE_HINT = "Hãy đối chiếu sổ đăng ký văn bản đi của Ủy ban nhân dân và nhập số khác."


def _duplicate_message(number: int, symbol: str, year: int) -> str:
    return f"Số {number:02d}/{symbol} năm {year} đã được dùng"


def earliest_issue_date(report: Report) -> date:
    """A report is dated on or after its period's end; with early sending allowed, from the
    period's start, so whatever can be sent and accepted can also be issued."""
    period = report.period
    return period.start if period.regime.allow_early_sending else period.end


def _check_issue_date(report: Report, issued_on: date) -> None:
    if issued_on > timezone.localdate():
        raise ValidationError("Ngày ban hành không được sau ngày hôm nay.")
    earliest = earliest_issue_date(report)
    if issued_on < earliest:
        if earliest == report.period.end:
            raise ValidationError(
                f"Ngày ban hành không được trước ngày kết thúc kỳ báo cáo ({format_date(report.period.end)})."
            )
        raise ValidationError(f"Ngày ban hành không được trước ngày bắt đầu kỳ báo cáo ({format_date(earliest)}).")


@transaction.atomic
def issue_report(report: Report, *, by: User, issued_on: date, number: int | None = None) -> Report:
    """Give an accepted report the number the văn thư took from the register (the next number
    the app knows when `number` is None) and its date."""
    if _locked_status(report) == ReportStatus.ISSUED:
        stored = Report.objects.select_related("commune").get(pk=report.pk)
        raise AlreadyDone(f"Báo cáo đã được cấp số {stored.number:02d}/{stored.commune.document_symbol}.")
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError("Chỉ cấp số cho báo cáo đã được thành phố tiếp nhận.")
    _check_issue_date(report, issued_on)
    # The number and date are given after signing, which follows the city's acceptance
    # (product.md §3.6; standards.md §3.3).
    accepted_on = timezone.localdate(report.accepted_at) if report.accepted_at else None
    if accepted_on is not None and issued_on < accepted_on:
        raise ValidationError(f"Ngày ban hành không được trước ngày báo cáo được tiếp nhận ({accepted_on:%d/%m/%Y}).")
    _number(report, by=by, number=number, issued_on=issued_on, from_statuses=(ReportStatus.ACCEPTED,),
            to_status=ReportStatus.ISSUED)  # fmt: skip
    return report


def _number(
    report: Report,
    *,
    by: User,
    number: int | None,
    issued_on: date,
    from_statuses: tuple[str, ...],
    to_status: str,
    **fields: object,
) -> None:
    """Take the number from the register, freeze what the document shows, and claim the row."""
    taken = _take_number(report, number=number, issued_on=issued_on)
    # If the claim fails the transaction rolls back, and the register with it: no gap.
    _claim(
        report,
        from_statuses=from_statuses,
        to_status=to_status,
        number=taken,
        issued_on=issued_on,
        frozen=frozen.freeze(report),
        **fields,
    )
    _store_after_commit(report)
    services.record_event(
        report,
        kind=EventKind.ISSUED,
        by=by,
        note=f"Số {document_number(taken, report.commune.document_symbol)}, ngày {format_date(issued_on, pad=True)}.",
    )


@transaction.atomic
def issue_and_submit(report: Report, *, by: User, issued_on: date, number: int | None = None) -> Submission:
    """The common practice (IssueFlow.ISSUE_THEN_SEND): the commune numbers, dates and signs the
    report, then sends the signed report; the city's acceptance makes it final."""
    if report.period.regime.issue_flow != IssueFlow.ISSUE_THEN_SEND:
        raise ValidationError("Chế độ báo cáo này yêu cầu thành phố tiếp nhận trước khi xã cấp số ban hành.")
    locked = Report.objects.select_for_update().select_related("commune").get(pk=report.pk)
    if locked.status == ReportStatus.SUBMITTED and locked.number is not None and locked.submitted_at is not None:
        sent = timezone.localtime(locked.submitted_at)
        raise AlreadyDone(
            f"Báo cáo đã được cấp số {locked.number:02d}/{locked.commune.document_symbol} và gửi lên thành phố "
            f"lúc {sent:%H:%M ngày %d/%m/%Y}."
        )
    _check_sendable(locked, report)
    _check_issue_date(report, issued_on)
    now = timezone.now()
    _number(report, by=by, number=number, issued_on=issued_on, from_statuses=EDITABLE_STATUSES,
            to_status=ReportStatus.SUBMITTED, submitted_at=now)  # fmt: skip
    return _record_submission(report, by=by, now=now)


def validate_pdf_upload(upload: UploadedFile[bytes]) -> bytes:
    """The bytes of an uploaded signed scan, refused unless it is a readable PDF of sensible size."""
    too_big = f"Tệp quá lớn: tối đa {MAX_SCAN_BYTES // (1024 * 1024)} MB."
    if upload.size is not None and upload.size > MAX_SCAN_BYTES:
        raise ValidationError(too_big)
    upload.seek(0)
    data = upload.read(MAX_SCAN_BYTES + 1)
    if not data:
        raise ValidationError("Tệp tải lên rỗng.")
    if len(data) > MAX_SCAN_BYTES:
        raise ValidationError(too_big)
    # The extension and the browser's content type prove nothing; the content must be a PDF.
    if not data.startswith(b"%PDF-"):
        raise ValidationError("Tệp không phải là PDF. Vui lòng quét bản đã ký thành tệp PDF.")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:
        # pypdf reports damaged files with many exception types (PdfReadError, ValueError,
        # KeyError, RecursionError, ...); any of them means the file cannot be archived.
        raise ValidationError("Tệp PDF bị hỏng hoặc không đọc được.") from error
    if encrypted:
        raise ValidationError("Tệp PDF đang được đặt mật khẩu; vui lòng tải bản không đặt mật khẩu.")
    if pages < 1:
        raise ValidationError("Tệp PDF không có trang nào.")
    return bytes(data)


def safe_original_name(name: str) -> str:
    """The last path component of a browser-supplied name, fit for display only (never for storage)."""
    base = nfc(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".").strip()
    return base[:255] or "ban-ky.pdf"


def _current_scan(report: Report) -> SignedScan | None:
    return (
        SignedScan.objects.select_for_update()
        .filter(report=report, revision=report.revision, replaced_at__isnull=True)
        .first()
    )


def _store_scan(locked: Report, *, by: User, upload: UploadedFile[bytes], data: bytes) -> SignedScan:
    digest = hashlib.sha256(data).hexdigest()
    scan = SignedScan(
        report=locked,
        revision=locked.revision,
        original_name=safe_original_name(upload.name or ""),
        size=len(data),
        sha256=digest,
        uploaded_by=by,
    )
    # signed_scan_path names the stored file after the digest, whatever the user called it.
    scan.file.save(f"{digest}.pdf", ContentFile(data), save=False)
    try:
        scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    return scan


def _lock_issued(report: Report, message: str = "Chỉ tải bản ký cho báo cáo đã cấp số ban hành.") -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    # Numbered means signed: issued, or sent signed under IssueFlow.ISSUE_THEN_SEND.
    if locked.number is None:
        raise ValidationError(message)
    return locked


@transaction.atomic
def upload_signed_scan(report: Report, *, by: User, upload: UploadedFile[bytes]) -> SignedScan:
    """Archive the signed, stamped scan of an issued report with its SHA-256; one current per revision."""
    data = validate_pdf_upload(upload)
    locked = _lock_issued(report)
    if _current_scan(locked) is not None:
        raise ValidationError("Báo cáo này đã có bản ký lưu trữ; nếu tải nhầm tệp, dùng “Thay bản ký” và nêu lý do.")
    scan = _store_scan(locked, by=by, upload=upload, data=data)
    services.record_event(locked, kind=EventKind.SCAN_UPLOADED, by=by, note=f"SHA-256 {scan.sha256}.")
    return scan


@transaction.atomic
def replace_signed_scan(report: Report, *, by: User, upload: UploadedFile[bytes], reason: str) -> SignedScan:
    """Replace a wrongly uploaded scan until the city confirms it; the old one stays in the history."""
    reason = _nfc(reason)
    if not reason:
        raise ValidationError("Phải nêu lý do thay bản ký.")
    data = validate_pdf_upload(upload)
    locked = _lock_issued(report)
    current = _current_scan(locked)
    if current is None:
        raise ValidationError("Báo cáo chưa có bản ký để thay.")
    if current.confirmed_at is not None:
        raise ValidationError("Thành phố đã xác nhận bản ký này nên không thể thay; nếu cần, hãy lập đính chính.")
    if hashlib.sha256(data).hexdigest() == current.sha256:
        raise ValidationError("Tệp mới giống hệt bản ký đang lưu.")
    current.replaced_at = timezone.now()
    current.replaced_by = by
    current.replacement_reason = reason
    current.save(update_fields=["replaced_at", "replaced_by", "replacement_reason"])
    scan = _store_scan(locked, by=by, upload=upload, data=data)
    services.record_event(locked, kind=EventKind.SCAN_REPLACED, by=by, note=f"{reason} (SHA-256 {scan.sha256}).")
    return scan


@transaction.atomic
def confirm_signed_scan(report: Report, *, by: User) -> SignedScan:
    """The city confirms the archived scan; confirming again changes nothing (a repeated click)."""
    locked = _lock_issued(report, "Chỉ xác nhận bản ký của báo cáo đang ở trạng thái đã ban hành.")
    current = _current_scan(locked)
    if current is None:
        raise ValidationError("Báo cáo chưa có bản ký để xác nhận.")
    if current.confirmed_at is None:
        current.confirmed_at = timezone.now()
        current.confirmed_by = by
        current.save(update_fields=["confirmed_at", "confirmed_by"])
        services.record_event(locked, kind=EventKind.SCAN_CONFIRMED, by=by, note=current.original_name)
    return current


def read_verified_scan(scan: SignedScan) -> bytes:
    """The stored scan's bytes, refused if they no longer match the hash taken at upload."""
    with scan.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != scan.sha256:
        raise ValidationError("Tệp lưu trữ không khớp mã băm SHA-256 đã ghi nhận: tệp có thể đã bị thay đổi.")
    return bytes(data)


@transaction.atomic
def amend_report(report: Report, *, by: User, reason: str) -> Report:
    """Đính chính: keep the accepted or issued version as it is, and reopen the report as a new draft."""
    reason = _nfc(reason)
    if not reason:
        raise ValidationError("Phải nêu lý do đính chính.")
    locked = Report.objects.select_for_update().get(pk=report.pk)
    latest = locked.events.order_by("-at", "-id").values_list("kind", flat=True).first()
    if locked.status == ReportStatus.DRAFT and latest == EventKind.AMENDED:
        raise AlreadyDone("Đã mở đính chính: báo cáo đang là dự thảo mới, phiên bản cũ được lưu giữ.")
    if locked.status not in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
        raise ValidationError("Chỉ đính chính báo cáo đã được tiếp nhận hoặc đã ban hành.")
    ReportVersion.objects.create(
        report=locked,
        revision=locked.revision,
        status=locked.status,
        number=locked.number,
        issued_on=locked.issued_on,
        content=content_snapshot(locked),
        amended_by=by,
        reason=reason,
    )
    _claim(
        locked,
        from_statuses=(ReportStatus.ACCEPTED, ReportStatus.ISSUED),
        to_status=ReportStatus.DRAFT,
        revision=F("revision") + 1,
        number=None,
        issued_on=None,
        frozen=None,
        accepted_at=None,
        submitted_at=None,
    )
    services.record_event(locked, kind=EventKind.AMENDED, by=by, note=reason)
    return locked
