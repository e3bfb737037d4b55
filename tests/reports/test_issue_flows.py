"""Issuing as the văn thư does it: the number typed from the commune's register (suggested, never
forced, unique per commune, year and symbol), either order the city chooses, early sending."""

from datetime import date, datetime

from django.core.exceptions import ValidationError

from reports import workflow
from reports.models import IssueFlow, RegisteredNumber, Report, ReportStatus, Submission
from tests import factories
from tests.reports.workflow_helpers import (
    BEFORE_DEADLINE,
    VN,
    TempMediaMixin,
    WorkflowTestCase,
    at,
    pdf_bytes,
    upload,
)


class NumberTests(WorkflowTestCase):
    def test_the_typed_number_is_kept_and_the_suggestion_follows_it(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        self.assertEqual(workflow.suggested_number(self.commune_a, 2026), 1)
        with at(BEFORE_DEADLINE):
            issued = workflow.issue_report(report, by=self.leader_a, issued_on=date(2026, 5, 15), number=25)
        self.assertEqual((issued.number, issued.status), (25, ReportStatus.ISSUED))
        self.assertEqual(workflow.suggested_number(self.commune_a, 2026), 26)
        self.assertEqual(workflow.suggested_number(self.commune_b, 2026), 1)

    def test_a_duplicate_number_is_refused_with_a_clear_message_and_nothing_changes(self) -> None:
        first = self.drive(self.report_a, ReportStatus.ACCEPTED)
        with at(BEFORE_DEADLINE):
            workflow.issue_report(first, by=self.leader_a, issued_on=date(2026, 5, 15), number=7)
        other_regime = factories.make_regime(self.province, name="Báo cáo khác")
        other = factories.make_report(self.commune_a, factories.make_period(other_regime, "2026-05"))
        other = self.drive(other, ReportStatus.ACCEPTED)
        before = self.snapshot(other)
        with (
            at(BEFORE_DEADLINE),
            self.assertRaisesMessage(
                ValidationError, "Số 07/BC-UBND năm 2026 đã được dùng (báo cáo tháng 5 năm 2026)."
            ),
        ):
            workflow.issue_report(other, by=self.leader_a, issued_on=date(2026, 5, 15), number=7)
        self.assertEqual(self.snapshot(other), before)
        # Another year, or another symbol, may use the same number.
        with at(datetime(2027, 1, 5, 9, 0, tzinfo=VN)):
            workflow.issue_report(self.fresh(other), by=self.leader_a, issued_on=date(2027, 1, 5), number=7)
        self.assertEqual(RegisteredNumber.objects.filter(number=7).count(), 2)

    def test_the_database_refuses_twins_whatever_the_service_checked(self) -> None:
        from django.db import IntegrityError, transaction

        report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        with self.assertRaises(IntegrityError), transaction.atomic():
            RegisteredNumber.objects.create(
                commune=self.commune_a, year=2026, symbol="BC-UBND", number=report.number, report=report,
                issued_on=date(2026, 5, 15),
            )  # fmt: skip

    def test_any_past_day_from_the_period_end_but_not_the_future(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ACCEPTED, moment=datetime(2026, 5, 14, 16, 0, tzinfo=VN))
        with at(datetime(2026, 7, 1, 9, 0, tzinfo=VN)):
            with self.assertRaisesMessage(ValidationError, "không được sau ngày hôm nay"):
                workflow.issue_report(report, by=self.leader_a, issued_on=date(2026, 7, 2), number=3)
            with self.assertRaisesMessage(ValidationError, "trước ngày kết thúc kỳ báo cáo (14/5/2026)"):
                workflow.issue_report(report, by=self.leader_a, issued_on=date(2026, 5, 13), number=3)
            issued = workflow.issue_report(report, by=self.leader_a, issued_on=date(2026, 5, 14), number=3)
        self.assertEqual(issued.issued_on, date(2026, 5, 14))


class EarlySendingTests(WorkflowTestCase):
    def test_sending_before_the_cut_off_needs_the_regime_to_allow_it(self) -> None:
        early = datetime(2026, 5, 10, 9, 0, tzinfo=VN)
        with at(early), self.assertRaisesMessage(ValidationError, "không cho gửi trước khi hết kỳ"):
            workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        self.assertEqual(Submission.objects.count(), 0)
        type(self.regime).objects.filter(pk=self.regime.pk).update(allow_early_sending=True)
        with at(early):
            report = self.fresh(self.report_a)
            workflow.submit_report(report, by=self.leader_a)
            workflow.accept_report(report, by=self.reviewer)
            # Whatever was sent and accepted can be issued: no report stuck until the period ends.
            issued = workflow.issue_report(self.fresh(report), by=self.leader_a, issued_on=date(2026, 5, 10), number=1)
        self.assertEqual(issued.status, ReportStatus.ISSUED)


class ReviewThenIssueEndToEndTests(TempMediaMixin, WorkflowTestCase):
    def test_draft_sent_reviewed_accepted_then_numbered_and_archived(self) -> None:
        with at(BEFORE_DEADLINE):
            self.login(self.leader_a)
            self.client.post(f"/reports/{self.report_a.pk}/submit/")
            self.assertEqual(self.fresh(self.report_a).status, ReportStatus.SUBMITTED)
            self.login(self.reviewer)
            self.client.post(f"/reports/{self.report_a.pk}/accept/")
            self.login(self.officer_a)
            page = self.client.get(f"/reports/{self.report_a.pk}/issue/")
            self.assertContains(page, 'name="number"')
            self.assertContains(page, 'value="1"')
            response = self.client.post(
                f"/reports/{self.report_a.pk}/issue/", {"number": "12", "issued_on": "2026-05-15"}
            )
            self.assertRedirects(response, f"/reports/{self.report_a.pk}/issue/")
            report = self.fresh(self.report_a)
            self.assertEqual((report.status, report.number), (ReportStatus.ISSUED, 12))
            response = self.client.post(f"/reports/{self.report_a.pk}/scans/upload/", {"file": upload(pdf_bytes())})
            self.assertEqual(response.status_code, 302)
            self.assertTrue(report.scans.exists())

    def test_a_duplicate_typed_in_the_form_is_explained(self) -> None:
        self.drive(self.report_b, ReportStatus.ACCEPTED)
        report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        with at(BEFORE_DEADLINE):
            workflow.issue_report(report, by=self.leader_a, issued_on=date(2026, 5, 15), number=4)
        other_regime = factories.make_regime(self.province, name="Báo cáo khác")
        other = self.drive(
            factories.make_report(self.commune_a, factories.make_period(other_regime, "2026-05")),
            ReportStatus.ACCEPTED,
        )
        self.login(self.officer_a)
        with at(BEFORE_DEADLINE):
            response = self.client.post(f"/reports/{other.pk}/issue/", {"number": "4", "issued_on": "2026-05-15"})
        self.assertContains(response, "Số 04/BC-UBND năm 2026 đã được dùng")
        self.assertContains(response, "sổ đăng ký văn bản đi")
        self.assertEqual(self.fresh(other).status, ReportStatus.ACCEPTED)


class IssueThenSendEndToEndTests(TempMediaMixin, WorkflowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        type(cls.regime).objects.filter(pk=cls.regime.pk).update(issue_flow=IssueFlow.ISSUE_THEN_SEND)

    def test_commune_numbers_signs_and_sends_then_the_city_accepts_and_it_is_issued(self) -> None:
        with at(BEFORE_DEADLINE):
            self.login(self.leader_a)
            detail = self.client.get(f"/reports/{self.report_a.pk}/")
            self.assertContains(detail, "Cấp số, ký và gửi")
            self.assertNotContains(detail, "Gửi báo cáo lên thành phố")
            # Plain sending is refused under this regime.
            self.client.post(f"/reports/{self.report_a.pk}/submit/")
            self.assertEqual(self.fresh(self.report_a).status, ReportStatus.DRAFT)
            response = self.client.post(
                f"/reports/{self.report_a.pk}/issue/", {"number": "31", "issued_on": "2026-05-15"}
            )
            self.assertRedirects(response, f"/reports/{self.report_a.pk}/issue/")
            report = self.fresh(self.report_a)
            self.assertEqual((report.status, report.number), (ReportStatus.SUBMITTED, 31))
            self.assertEqual(report.submissions.get().content["document"]["number"], 31)
            response = self.client.post(f"/reports/{self.report_a.pk}/scans/upload/", {"file": upload(pdf_bytes())})
            self.assertEqual(response.status_code, 302)
            self.login(self.reviewer)
            self.client.post(f"/reports/{self.report_a.pk}/accept/")
        report = self.fresh(self.report_a)
        self.assertEqual((report.status, report.number, report.issued_on), (ReportStatus.ISSUED, 31, date(2026, 5, 15)))

    def test_a_returned_signed_report_gets_a_new_number_and_the_old_stays_registered(self) -> None:
        with at(BEFORE_DEADLINE):
            workflow.issue_and_submit(
                self.fresh(self.report_a), by=self.leader_a, issued_on=date(2026, 5, 15), number=5
            )
            workflow.return_report(self.fresh(self.report_a), by=self.reviewer, reason="Sai số liệu.")
            report = self.fresh(self.report_a)
            self.assertEqual((report.status, report.number), (ReportStatus.RETURNED, None))
            self.assertIn("Văn bản số 05, ngày 15/05/2026", report.events.last().note)
            with self.assertRaisesMessage(ValidationError, "Số 05/BC-UBND năm 2026 đã được dùng"):
                workflow.issue_and_submit(report, by=self.leader_a, issued_on=date(2026, 5, 15), number=5)
            self.assertEqual(workflow.suggested_number(self.commune_a, 2026), 6)
            workflow.issue_and_submit(self.fresh(report), by=self.leader_a, issued_on=date(2026, 5, 15), number=6)
            workflow.accept_report(self.fresh(report), by=self.reviewer)
        self.assertEqual(self.fresh(report).status, ReportStatus.ISSUED)

    def test_the_form_sent_twice_is_told_it_was_numbered_and_sent_and_nothing_changes(self) -> None:
        self.login(self.leader_a)
        path = f"/reports/{self.report_a.pk}/issue/"
        with at(BEFORE_DEADLINE):
            self.client.post(path, {"number": "31", "issued_on": "2026-05-15"})
            before = self.snapshot(self.report_a)
            # A double click, or the browser's "resend": the same form again.
            response = self.client.post(path, {"number": "32", "issued_on": "2026-05-15"}, follow=True)
        self.assertRedirects(response, path)
        self.assertContains(response, "Báo cáo đã được cấp số 31/BC-UBND và gửi lên thành phố lúc")
        self.assertEqual(self.snapshot(self.report_a), before)
        self.assertEqual(Submission.objects.filter(report=self.report_a).count(), 1)
        self.assertEqual(RegisteredNumber.objects.filter(commune=self.commune_a).count(), 1)

    def test_an_officer_without_the_right_to_send_cannot_issue_and_send(self) -> None:
        self.login(self.officer_a)
        with at(BEFORE_DEADLINE):
            response = self.client.post(
                f"/reports/{self.report_a.pk}/issue/", {"number": "1", "issued_on": "2026-05-15"}
            )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Report.objects.get(pk=self.report_a.pk).status, ReportStatus.DRAFT)


class IssueThenSendDocumentTests(TempMediaMixin, WorkflowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        type(cls.regime).objects.filter(pk=cls.regime.pk).update(issue_flow=IssueFlow.ISSUE_THEN_SEND)

    def test_a_signed_report_has_no_draft_mark_and_a_reissue_gets_new_files(self) -> None:
        from reports.models import IssuedDocument
        from reports.rendering.document import build_report_document

        with at(BEFORE_DEADLINE), self.captureOnCommitCallbacks(execute=True):
            workflow.issue_and_submit(
                self.fresh(self.report_a), by=self.leader_a, issued_on=date(2026, 5, 15), number=5
            )
        self.assertEqual(build_report_document(self.fresh(self.report_a)).watermark, "")
        first = set(IssuedDocument.objects.values_list("sha256", flat=True))
        self.assertEqual(len(first), 2)
        with at(BEFORE_DEADLINE), self.captureOnCommitCallbacks(execute=True):
            workflow.return_report(self.fresh(self.report_a), by=self.reviewer, reason="Sai số liệu.")
            self.assertEqual(build_report_document(self.fresh(self.report_a)).watermark, "DỰ THẢO")
            workflow.issue_and_submit(
                self.fresh(self.report_a), by=self.leader_a, issued_on=date(2026, 5, 15), number=6
            )
        self.assertEqual(IssuedDocument.objects.count(), 4)
        self.assertIn("06/BC-UBND", build_report_document(self.fresh(self.report_a)).header.number_line)
