"""Tests for reports.workflow: every transition, allowed and refused, with what it leaves behind."""

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from reports import services, workflow
from reports.exchange import ImportProblems, export_report_data, import_report_data
from reports.models import (
    DocumentNumberCounter,
    EventKind,
    Report,
    ReportStatus,
    ReportVersion,
    ReviewComment,
    SignedScan,
    Submission,
)
from tests import factories
from tests.reports.workflow_helpers import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    DEADLINE,
    PERIOD_END,
    PNG_BYTES,
    VN,
    TempMediaMixin,
    WorkflowTestCase,
    at,
    balanced_figures,
    encrypted_pdf_bytes,
    pdf_bytes,
    unbalanced_figures,
    upload,
)

ALL_STATUSES = tuple(ReportStatus)


def save(report: Report, figures: dict, by) -> Report:  # type: ignore[no-untyped-def]
    return services.save_draft(
        report,
        figures=figures,
        narrative=report.narrative,
        explanations=report.explanations,
        expected_version=report.version,
        by=by,
    )


class SubmitReportTests(WorkflowTestCase):
    def test_the_leader_submits_a_draft_on_time(self) -> None:
        with at(BEFORE_DEADLINE), self.captureOnCommitCallbacks(execute=True):
            submission = workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        report = Report.objects.get(pk=self.report_a.pk)
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertEqual(report.submitted_at, BEFORE_DEADLINE)
        self.assertEqual(submission.sequence, 1)
        self.assertEqual(submission.submitted_by, self.leader_a)
        self.assertEqual(submission.deadline, DEADLINE)
        self.assertTrue(submission.on_time)
        event = report.events.get(kind=EventKind.SUBMITTED)
        self.assertEqual(event.by, self.leader_a)
        self.assertEqual(event.note, "Lần gửi thứ 1. Gửi đúng hạn.")
        # The city's reviewers of the province hear about it, nobody else.
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["trungtam@example.invalid"])
        self.assertIn("Xã Hùng Thắng đã gửi báo cáo", mail.outbox[0].subject)
        self.assertIn("đúng hạn", mail.outbox[0].body)

    def test_an_officer_allowed_to_submit_submits(self) -> None:
        with at(BEFORE_DEADLINE):
            submission = workflow.submit_report(self.fresh(self.report_a), by=self.submitting_officer_a)
        self.assertEqual(submission.submitted_by, self.submitting_officer_a)

    def test_a_submission_after_the_deadline_is_late(self) -> None:
        with at(AFTER_DEADLINE):
            submission = workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        self.assertFalse(submission.on_time)
        self.assertEqual(self.report_a.events.get(kind=EventKind.SUBMITTED).note, "Lần gửi thứ 1. Gửi quá hạn.")

    def test_the_deadline_day_counts_to_its_last_minute_in_vietnam(self) -> None:
        # 23:59 on 18/5 in Hà Nội is 16:59 UTC: still on time; 00:01 on 19/5 is late.
        with at(datetime(2026, 5, 18, 23, 59, tzinfo=VN)):
            on_time = workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        with at(datetime(2026, 5, 19, 0, 1, tzinfo=VN)):
            late = workflow.submit_report(self.fresh(self.report_b), by=self.leader_b)
        self.assertTrue(on_time.on_time)
        self.assertFalse(late.on_time)

    def test_a_returned_report_is_resubmitted_as_the_next_submission(self) -> None:
        report = self.drive(self.report_a, ReportStatus.RETURNED)
        with at(AFTER_DEADLINE):
            submission = workflow.submit_report(report, by=self.leader_a)
        self.assertEqual(submission.sequence, 2)
        self.assertFalse(submission.on_time)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.SUBMITTED)

    def test_reports_not_in_draft_or_returned_are_refused_and_unchanged(self) -> None:
        statuses = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)
        for slug, status in zip(("2026-02", "2026-03", "2026-04"), statuses, strict=True):
            with self.subTest(status=status):
                report = factories.make_report(self.commune_a, factories.make_period(self.regime, slug))
                report = self.drive(report, status)
                before = self.snapshot(report)
                # Sending a sent report again is told it was sent (a double click), never an error.
                expected = (
                    (workflow.AlreadyDone, "Báo cáo đã được gửi lên thành phố lúc")
                    if status == ReportStatus.SUBMITTED
                    else (ValidationError, "Chỉ gửi được báo cáo đang là dự thảo hoặc bị trả lại.")
                )
                with self.assertRaisesMessage(*expected):
                    workflow.submit_report(report, by=self.leader_a)
                self.assertEqual(self.snapshot(report), before)

    def test_a_stale_copy_cannot_submit_twice(self) -> None:
        first, second = self.fresh(self.report_a), self.fresh(self.report_a)
        with at(BEFORE_DEADLINE):
            workflow.submit_report(first, by=self.leader_a)
            with self.assertRaisesMessage(workflow.AlreadyDone, "Báo cáo đã được gửi lên thành phố lúc"):
                workflow.submit_report(second, by=self.submitting_officer_a)
        self.assertEqual(Submission.objects.filter(report=self.report_a).count(), 1)

    def test_hard_rule_findings_block_submission_with_their_messages(self) -> None:
        report = save(self.fresh(self.report_a), unbalanced_figures(), self.officer_a)
        before = self.snapshot(report)
        with at(BEFORE_DEADLINE), self.assertRaises(ValidationError) as caught:
            workflow.submit_report(report, by=self.leader_a)
        self.assertEqual(
            caught.exception.messages,
            ["Tổng số tiếp nhận (5) phải bằng đã giải quyết (0) cộng đang giải quyết (0)."],
        )
        self.assertEqual(self.snapshot(report), before)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.DRAFT)

    def test_findings_are_checked_on_the_stored_figures_not_a_stale_copy(self) -> None:
        stale = self.fresh(self.report_a)
        save(self.fresh(self.report_a), unbalanced_figures(), self.officer_a)
        with at(BEFORE_DEADLINE), self.assertRaises(ValidationError):
            workflow.submit_report(stale, by=self.leader_a)
        self.assertFalse(Submission.objects.filter(report=self.report_a).exists())

    def test_the_snapshot_is_frozen_and_later_edits_do_not_change_it(self) -> None:
        report = save(self.fresh(self.report_a), balanced_figures(10), self.officer_a)
        report = self.drive(report, ReportStatus.RETURNED)
        submission = Submission.objects.get(report=report)
        frozen = submission.content
        self.assertEqual(frozen, export_report_data(report) | {"status": ReportStatus.SUBMITTED})
        self.assertEqual(frozen["figures"]["results"][0]["online"], 10)
        save(report, balanced_figures(12), self.officer_a)
        submission.refresh_from_db()
        self.assertEqual(submission.content, frozen)
        self.assertEqual(submission.content["figures"]["results"][0]["online"], 10)


class ReturnReportTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.SUBMITTED)

    def test_the_reviewer_returns_with_a_reason_and_pinned_comments(self) -> None:
        comments = [
            workflow.CommentInput(anchor="figure:values.pakn_received", body="Số PAKN chưa khớp cổng quốc gia."),
            workflow.CommentInput(anchor="section:ket-qua", body="  Bổ sung đánh giá.  "),
            workflow.CommentInput(anchor="", body="   "),
        ]
        with self.captureOnCommitCallbacks(execute=True):
            workflow.return_report(self.report, by=self.reviewer, reason="  Số liệu chưa khớp. ", comments=comments)
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.status, ReportStatus.RETURNED)
        saved = list(ReviewComment.objects.filter(report=self.report).values_list("anchor", "body", "author"))
        self.assertEqual(
            saved,
            [
                ("figure:values.pakn_received", "Số PAKN chưa khớp cổng quốc gia.", self.reviewer.pk),
                ("section:ket-qua", "Bổ sung đánh giá.", self.reviewer.pk),
            ],
        )
        submission = Submission.objects.get(report=self.report)
        self.assertEqual(set(ReviewComment.objects.values_list("submission", flat=True)), {submission.pk})
        event = stored.events.get(kind=EventKind.RETURNED)
        self.assertEqual((event.by, event.note), (self.reviewer, "Số liệu chưa khớp."))
        # The commune's staff are told, with the reason and the comments; the reviewers are not.
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            sorted(mail.outbox[0].to),
            ["canbo.a.duocgui@example.invalid", "canbo.a@example.invalid", "lanhdao.a@example.invalid"],
        )
        self.assertIn("bị trả lại", mail.outbox[0].subject)
        self.assertIn("Lý do: Số liệu chưa khớp.", mail.outbox[0].body)
        self.assertIn("- Số PAKN chưa khớp cổng quốc gia.", mail.outbox[0].body)

    def test_reason_and_comments_are_stored_in_nfc(self) -> None:
        decomposed = "Thiếu số liệu".replace("ế", "e\u0302\u0301")
        workflow.return_report(
            self.report, by=self.reviewer, reason=decomposed, comments=[workflow.CommentInput("", decomposed)]
        )
        self.assertEqual(self.report.events.get(kind=EventKind.RETURNED).note, "Thiếu số liệu")
        self.assertEqual(ReviewComment.objects.get(report=self.report).body, "Thiếu số liệu")

    def test_a_reason_is_mandatory(self) -> None:
        before = self.snapshot(self.report)
        for reason in ("", "   \n\t "):
            with (
                self.subTest(reason=reason),
                self.assertRaisesMessage(ValidationError, "Phải nêu lý do trả lại báo cáo."),
            ):
                workflow.return_report(
                    self.report, by=self.reviewer, reason=reason, comments=[workflow.CommentInput("", "Ý kiến")]
                )
        self.assertEqual(self.snapshot(self.report), before)

    def test_a_comment_longer_than_the_limit_is_refused(self) -> None:
        before = self.snapshot(self.report)
        too_long = workflow.CommentInput("", "x" * (workflow.MAX_COMMENT_LENGTH + 1))
        with self.assertRaisesMessage(ValidationError, "Mỗi ý kiến dài tối đa 5000 ký tự."):
            workflow.return_report(self.report, by=self.reviewer, reason="Lý do", comments=[too_long])
        self.assertEqual(self.snapshot(self.report), before)

    def test_only_a_submitted_report_can_be_returned(self) -> None:
        workflow.accept_report(self.report, by=self.reviewer)
        for status in ALL_STATUSES:
            if status == ReportStatus.SUBMITTED:
                continue
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report.pk).update(
                    status=status,
                    number=1 if status == ReportStatus.ISSUED else None,
                    issued_on=PERIOD_END if status == ReportStatus.ISSUED else None,
                )
                before = self.snapshot(self.report)
                label = ReportStatus(status).label
                message = f"Thao tác không thực hiện được: báo cáo đang ở trạng thái “{label}”."
                if status == ReportStatus.RETURNED:
                    message = "Báo cáo đã được trả lại cho xã."
                with self.assertRaisesMessage(ValidationError, message):
                    workflow.return_report(self.fresh(self.report), by=self.reviewer, reason="Lý do")
                self.assertEqual(self.snapshot(self.report), before)


class AcceptReportTests(WorkflowTestCase):
    def test_the_reviewer_accepts_a_submitted_report(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        with at(AFTER_DEADLINE), self.captureOnCommitCallbacks(execute=True):
            workflow.accept_report(report, by=self.reviewer)
        stored = Report.objects.get(pk=report.pk)
        self.assertEqual(stored.status, ReportStatus.ACCEPTED)
        self.assertEqual(stored.accepted_at, AFTER_DEADLINE)
        self.assertEqual(stored.events.get(kind=EventKind.ACCEPTED).by, self.reviewer)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("đã được tiếp nhận", mail.outbox[0].subject)
        self.assertIn("lanhdao.a@example.invalid", mail.outbox[0].to)

    def test_accepting_twice_is_refused_and_the_first_acceptance_stands(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        stale = self.fresh(report)
        with at(BEFORE_DEADLINE):
            workflow.accept_report(report, by=self.reviewer)
        before = self.snapshot(report)
        with at(AFTER_DEADLINE), self.assertRaisesMessage(workflow.AlreadyDone, "Báo cáo đã được tiếp nhận."):
            workflow.accept_report(stale, by=self.reviewer)
        self.assertEqual(self.snapshot(report), before)
        self.assertEqual(report.events.filter(kind=EventKind.ACCEPTED).count(), 1)

    def test_only_a_submitted_report_can_be_accepted(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            with self.subTest(status=status):
                report = self.drive(self.report_b if status == ReportStatus.DRAFT else self.report_a, status)
                before = self.snapshot(report)
                with self.assertRaises(ValidationError):
                    workflow.accept_report(report, by=self.reviewer)
                self.assertEqual(self.snapshot(report), before)

    def test_a_mail_failure_after_commit_does_not_undo_the_acceptance(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        # Django logs a failing robust on_commit callback (to "django.test" under the test runner).
        with (
            self.settings(MAILERS={"default": {"BACKEND": "tests.reports.test_workflow.BrokenEmailBackend"}}),
            self.assertLogs("django.test", level="ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            workflow.accept_report(report, by=self.reviewer)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.ACCEPTED)


class BrokenEmailBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> "BrokenEmailBackend":
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("SMTP server down")


class AnswerCommentTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        workflow.return_report(
            report,
            by=self.reviewer,
            reason="Bổ sung.",
            comments=[workflow.CommentInput("figure:values.pakn_received", "Kiểm tra lại số PAKN.")],
        )
        self.report = self.fresh(report)
        self.comment = ReviewComment.objects.get(report=self.report)

    def test_the_commune_answers_and_the_answer_stays_in_the_history(self) -> None:
        with at(AFTER_DEADLINE):
            workflow.answer_comment(self.comment, by=self.officer_a, answer="Đã sửa theo cổng quốc gia.")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.answer, "Đã sửa theo cổng quốc gia.")
        self.assertEqual(self.comment.answered_by, self.officer_a)
        self.assertEqual(self.comment.answered_at, AFTER_DEADLINE)
        event = self.report.events.get(kind=EventKind.COMMENT_ANSWERED)
        self.assertEqual((event.by, event.note), (self.officer_a, "Đã sửa theo cổng quốc gia."))

    def test_the_answer_is_stored_in_nfc(self) -> None:
        decomposed = "Đã sửa số liệu".replace("ã", "a\u0303")
        workflow.answer_comment(self.comment, by=self.officer_a, answer=decomposed)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.answer, "Đã sửa số liệu")

    def test_an_empty_answer_is_refused(self) -> None:
        before = self.snapshot(self.report)
        for answer in ("", "  \n "):
            with (
                self.subTest(answer=answer),
                self.assertRaisesMessage(ValidationError, "Nội dung trả lời không được để trống."),
            ):
                workflow.answer_comment(self.comment, by=self.officer_a, answer=answer)
        self.assertEqual(self.snapshot(self.report), before)

    def test_an_answer_is_not_overwritten(self) -> None:
        workflow.answer_comment(self.comment, by=self.officer_a, answer="Lần một.")
        with self.assertRaisesMessage(ValidationError, "Ý kiến này đã được trả lời"):
            workflow.answer_comment(self.fresh_comment(), by=self.leader_a, answer="Lần hai.")
        self.comment.refresh_from_db()
        self.assertEqual((self.comment.answer, self.comment.answered_by), ("Lần một.", self.officer_a))

    def test_answers_are_refused_once_the_report_left_the_commune(self) -> None:
        workflow.submit_report(self.report, by=self.leader_a)
        before = self.snapshot(self.report)
        with self.assertRaisesMessage(ValidationError, "Chỉ trả lời ý kiến khi báo cáo đang được chỉnh sửa."):
            workflow.answer_comment(self.fresh_comment(), by=self.officer_a, answer="Muộn.")
        self.assertEqual(self.snapshot(self.report), before)

    def fresh_comment(self) -> ReviewComment:
        return ReviewComment.objects.select_related("report").get(pk=self.comment.pk)


class NumberRegisterTests(WorkflowTestCase):
    """Số: N/BC-UBND counts per commune and calendar year, without gaps or duplicates."""

    def accepted(self, commune, slug: str) -> Report:  # type: ignore[no-untyped-def]
        """Accepted on the morning after its period ends."""
        period = factories.make_period(self.regime, slug)
        report = factories.make_report(commune, period)
        moment = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tzinfo=VN) + timedelta(hours=9)
        return self.drive(report, ReportStatus.ACCEPTED, moment=moment)

    def issue(self, report: Report, issued_on: date, *, today: date | None = None) -> Report:
        leader = self.leader_a if report.commune_id == self.commune_a.pk else self.leader_b
        moment = datetime.combine(today or issued_on, datetime.min.time(), tzinfo=VN) + timedelta(hours=9)
        with at(moment):
            return workflow.issue_report(self.fresh(report), by=leader, issued_on=issued_on)

    def test_numbers_run_one_two_three_for_a_commune_in_a_year(self) -> None:
        february = self.accepted(self.commune_a, "2026-02")
        march = self.accepted(self.commune_a, "2026-03")
        april = self.accepted(self.commune_a, "2026-04")
        numbers = [
            self.issue(february, date(2026, 2, 25)).number,
            self.issue(march, date(2026, 3, 18)).number,
            self.issue(april, date(2026, 4, 20)).number,
        ]
        self.assertEqual(numbers, [1, 2, 3])
        counter = DocumentNumberCounter.objects.get(commune=self.commune_a, year=2026)
        self.assertEqual(counter.last_number, 3)

    def test_the_issued_report_carries_number_date_and_a_history_entry(self) -> None:
        report = self.issue(self.drive(self.report_a, ReportStatus.ACCEPTED), date(2026, 5, 15))
        stored = Report.objects.get(pk=report.pk)
        self.assertEqual((stored.status, stored.number, stored.issued_on), (ReportStatus.ISSUED, 1, date(2026, 5, 15)))
        event = stored.events.get(kind=EventKind.ISSUED)
        self.assertEqual((event.by, event.note), (self.leader_a, "Số 01/BC-UBND, ngày 15/05/2026."))

    def test_the_register_restarts_at_one_in_a_new_year(self) -> None:
        november = self.accepted(self.commune_a, "2026-11")
        december = self.accepted(self.commune_a, "2026-12")
        self.assertEqual(self.issue(november, date(2026, 11, 17)).number, 1)
        # December's period ends 14/12/2026; issued in January, it opens the 2027 register.
        self.assertEqual(self.issue(december, date(2027, 1, 5)).number, 1)
        self.assertEqual(
            dict(DocumentNumberCounter.objects.filter(commune=self.commune_a).values_list("year", "last_number")),
            {2026: 1, 2027: 1},
        )

    def test_each_commune_has_its_own_register(self) -> None:
        report_a = self.drive(self.report_a, ReportStatus.ACCEPTED)
        report_b = self.drive(self.report_b, ReportStatus.ACCEPTED)
        april_a = self.accepted(self.commune_a, "2026-04")
        self.assertEqual(self.issue(april_a, date(2026, 5, 15)).number, 1)
        self.assertEqual(self.issue(report_a, date(2026, 5, 15)).number, 2)
        self.assertEqual(self.issue(report_b, date(2026, 5, 15)).number, 1)

    def test_an_issue_date_after_today_is_refused(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        before = self.snapshot(report)
        with self.assertRaisesMessage(ValidationError, "Ngày ban hành không được sau ngày hôm nay."):
            self.issue(report, date(2026, 5, 16), today=date(2026, 5, 15))
        self.assertEqual(self.snapshot(report), before)
        self.assertFalse(DocumentNumberCounter.objects.exists())

    def test_an_issue_date_before_the_period_end_is_refused(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        before = self.snapshot(report)
        with self.assertRaisesMessage(
            ValidationError, "Ngày ban hành không được trước ngày kết thúc kỳ báo cáo (14/5/2026)."
        ):
            self.issue(report, date(2026, 5, 13), today=date(2026, 5, 15))
        self.assertEqual(self.snapshot(report), before)

    def test_an_issue_date_before_the_acceptance_is_refused(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED, moment=datetime(2026, 5, 18, 10, 0, tzinfo=VN))
        before = self.snapshot(report)
        with self.assertRaisesMessage(
            ValidationError, "Ngày ban hành không được trước ngày báo cáo được tiếp nhận (18/05/2026)."
        ):
            self.issue(report, date(2026, 5, 15), today=date(2026, 5, 19))
        self.assertEqual(self.snapshot(report), before)
        self.assertEqual(self.issue(report, date(2026, 5, 18), today=date(2026, 5, 19)).number, 1)

    def test_the_period_end_and_today_are_both_allowed(self) -> None:
        # Accepted in the afternoon of the period's last day, so that day may be the issue date.
        report_a = self.drive(self.report_a, ReportStatus.ACCEPTED, moment=datetime(2026, 5, 14, 16, 0, tzinfo=VN))
        report_b = self.drive(self.report_b, ReportStatus.ACCEPTED)
        self.assertEqual(self.issue(report_a, PERIOD_END, today=date(2026, 5, 15)).issued_on, PERIOD_END)
        self.assertEqual(self.issue(report_b, date(2026, 5, 15)).issued_on, date(2026, 5, 15))

    def test_only_accepted_reports_get_a_number_and_the_counter_does_not_move(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report_a.pk).update(status=status)
                before = self.snapshot(self.report_a)
                with self.assertRaisesMessage(ValidationError, "Chỉ cấp số cho báo cáo đã được thành phố tiếp nhận."):
                    self.issue(self.report_a, date(2026, 5, 15))
                self.assertEqual(self.snapshot(self.report_a), before)
        self.assertFalse(DocumentNumberCounter.objects.exists())

    def test_issuing_twice_is_refused_and_takes_no_second_number(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        stale = self.fresh(report)
        self.issue(report, date(2026, 5, 15))
        with self.assertRaises(ValidationError):
            self.issue(stale, date(2026, 5, 15))
        self.assertEqual(DocumentNumberCounter.objects.get(commune=self.commune_a).last_number, 1)
        self.assertEqual(Report.objects.get(pk=report.pk).number, 1)

    def test_a_stale_accepted_copy_loses_the_claim_without_using_a_number(self) -> None:
        # The in-memory copy still says accepted; the row was amended back to a draft meanwhile.
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        stale = self.fresh(report)
        workflow.amend_report(report, by=self.leader_a, reason="Sửa số liệu.")
        with at(BEFORE_DEADLINE), self.assertRaisesMessage(ValidationError, "“Dự thảo”"):
            workflow.issue_report(stale, by=self.leader_a, issued_on=date(2026, 5, 15))
        self.assertFalse(DocumentNumberCounter.objects.filter(last_number__gt=0).exists())


class UploadValidationTests(WorkflowTestCase):
    def assertRefused(self, upload_file, message: str) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        with self.assertRaisesMessage(ValidationError, message):
            workflow.validate_pdf_upload(upload_file)

    def test_a_real_pdf_is_accepted_and_returned_whole(self) -> None:
        data = pdf_bytes(2)
        self.assertEqual(workflow.validate_pdf_upload(upload(data)), data)

    def test_a_file_read_before_is_read_from_the_start(self) -> None:
        data = pdf_bytes()
        file = upload(data)
        file.read(10)
        self.assertEqual(workflow.validate_pdf_upload(file), data)

    def test_a_png_named_pdf_is_refused(self) -> None:
        self.assertRefused(upload(PNG_BYTES, "scan.pdf"), "Tệp không phải là PDF.")

    def test_a_text_file_named_pdf_is_refused(self) -> None:
        self.assertRefused(upload(b"Bao cao da ky\n", "scan.pdf", "text/plain"), "Tệp không phải là PDF.")

    def test_the_content_type_the_browser_claims_proves_nothing(self) -> None:
        self.assertRefused(upload(b"<html></html>", "scan.pdf", "application/pdf"), "Tệp không phải là PDF.")

    def test_a_fake_pdf_with_a_pdf_header_and_garbage_is_refused(self) -> None:
        for garbage in (b"%PDF-1.7\n" + b"\x00\xff garbage " * 500, b"%PDF-", pdf_bytes()[:200]):
            with self.subTest(size=len(garbage)), self.assertLogs("pypdf", level="WARNING") as logs:
                self.assertRefused(upload(garbage), "Tệp PDF bị hỏng hoặc không đọc được.")
            self.assertTrue(logs.output)

    def test_an_encrypted_pdf_is_refused(self) -> None:
        self.assertRefused(upload(encrypted_pdf_bytes()), "Tệp PDF đang được đặt mật khẩu")

    def test_an_empty_file_is_refused(self) -> None:
        self.assertRefused(upload(b""), "Tệp tải lên rỗng.")

    def test_a_file_over_twenty_megabytes_is_refused_by_its_declared_size(self) -> None:
        file = upload(pdf_bytes())
        file.size = workflow.MAX_SCAN_BYTES + 1
        self.assertRefused(file, "Tệp quá lớn: tối đa 20 MB.")

    def test_a_file_over_twenty_megabytes_is_refused_by_its_content(self) -> None:
        # A size the client under-declares does not matter: the bytes are counted too.
        file = upload(b"%PDF-1.4\n" + b"0" * workflow.MAX_SCAN_BYTES)
        file.size = 100
        self.assertRefused(file, "Tệp quá lớn: tối đa 20 MB.")

    def test_exactly_twenty_megabytes_is_not_too_big(self) -> None:
        data = pdf_bytes()
        padded = data + b"\n" * (workflow.MAX_SCAN_BYTES - len(data))
        self.assertEqual(len(workflow.validate_pdf_upload(upload(padded))), workflow.MAX_SCAN_BYTES)


class SafeOriginalNameTests(WorkflowTestCase):
    def test_path_tricks_and_control_characters_are_removed(self) -> None:
        cases = {
            "../../etc/passwd.pdf": "passwd.pdf",
            "C:\\x\\y.pdf": "y.pdf",
            "bao\x00cao\r\n\t.pdf": "baocao.pdf",
            "..": "ban-ky.pdf",
            ".htaccess.pdf": "htaccess.pdf",
            "": "ban-ky.pdf",
            "/": "ban-ky.pdf",
            "Bản ký số 25.pdf": "Bản ký số 25.pdf",
            "x" * 300 + ".pdf": "x" * 255,
        }
        for name, expected in cases.items():
            with self.subTest(name=name):
                self.assertEqual(workflow.safe_original_name(name), expected)


class UploadSignedScanTests(TempMediaMixin, WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))

    def test_a_real_pdf_is_stored_under_its_hash_with_its_size(self) -> None:
        data = pdf_bytes()
        scan = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(data, "Bản ký.pdf"))
        digest = hashlib.sha256(data).hexdigest()
        self.assertEqual(scan.sha256, digest)
        self.assertEqual(scan.size, len(data))
        self.assertEqual(scan.revision, 0)
        self.assertEqual(scan.original_name, "Bản ký.pdf")
        self.assertEqual(scan.file.name, f"signed/11809/2026/{digest}.pdf")
        self.assertEqual(Path(scan.file.path).read_bytes(), data)
        event = self.report.events.get(kind=EventKind.SCAN_UPLOADED)
        self.assertEqual((event.by, event.note), (self.officer_a, f"SHA-256 {digest}."))

    def test_path_tricks_in_the_name_never_reach_the_stored_path(self) -> None:
        names = ["../../etc/passwd.pdf", "C:\\x\\y.pdf", "a\x00b\x1f.pdf"]
        for revision, name in enumerate(names):
            with self.subTest(name=name):
                Report.objects.filter(pk=self.report.pk).update(revision=revision)
                data = pdf_bytes(revision + 1)
                scan = workflow.upload_signed_scan(
                    self.fresh(self.report), by=self.officer_a, upload=upload(data, name)
                )
                digest = hashlib.sha256(data).hexdigest()
                self.assertEqual(scan.file.name, f"signed/11809/2026/{digest}.pdf")
                self.assertTrue(Path(scan.file.path).resolve().is_relative_to(Path(self.media_root).resolve()))
                self.assertNotIn("/", scan.original_name)
                self.assertNotIn("\\", scan.original_name)
                self.assertTrue(scan.original_name.isprintable())

    def test_a_second_upload_for_the_same_revision_is_refused(self) -> None:
        first = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(pdf_bytes()))
        before = self.snapshot(self.report)
        with self.assertRaisesMessage(
            ValidationError, "Báo cáo này đã có bản ký lưu trữ; nếu tải nhầm tệp, dùng “Thay bản ký” và nêu lý do."
        ):
            workflow.upload_signed_scan(self.report, by=self.leader_a, upload=upload(pdf_bytes(2)))
        self.assertEqual(list(SignedScan.objects.all()), [first])
        self.assertEqual(self.snapshot(self.report), before)

    def test_a_refused_upload_stores_nothing(self) -> None:
        with self.assertRaises(ValidationError):
            workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(PNG_BYTES))
        self.assertFalse(SignedScan.objects.exists())
        self.assertEqual(list(self.media_root.rglob("*")), [])

    def test_only_an_issued_report_takes_a_scan(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED):
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report_b.pk).update(status=status)
                with self.assertRaisesMessage(ValidationError, "Chỉ tải bản ký cho báo cáo đã cấp số ban hành."):
                    workflow.upload_signed_scan(
                        self.fresh(self.report_b), by=self.officer_b, upload=upload(pdf_bytes())
                    )
        self.assertFalse(SignedScan.objects.exists())

    def test_the_verified_bytes_are_the_uploaded_bytes(self) -> None:
        data = pdf_bytes()
        scan = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(data))
        self.assertEqual(workflow.read_verified_scan(SignedScan.objects.get(pk=scan.pk)), data)

    def test_a_tampered_file_is_refused(self) -> None:
        scan = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(pdf_bytes()))
        path = Path(scan.file.path)
        path.write_bytes(path.read_bytes().replace(b"595", b"596"))
        with self.assertRaisesMessage(
            ValidationError, "Tệp lưu trữ không khớp mã băm SHA-256 đã ghi nhận: tệp có thể đã bị thay đổi."
        ):
            workflow.read_verified_scan(SignedScan.objects.get(pk=scan.pk))


class AmendReportTests(TempMediaMixin, WorkflowTestCase):
    def test_an_accepted_report_reopens_as_the_next_revision(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        content = export_report_data(report)
        with at(AFTER_DEADLINE):
            workflow.amend_report(report, by=self.leader_a, reason="  Sửa số PAKN. ")
        stored = Report.objects.get(pk=report.pk)
        self.assertEqual(stored.status, ReportStatus.DRAFT)
        self.assertEqual(stored.revision, 1)
        self.assertIsNone(stored.accepted_at)
        self.assertIsNone(stored.submitted_at)
        version = ReportVersion.objects.get(report=report)
        self.assertEqual(
            (version.revision, version.status, version.number, version.issued_on, version.reason),
            (0, ReportStatus.ACCEPTED, None, None, "Sửa số PAKN."),
        )
        self.assertEqual(version.content, content)
        self.assertEqual(version.amended_by, self.leader_a)
        self.assertEqual(stored.events.get(kind=EventKind.AMENDED).note, "Sửa số PAKN.")

    def test_an_issued_report_keeps_its_number_in_the_old_version_and_is_issued_again_with_a_new_one(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        workflow.upload_signed_scan(report, by=self.officer_a, upload=upload(pdf_bytes()))
        old_content = export_report_data(report)
        with at(AFTER_DEADLINE):
            workflow.amend_report(report, by=self.leader_a, reason="Đính chính số liệu PAKN.")
        stored = Report.objects.get(pk=report.pk)
        self.assertEqual((stored.status, stored.revision, stored.number, stored.issued_on), ("draft", 1, None, None))
        version = ReportVersion.objects.get(report=report)
        self.assertEqual((version.number, version.issued_on), (1, date(2026, 5, 15)))
        self.assertEqual(version.content, old_content)
        self.assertEqual(version.content["document"]["number"], 1)

        # The new revision goes round again and gets the next number of the year's register.
        save(self.fresh(report), balanced_figures(3, pakn=2), self.officer_a)
        with at(AFTER_DEADLINE):
            submission = workflow.submit_report(self.fresh(report), by=self.leader_a)
            workflow.accept_report(self.fresh(report), by=self.reviewer)
            reissued = workflow.issue_report(self.fresh(report), by=self.leader_a, issued_on=date(2026, 5, 20))
        self.assertEqual((submission.sequence, submission.revision), (2, 1))
        self.assertEqual((reissued.number, reissued.revision), (2, 1))
        # The old scan stays; the new revision takes its own.
        scan = workflow.upload_signed_scan(reissued, by=self.officer_a, upload=upload(pdf_bytes(2)))
        self.assertEqual(scan.revision, 1)
        self.assertEqual(sorted(SignedScan.objects.values_list("revision", flat=True)), [0, 1])
        # The old version is untouched by all this.
        self.assertEqual(ReportVersion.objects.get(report=report).content, old_content)

    def test_a_reason_is_mandatory(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        before = self.snapshot(report)
        for reason in ("", " \n "):
            with self.subTest(reason=reason), self.assertRaisesMessage(ValidationError, "Phải nêu lý do đính chính."):
                workflow.amend_report(report, by=self.leader_a, reason=reason)
        self.assertEqual(self.snapshot(report), before)
        self.assertFalse(ReportVersion.objects.exists())

    def test_only_accepted_or_issued_reports_can_be_amended(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report_a.pk).update(status=status)
                before = self.snapshot(self.report_a)
                with self.assertRaisesMessage(
                    ValidationError, "Chỉ đính chính báo cáo đã được tiếp nhận hoặc đã ban hành."
                ):
                    workflow.amend_report(self.fresh(self.report_a), by=self.leader_a, reason="Lý do")
                self.assertEqual(self.snapshot(self.report_a), before)
        self.assertFalse(ReportVersion.objects.exists())


class IssuedReportImmutabilityTests(TempMediaMixin, WorkflowTestCase):
    """An issued report cannot change through any entry point except amend and the scan upload."""

    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        self.before = self.snapshot(self.report)

    def tearDown(self) -> None:
        self.assertEqual(self.snapshot(self.report), self.before)

    def test_model_save_refuses(self) -> None:
        report = Report.objects.get(pk=self.report.pk)
        report.narrative = {"x": {"text": "Sửa lén", "after": ""}}
        with self.assertRaisesMessage(ValidationError, "Báo cáo đã ban hành không thể sửa"):
            report.save()

    def test_model_save_refuses_on_the_instance_that_was_just_issued(self) -> None:
        report = self.drive(self.report_b, ReportStatus.ACCEPTED)
        with at(BEFORE_DEADLINE):
            workflow.issue_report(report, by=self.leader_b, issued_on=date(2026, 5, 15))
        report.signer_name = "Người khác"
        with self.assertRaisesMessage(ValidationError, "Báo cáo đã ban hành không thể sửa"):
            report.save(update_fields=["signer_name"])

    def test_model_delete_refuses(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Không thể xóa báo cáo"):
            Report.objects.get(pk=self.report.pk).delete()

    def test_save_draft_refuses(self) -> None:
        with self.assertRaisesMessage(ValidationError, services.NOT_EDITABLE_MESSAGE):
            save(self.fresh(self.report), balanced_figures(99), self.officer_a)

    def test_import_with_replace_refuses(self) -> None:
        data = export_report_data(self.report)
        data["narrative"] = {"ket-qua": {"text": "Sửa sau khi ban hành.", "after": ""}}
        with self.assertRaises(ImportProblems) as caught:
            import_report_data(data, replace=True, by=self.officer_a)
        self.assertIn("không được thay thế", str([p.message for p in caught.exception.problems]))

    def test_the_edit_views_refuse_with_403(self) -> None:
        self.client.force_login(self.officer_a)
        for url in (f"/reports/{self.report.pk}/edit/", f"/reports/{self.report.pk}/autosave/"):
            with self.subTest(url=url):
                response = self.client.post(url, {"version": self.report.version})
                self.assertEqual(response.status_code, 403)
        # Reading stays open: the edit page sends them to the read-only report page.
        self.assertRedirects(
            self.client.get(f"/reports/{self.report.pk}/edit/"),
            f"/reports/{self.report.pk}/",
            fetch_redirect_response=False,
        )

    def test_the_admin_has_no_add_change_or_delete(self) -> None:
        model_admin = admin_site._registry[Report]
        request = RequestFactory().get("/admin/")
        request.user = self.superuser
        self.assertFalse(model_admin.has_add_permission(request))
        self.assertFalse(model_admin.has_change_permission(request, self.report))
        self.assertFalse(model_admin.has_delete_permission(request, self.report))

    def test_the_admin_change_form_refuses_a_post(self) -> None:
        self.client.force_login(self.superuser)
        response = self.client.post(f"/admin/reports/report/{self.report.pk}/change/", {"status": "draft"})
        self.assertEqual(response.status_code, 403)
        response = self.client.post(f"/admin/reports/report/{self.report.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)

    def test_workflow_transitions_other_than_amend_and_upload_refuse(self) -> None:
        comment = ReviewComment.objects.create(report=self.report, body="Ý kiến cũ", author=self.reviewer)
        self.before["comments"] = [("Ý kiến cũ", "")]
        attempts = {
            "submit": lambda: workflow.submit_report(self.fresh(self.report), by=self.leader_a),
            "return": lambda: workflow.return_report(self.fresh(self.report), by=self.reviewer, reason="Lý do"),
            "accept": lambda: workflow.accept_report(self.fresh(self.report), by=self.reviewer),
            "issue": lambda: workflow.issue_report(self.fresh(self.report), by=self.leader_a, issued_on=PERIOD_END),
            "answer": lambda: workflow.answer_comment(comment, by=self.officer_a, answer="Trả lời"),
        }
        for name, attempt in attempts.items():
            with self.subTest(name), at(BEFORE_DEADLINE), self.assertRaises(ValidationError):
                attempt()
        self.assertEqual(DocumentNumberCounter.objects.get(commune=self.commune_a).last_number, 1)

    def test_upload_does_not_change_the_report_itself(self) -> None:
        workflow.upload_signed_scan(self.fresh(self.report), by=self.officer_a, upload=upload(pdf_bytes()))
        self.before["events"] += 1
