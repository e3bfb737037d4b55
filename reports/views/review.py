"""Submission, review, issuing and archive: the transitions after drafting."""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from reports import workflow
from reports.forms_review import AmendForm, AnswerForm, IssueForm, ReturnForm, ScanReplaceForm, ScanUploadForm
from reports.models import IssueFlow, Report, ReportStatus
from reports.queries import entry as entry_queries
from reports.queries import review as review_queries
from reports.rendering.export import document_filename
from reports.rendering.formatting import document_number


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_submit(request.user, report_id)
    try:
        submission = workflow.submit_report(report, by=request.user)
    except workflow.AlreadyDone as done:
        messages.success(request, _error_text(done))
        return redirect("reports:detail", report_id=report.pk)
    except ValidationError as error:
        messages.error(request, "Chưa gửi được báo cáo: " + _error_text(error))
        return redirect("reports:detail", report_id=report.pk)
    timing = "đúng hạn" if submission.on_time else "quá hạn"
    messages.success(request, f"Đã gửi báo cáo lên Trung tâm Phục vụ hành chính công thành phố ({timing}).")
    return redirect("reports:detail", report_id=report.pk)


@login_required
@require_GET
def report_review(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_review(request.user, report_id)
    context = _review_page_context(request, report)
    # "Ý kiến" beside a section or row of the report opens the return form pinned to that place.
    anchor = request.GET.get("anchor", "")
    initial = {"anchor_0": anchor} if anchor in dict(context["anchors"]) else None
    return_form = ReturnForm(anchors=context["anchors"], initial=initial)
    return render(request, "reports/report_review.html", {**context, "return_form": return_form})


def _review_page_context(request: AuthenticatedHttpRequest, report: Report) -> dict[str, Any]:
    context = review_queries.review_context(report)
    detail = entry_queries.detail_context(report, user=request.user)
    return {"report": report, **context, **review_queries.reviewed_content(report, detail, context)}


@login_required
@require_POST
def report_return(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_review(request.user, report_id, deciding=True)
    context = _review_page_context(request, report)
    form = ReturnForm(request.POST, anchors=context["anchors"])
    if form.is_valid():
        try:
            workflow.return_report(
                report, by=request.user, reason=form.cleaned_data["reason"], comments=form.comments()
            )
        except workflow.AlreadyDone as done:
            messages.success(request, _error_text(done))
            return redirect("reports:review", report_id=report.pk)
        except ValidationError as error:
            report.refresh_from_db(fields=["status"])
            if report.status != ReportStatus.SUBMITTED:
                # Decided meanwhile: the form is gone from the page, so say it above the report.
                messages.error(request, _error_text(error))
                return redirect("reports:review", report_id=report.pk)
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã trả lại báo cáo của {report.commune.name}.")
            return redirect("reports:review", report_id=report.pk)
    return render(request, "reports/report_review.html", {**context, "return_form": form})


@login_required
@require_POST
def report_accept(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_review(request.user, report_id, deciding=True)
    try:
        workflow.accept_report(report, by=request.user)
    except workflow.AlreadyDone as done:
        messages.success(request, _error_text(done))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Đã tiếp nhận báo cáo của {report.commune.name}.")
    return redirect("reports:review", report_id=report.pk)


@login_required
@require_POST
def comment_answer(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    comment = access.get_comment_for_answer(request.user, comment_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("answer", ["Nội dung trả lời không hợp lệ."])
        messages.error(request, " ".join(str(error) for error in errors))
        return redirect(_answer_page(request), report_id=comment.report_id)
    try:
        workflow.answer_comment(comment, by=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã lưu trả lời ý kiến.")
    return redirect(_answer_page(request), report_id=comment.report_id)


def _answer_page(request: HttpRequest) -> str:
    # Answered from the edit page, the officer goes back to it; otherwise to the report page.
    return "reports:edit" if request.POST.get("next") == "edit" else "reports:detail"


@login_required
@require_http_methods(["GET", "POST"])
def report_issue(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_issue(request.user, report_id)
    # Under IssueFlow.ISSUE_THEN_SEND numbering a draft also sends it; otherwise only an accepted
    # report is numbered.
    # The same form sent again after it numbered and sent the report is told so, not refused.
    sent_again = request.method == "POST" and report.status == ReportStatus.SUBMITTED and report.number is not None
    sends = report.period.regime.issue_flow == IssueFlow.ISSUE_THEN_SEND and (report.is_editable or sent_again)
    if request.method == "POST":
        if sends:
            report = access.get_report_for_issue_and_send(request.user, report_id)
        else:
            report = access.get_report_for_issue(request.user, report_id, status=ReportStatus.ACCEPTED)
    # Bound on every POST, even an empty one, so a missing date is reported rather than ignored.
    form = IssueForm(request.POST if request.method == "POST" else None, initial=_issue_initial(report))
    if request.method == "POST" and form.is_valid():
        number, issued_on = form.cleaned_data["number"], form.cleaned_data["issued_on"]
        try:
            if sends:
                workflow.issue_and_submit(report, by=request.user, issued_on=issued_on, number=number)
            else:
                workflow.issue_report(report, by=request.user, issued_on=issued_on, number=number)
        except workflow.AlreadyDone as done:
            messages.success(request, _error_text(done))
            return redirect("reports:issue", report_id=report.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            number_text = document_number(report.number, report.commune.document_symbol)
            if sends:
                messages.success(request, f"Đã cấp số {number_text} và gửi báo cáo đã ký lên thành phố.")
            else:
                messages.success(request, f"Đã cấp số {number_text}.")
            return redirect("reports:issue", report_id=report.pk)
    return _render_issue_page(request, report, issue_form=form, scan_form=ScanUploadForm())


def _issue_initial(report: Report) -> dict[str, object]:
    """Today and the next number the app knows of the commune's register, as suggestions."""
    today = timezone.localdate()
    return {"issued_on": today, "number": workflow.suggested_number(report.commune, today.year)}


@login_required
@require_POST
def report_scan_upload(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_scan_upload(request.user, report_id)
    form = ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            workflow.upload_signed_scan(report, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Đã lưu bản ký số hóa của báo cáo.")
            return redirect("reports:issue", report_id=report.pk)
    return _render_issue_page(request, report, issue_form=IssueForm(initial=_issue_initial(report)), scan_form=form)


@login_required
@require_POST
def report_scan_replace(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_issue(request.user, report_id, status=ReportStatus.ISSUED)
    form = ScanReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            workflow.replace_signed_scan(
                report, by=request.user, upload=form.cleaned_data["file"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Đã thay bản ký; bản cũ được giữ trong lịch sử.")
            return redirect("reports:issue", report_id=report.pk)
    return _render_issue_page(request, report, issue_form=IssueForm(), scan_form=ScanUploadForm(), replace_form=form)


@login_required
@require_POST
def report_scan_confirm(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_scan_confirm(request.user, report_id)
    try:
        workflow.confirm_signed_scan(report, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã xác nhận bản ký của báo cáo.")
    return redirect("reports:detail", report_id=report.pk)


def _render_issue_page(
    request: HttpRequest,
    report: Report,
    *,
    issue_form: IssueForm,
    scan_form: ScanUploadForm,
    replace_form: ScanReplaceForm | None = None,
) -> HttpResponse:
    context = {
        "report": report,
        "issue_then_send": report.period.regime.issue_flow == IssueFlow.ISSUE_THEN_SEND,
        "issue_form": issue_form,
        "scan_form": scan_form,
        "replace_form": replace_form or ScanReplaceForm(),
        "amend_form": AmendForm(),
        "can_amend": access.can_amend_report(request.user, report),
        **review_queries.archive_context(report),
    }
    return render(request, "reports/report_issue.html", context)


@login_required
@require_GET
def scan_download(
    request: AuthenticatedHttpRequest, report_id: int, revision: int, scan_id: int | None = None
) -> HttpResponse | FileResponse:
    scan = access.get_scan_for_view(request.user, report_id, revision, scan_id)
    report = scan.report
    try:
        data = workflow.read_verified_scan(scan)
    except (ValidationError, OSError) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else "Không đọc được tệp lưu trữ."
        return render(request, "reports/scan_unverified.html", {"report": report, "message": text}, status=409)
    stem = document_filename(report, "pdf").removesuffix(".pdf")
    # Issues count from 1 ("lần 1"); a replaced file says so in its name.
    replaced = f"-da-thay-{scan.pk}" if scan.replaced_at else ""
    filename = f"Ban-ky-{stem}-lan-{scan.issue_number}{replaced}.pdf"
    return FileResponse(BytesIO(data), as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
@require_POST
def report_amend(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_amend(request.user, report_id)
    form = AmendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Phải nêu lý do đính chính.")
        return redirect("reports:detail", report_id=report.pk)
    try:
        workflow.amend_report(report, by=request.user, reason=form.cleaned_data["reason"])
    except workflow.AlreadyDone as done:
        messages.success(request, _error_text(done))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã mở đính chính: báo cáo trở lại dự thảo, phiên bản cũ được lưu giữ.")
    return redirect("reports:detail", report_id=report.pk)
