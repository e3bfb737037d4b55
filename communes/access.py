"""The only module that decides who may see or change what.

Objects outside a user's scope raise Http404, so their existence is not revealed; objects the
user may see but not change raise PermissionDenied (403).
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from communes.models import Commune, CommuneQuerySet, Membership, Province, Role
from reports.models import (
    CityReport,
    CityReportStatus,
    IssueFlow,
    Period,
    Report,
    ReportStatus,
    ReviewComment,
    SignedScan,
)

type AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: `request.user` is never anonymous there."""

    user: User


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user: AnyUser) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def is_superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_city_staff(user: AnyUser) -> bool:
    return role_of(user) in (Role.CITY_REVIEWER, Role.CITY_ADMIN)


def is_city_admin(user: AnyUser) -> bool:
    return role_of(user) == Role.CITY_ADMIN


def administered_provinces(user: AnyUser) -> QuerySet[Province]:
    """Provinces whose settings and communes' document details the user configures in the admin."""
    if is_superuser(user):
        return Province.objects.all()
    membership = membership_of(user)
    if membership is None or membership.role != Role.CITY_ADMIN or membership.province_id is None:
        return Province.objects.none()
    return Province.objects.filter(pk=membership.province_id)


def visible_provinces(user: AnyUser) -> QuerySet[Province]:
    if is_superuser(user):
        return Province.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Province.objects.none()
    if membership.province_id is not None:
        return Province.objects.filter(pk=membership.province_id)
    return Province.objects.filter(communes=membership.commune_id)


def visible_communes(user: AnyUser) -> CommuneQuerySet:
    if is_superuser(user):
        return Commune.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Commune.objects.none()
    if membership.commune_id is not None:
        return Commune.objects.filter(pk=membership.commune_id)
    if membership.province_id is not None:
        return Commune.objects.filter(province_id=membership.province_id)
    return Commune.objects.none()


def get_commune_for_view(user: AnyUser, code: int) -> Commune:
    try:
        return visible_communes(user).select_related("province").get(pk=code)
    except Commune.DoesNotExist:
        raise Http404("Không tìm thấy xã, phường.") from None


def get_province_for_review(user: AnyUser, code: int) -> Province:
    """A province whose reports the user reviews: city staff of that province, or a superuser."""
    province = visible_provinces(user).filter(pk=code).first()
    if province is None:
        raise Http404("Không tìm thấy tỉnh, thành phố.")
    if not (is_superuser(user) or is_city_staff(user)):
        raise PermissionDenied("Chỉ cán bộ Trung tâm Phục vụ hành chính công thành phố được xem trang này.")
    return province


def visible_reports(user: AnyUser) -> QuerySet[Report]:
    return Report.objects.filter(commune__in=visible_communes(user))


def get_report_for_view(user: AnyUser, report_id: int) -> Report:
    try:
        return visible_reports(user).select_related("commune__province", "period__regime").get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404("Không tìm thấy báo cáo.") from None


def get_scan_for_view(user: AnyUser, report_id: int, revision: int, scan_id: int | None = None) -> SignedScan:
    """The signed scan in force for a revision (issue) of a report the user may see, or with
    `scan_id` one kept in its history after being replaced; 404 for anything else."""
    report = get_report_for_view(user, report_id)
    scans = SignedScan.objects.filter(report=report, revision=revision)
    try:
        scan = scans.get(pk=scan_id) if scan_id is not None else scans.get(replaced_at__isnull=True)
    except SignedScan.DoesNotExist:
        raise Http404("Không tìm thấy bản ký lưu trữ.") from None
    scan.report = report  # with its commune and period, as get_report_for_view loaded them
    return scan


def can_edit_report(user: AnyUser, report: Report) -> bool:
    """Commune staff (and superusers) edit their commune's drafts and returned reports."""
    if not report.is_editable:
        return False
    if is_superuser(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    return membership.is_commune_role and membership.commune_id == report.commune_id


READ_ONLY_MESSAGES = {
    ReportStatus.SUBMITTED: "Báo cáo đã gửi lên thành phố và đang chờ thẩm định nên chỉ xem được; "
    "nếu cần sửa, đề nghị Trung tâm Phục vụ hành chính công thành phố trả lại.",
    ReportStatus.ACCEPTED: "Báo cáo đã được thành phố tiếp nhận nên chỉ xem được; muốn sửa, hãy lập đính chính.",
    ReportStatus.ISSUED: "Báo cáo đã ban hành nên chỉ xem được; muốn sửa, hãy lập đính chính.",
}


def read_only_reason(user: AnyUser, report: Report) -> str | None:
    """Why a person who sees the report may not edit it, or None when they may. The edit page
    then shows them the report page with this message rather than a 403."""
    if can_edit_report(user, report):
        return None
    if report.status in READ_ONLY_MESSAGES:
        return READ_ONLY_MESSAGES[ReportStatus(report.status)]
    return "Bạn chỉ có quyền xem báo cáo này."


def get_report_for_change(user: AnyUser, report_id: int) -> Report:
    report = get_report_for_view(user, report_id)
    if not can_edit_report(user, report):
        if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise PermissionDenied("Báo cáo đã gửi hoặc đã ban hành, không thể sửa.")
        raise PermissionDenied("Bạn không có quyền sửa báo cáo này.")
    return report


def can_create_report(user: AnyUser, commune: Commune) -> bool:
    if is_superuser(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    return membership.is_commune_role and membership.commune_id == commune.pk


def can_submit_report(user: AnyUser, report: Report) -> bool:
    """The commune leader submits; an officer only when the commune allowed it (Membership.can_submit).

    Under IssueFlow.ISSUE_THEN_SEND a report is sent by issuing it (can_issue_report)."""
    if not report.is_editable or report.period.regime.issue_flow == IssueFlow.ISSUE_THEN_SEND:
        return False
    return _may_act_for_commune(user, report.commune_id)


def _is_reviewer_of(user: AnyUser, province_id: int) -> bool:
    membership = membership_of(user)
    if membership is None or membership.role != Role.CITY_REVIEWER:
        return False
    return membership.province_id == province_id


def can_review_report(user: AnyUser, report: Report) -> bool:
    return _is_reviewer_of(user, report.commune.province_id)


def _is_commune_staff_of(user: AnyUser, commune_id: int) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_commune_role and membership.commune_id == commune_id


def _may_act_for_commune(user: AnyUser, commune_id: int) -> bool:
    """The commune leader, or an officer the commune allowed to submit (Membership.can_submit)."""
    membership = membership_of(user)
    if membership is None or membership.commune_id != commune_id:
        return False
    if membership.role == Role.COMMUNE_LEADER:
        return True
    return membership.role == Role.COMMUNE_OFFICER and membership.can_submit


def get_report_for_submit(user: AnyUser, report_id: int) -> Report:
    report = get_report_for_view(user, report_id)
    if not _may_act_for_commune(user, report.commune_id):
        raise PermissionDenied("Chỉ lãnh đạo UBND cấp xã hoặc cán bộ được giao mới được gửi báo cáo.")
    # A submitted report passes so a repeated click is told it was sent (workflow.AlreadyDone).
    if not report.is_editable and report.status != ReportStatus.SUBMITTED:
        raise PermissionDenied("Báo cáo không ở trạng thái dự thảo hoặc bị trả lại nên không thể gửi.")
    return report


DECIDED_OR_PENDING = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED)


def get_report_for_review(user: AnyUser, report_id: int, *, deciding: bool = False) -> Report:
    """Reviewers of the report's province see any status; returning or accepting (`deciding`)
    needs a submitted report. The services check the status again under the row's claim."""
    report = get_report_for_view(user, report_id)
    if not can_review_report(user, report):
        raise PermissionDenied("Chỉ chuyên viên Trung tâm Phục vụ hành chính công thành phố được thẩm định báo cáo.")
    # Returned or accepted pass too, so a repeated click is told the decision was made.
    if deciding and report.status not in DECIDED_OR_PENDING:
        raise PermissionDenied("Báo cáo không ở trạng thái chờ thẩm định.")
    return report


ISSUE_STATUS_MESSAGES = {
    ReportStatus.ACCEPTED: "Chỉ cấp số cho báo cáo đã được thành phố tiếp nhận.",
    ReportStatus.ISSUED: "Chỉ tải bản ký cho báo cáo đã cấp số ban hành.",
}


def get_report_for_issue(user: AnyUser, report_id: int, *, status: ReportStatus | None = None) -> Report:
    """Commune staff record the number and date (`status` ACCEPTED) and upload the signed scan
    (`status` ISSUED); without `status`, they see the issuing and archive page in any status."""
    report = get_report_for_view(user, report_id)
    if not _is_commune_staff_of(user, report.commune_id):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND cấp xã được cấp số và lưu bản ký của báo cáo.")
    # An issued report passes a repeated "Cấp số", which is then told the number it got.
    repeated_issue = status == ReportStatus.ACCEPTED and report.status == ReportStatus.ISSUED
    if status is not None and report.status != status and not repeated_issue:
        raise PermissionDenied(ISSUE_STATUS_MESSAGES[status])
    return report


def get_report_for_scan_upload(user: AnyUser, report_id: int) -> Report:
    """Commune staff archive the signed scan of a numbered report: issued, or sent signed under
    IssueFlow.ISSUE_THEN_SEND."""
    report = get_report_for_issue(user, report_id)
    if report.number is None:
        raise PermissionDenied(ISSUE_STATUS_MESSAGES[ReportStatus.ISSUED])
    return report


def get_report_for_issue_and_send(user: AnyUser, report_id: int) -> Report:
    """Under a regime where the commune issues before sending, numbering a draft sends it: the
    same people as sending may do it."""
    report = get_report_for_submit(user, report_id)
    if report.period.regime.issue_flow != IssueFlow.ISSUE_THEN_SEND:
        raise PermissionDenied("Chế độ báo cáo này yêu cầu thành phố tiếp nhận trước khi xã cấp số ban hành.")
    return report


AMENDABLE_STATUSES = (ReportStatus.ACCEPTED, ReportStatus.ISSUED)


def can_confirm_scan(user: AnyUser, report: Report) -> bool:
    """The province's reviewers confirm the signed scan of an issued report."""
    if report.status != ReportStatus.ISSUED:
        return False
    return can_review_report(user, report)


def get_report_for_scan_confirm(user: AnyUser, report_id: int) -> Report:
    report = get_report_for_view(user, report_id)
    if not can_review_report(user, report):
        raise PermissionDenied("Chỉ chuyên viên Trung tâm Phục vụ hành chính công thành phố được xác nhận bản ký.")
    if report.status != ReportStatus.ISSUED:
        raise PermissionDenied("Chỉ xác nhận bản ký của báo cáo đã ban hành.")
    return report


def can_issue_report(user: AnyUser, report: Report) -> bool:
    """Commune staff record the number and upload the signed scan once the city has accepted;
    under IssueFlow.ISSUE_THEN_SEND those who may send a draft number and send it."""
    if report.is_editable and report.period.regime.issue_flow == IssueFlow.ISSUE_THEN_SEND:
        return _may_act_for_commune(user, report.commune_id)
    if report.status not in (*AMENDABLE_STATUSES, ReportStatus.SUBMITTED) or (
        report.status == ReportStatus.SUBMITTED and report.number is None
    ):
        return False
    return _is_commune_staff_of(user, report.commune_id)


def can_amend_report(user: AnyUser, report: Report) -> bool:
    """The leader (or an officer allowed to submit) amends an accepted or issued report."""
    if report.status not in AMENDABLE_STATUSES:
        return False
    return _may_act_for_commune(user, report.commune_id)


def get_report_for_amend(user: AnyUser, report_id: int) -> Report:
    report = get_report_for_view(user, report_id)
    if not _may_act_for_commune(user, report.commune_id):
        raise PermissionDenied("Chỉ lãnh đạo UBND cấp xã hoặc cán bộ được giao mới được đính chính báo cáo.")
    # A draft born of an amendment passes, so a repeated click is told it was done (the workflow checks).
    if report.status not in AMENDABLE_STATUSES and not (report.status == ReportStatus.DRAFT and report.revision > 0):
        raise PermissionDenied("Chỉ đính chính báo cáo đã được tiếp nhận hoặc đã ban hành.")
    return report


def get_comment_for_answer(user: AnyUser, comment_id: int) -> ReviewComment:
    try:
        comment = (
            ReviewComment.objects.filter(report__in=visible_reports(user))
            .select_related("report__commune", "report__period")
            .get(pk=comment_id)
        )
    except ReviewComment.DoesNotExist:
        raise Http404("Không tìm thấy ý kiến.") from None
    if not _is_commune_staff_of(user, comment.report.commune_id):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND cấp xã được trả lời ý kiến thẩm định.")
    if not comment.report.is_editable:
        raise PermissionDenied("Chỉ trả lời ý kiến khi báo cáo đang được chỉnh sửa.")
    return comment


def get_period_for_grid(user: AnyUser, period_id: int) -> Period:
    """City staff see the grid of their province's periods (404 for other provinces);
    commune staff of the province may know the period exists but may not see the grid (403)."""
    try:
        period = Period.objects.select_related("regime__province").get(
            pk=period_id, regime__province__in=visible_provinces(user)
        )
    except Period.DoesNotExist:
        raise Http404("Không tìm thấy kỳ báo cáo.") from None
    if not (is_superuser(user) or is_city_staff(user)):
        raise PermissionDenied("Chỉ cán bộ Trung tâm Phục vụ hành chính công thành phố được xem trang này.")
    return period


def can_send_reminders(user: AnyUser, period: Period) -> bool:
    """The reviewers of the period's province remind its communes from the grid."""
    return _is_reviewer_of(user, period.regime.province_id)


def get_period_for_reminders(user: AnyUser, period_id: int) -> Period:
    """Like get_period_for_grid (404 outside the user's provinces), but only the province's
    reviewers may mail its communes (403 for everyone else who can see the period)."""
    period = get_period_for_grid(user, period_id)
    if not can_send_reminders(user, period):
        raise PermissionDenied("Chỉ chuyên viên Trung tâm Phục vụ hành chính công thành phố được nhắc các xã.")
    return period


def check_national_view(user: AnyUser) -> None:
    """Only superusers see the figures of every province at once."""
    if not is_superuser(user):
        raise PermissionDenied("Chỉ quản trị hệ thống được xem tình hình báo cáo toàn quốc.")


def get_period_for_city_report(user: AnyUser, period_id: int, *, change: bool = False) -> Period:
    """The Centre's own report on a period: city staff of the province (and superusers) read and
    write it; commune staff of the province get 403, everyone else 404 (as for the period grid).
    With `change`, an issued report is refused (403): it is immutable."""
    period = get_period_for_grid(user, period_id)
    if change and CityReport.objects.filter(period=period, status=CityReportStatus.ISSUED).exists():
        raise PermissionDenied("Báo cáo của Trung tâm đã ban hành, không thể sửa.")
    return period


def get_commune_for_dossiers(user: AnyUser, code: int) -> Commune:
    """The commune's own staff (and superusers) import and manage its dossier lists; others who
    may see the commune get 403, everyone else 404."""
    commune = get_commune_for_view(user, code)
    if not (is_superuser(user) or _is_commune_staff_of(user, commune.pk)):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND cấp xã được nhập danh sách hồ sơ của xã.")
    return commune


def can_see_report_dossiers(user: AnyUser, report: Report) -> bool:
    """The dossiers behind a report's figures: its commune's staff, and its province's reviewers (read-only)."""
    if is_superuser(user) or _is_commune_staff_of(user, report.commune_id):
        return True
    return can_review_report(user, report)


def get_report_for_dossier_list(user: AnyUser, report_id: int) -> Report:
    report = get_report_for_view(user, report_id)
    if not can_see_report_dossiers(user, report):
        raise PermissionDenied("Bạn không có quyền xem danh sách hồ sơ của báo cáo này.")
    return report


# Roles a city administrator gives and takes away in the admin; never another city administrator.
MANAGED_ROLES = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.CITY_REVIEWER)


def managed_accounts(user: AnyUser) -> QuerySet[User]:
    """Accounts the user creates, edits, resets and deactivates in the admin.

    A superuser manages everyone; a city administrator manages the commune staff and reviewers of
    their own province only: never a superuser, a staff account or another province's people.
    """
    if is_superuser(user):
        return User.objects.all()
    provinces = administered_provinces(user)
    return User.objects.filter(is_superuser=False, is_staff=False, membership__role__in=MANAGED_ROLES).filter(
        Q(membership__commune__province__in=provinces) | Q(membership__province__in=provinces)
    )


def can_manage_account(user: AnyUser, account: User) -> bool:
    return managed_accounts(user).filter(pk=account.pk).exists()


def assignable_communes(user: AnyUser) -> CommuneQuerySet:
    """Communes a city administrator may attach a new or edited account to."""
    if is_superuser(user):
        return Commune.objects.all()
    return Commune.objects.filter(province__in=administered_provinces(user))
