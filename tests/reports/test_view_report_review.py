"""Tests for the review page and its two decisions:
GET /reports/<id>/review/, POST /reports/<id>/return/, POST /reports/<id>/accept/."""

from django.contrib.messages import get_messages
from django.core import mail

from reports import services, workflow
from reports.models import Report, ReportStatus, ReviewComment
from tests import factories
from tests.reports.workflow_helpers import BEFORE_DEADLINE, WorkflowTestCase, at, balanced_figures

NOT_REVIEWERS = ("officer_a", "leader_a", "submitting_officer_a", "city_admin", "superuser")
OUTSIDERS = ("officer_b", "leader_b", "officer_c", "other_reviewer", "outsider")


def edit(report: Report, figures: dict, by) -> None:  # type: ignore[no-untyped-def]
    report = Report.objects.select_related("commune", "period__regime").get(pk=report.pk)
    services.save_draft(
        report,
        figures=figures,
        narrative=report.narrative,
        explanations=report.explanations,
        expected_version=report.version,
        by=by,
    )


class ReviewViewTestCase(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        edit(self.report_a, balanced_figures(10, pakn=2), self.officer_a)
        self.report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        self.before = self.snapshot(self.report)

    def assertUnchanged(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report), self.before)

    def assertStatusFor(self, names: tuple[str, ...], method, url: str, status: int) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        for name in names:
            with self.subTest(user=name):
                self.login(getattr(self, name))
                self.assertEqual(method(url).status_code, status)


class ReportReviewPageTests(ReviewViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report.pk}/review/"

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_outsiders_get_404_and_non_reviewers_403(self) -> None:
        self.assertStatusFor(OUTSIDERS, self.client.get, self.url, 404)
        self.assertStatusFor(NOT_REVIEWERS, self.client.get, self.url, 403)

    def test_post_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_the_reviewer_sees_the_forms_and_the_first_submission(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, "Thẩm định báo cáo tháng 5 năm 2026")
        self.assertContains(response, "Gửi lần 1 lúc 09:00 15/05/2026 (đúng hạn)")
        self.assertContains(response, "Đây là lần gửi đầu tiên.")
        self.assertContains(response, 'id="accept-button"')
        self.assertContains(response, 'id="return-form"')
        self.assertContains(response, '<option value="figure:values.pakn_received">')

    def test_the_diff_between_submissions_with_vietnamese_labels(self) -> None:
        workflow.return_report(self.report, by=self.reviewer, reason="Sửa.")
        edit(self.report, balanced_figures(12, pakn=2), self.officer_a)
        with at(BEFORE_DEADLINE):
            workflow.submit_report(self.fresh(self.report), by=self.leader_a)
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            "Bảng kết quả giải quyết TTHC, dòng 1 (Hệ thống thông tin giải quyết TTHC thành phố): tiếp nhận trực tuyến",
        )
        self.assertContains(response, '<td class="text-body-secondary">10</td><td>12</td>', html=False)

    def test_the_diff_against_last_periods_accepted_report(self) -> None:
        april = factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-04"))
        edit(april, balanced_figures(10, pakn=1), self.officer_a)
        self.drive(april, ReportStatus.ACCEPTED)
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, "Số phản ánh, kiến nghị đã tiếp nhận")
        self.assertContains(response, '<td class="text-body-secondary">1</td><td>2</td>', html=False)
        self.assertNotContains(response, "Không có báo cáo kỳ trước đã được tiếp nhận để so sánh.")

    def test_decided_reports_show_no_forms_but_keep_the_comments(self) -> None:
        workflow.return_report(
            self.report,
            by=self.reviewer,
            reason="Sửa.",
            comments=[workflow.CommentInput("figure:values.pakn_received", "Số PAKN chưa khớp.")],
        )
        comment = ReviewComment.objects.get(report=self.report)
        workflow.answer_comment(comment, by=self.officer_a, answer="Đã kiểm tra, số đúng.")
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'id="accept-button"')
        self.assertNotContains(response, 'id="return-form"')
        self.assertContains(response, "Số liệu: Số phản ánh, kiến nghị đã tiếp nhận")
        self.assertContains(response, "Số PAKN chưa khớp.")
        self.assertContains(response, "Đã kiểm tra, số đúng.")

    def test_the_query_count_does_not_grow_with_comments(self) -> None:
        self.login(self.reviewer)
        self.client.get(self.url)  # warm the session and the user
        # The review reads plus the report itself as its page shows it (outline, checks, scans, …).
        with self.assertNumQueries(16) as first:
            self.client.get(self.url)
        for index in range(6):
            ReviewComment.objects.create(report=self.report, body=f"Ý kiến {index}", author=self.reviewer)
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)


class ReportReturnTests(ReviewViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report.pk}/return/"
        self.valid = {
            "reason": "Số liệu PAKN chưa khớp cổng dịch vụ công quốc gia.",
            "anchor_0": "figure:values.pakn_received",
            "body_0": "Đề nghị kiểm tra lại.",
            "anchor_1": "section:ket-qua",
            "body_1": "Bổ sung đánh giá.",
        }

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url, self.valid), self.url)
        self.assertUnchanged()

    def test_outsiders_get_404_and_non_reviewers_403(self) -> None:
        post = lambda url: self.client.post(url, self.valid)  # noqa: E731
        self.assertStatusFor(OUTSIDERS, post, self.url, 404)
        self.assertStatusFor(NOT_REVIEWERS, post, self.url, 403)
        self.assertUnchanged()

    def test_a_report_not_waiting_for_review_gives_403(self) -> None:
        workflow.accept_report(self.report, by=self.reviewer)
        before = self.snapshot(self.report)
        self.login(self.reviewer)
        response = self.client.post(self.url, self.valid)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)],
            ["Thao tác không thực hiện được: báo cáo đang ở trạng thái “Đã tiếp nhận”."],
        )
        self.assertEqual(self.snapshot(self.report), before)
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.DRAFT)
        self.assertContains(
            self.client.post(self.url, self.valid), "Báo cáo không ở trạng thái chờ thẩm định.", status_code=403
        )

    def test_get_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_an_empty_or_blank_reason_is_refused(self) -> None:
        self.login(self.reviewer)
        for reason in ("", "   \r\n "):
            with self.subTest(reason=reason):
                response = self.client.post(self.url, self.valid | {"reason": reason})
                self.assertContains(response, "Phải nêu lý do trả lại báo cáo.")
                # What the reviewer typed in the comments is kept.
                self.assertContains(response, "Đề nghị kiểm tra lại.")
        self.assertUnchanged()

    def test_an_anchor_that_is_not_offered_is_refused(self) -> None:
        self.login(self.reviewer)
        response = self.client.post(self.url, self.valid | {"anchor_0": "figure:../../secret"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("anchor_0", response.context["return_form"].errors)
        self.assertUnchanged()

    def test_the_reviewer_returns_with_pinned_comments(self) -> None:
        self.login(self.reviewer)
        response = self.client.post(self.url, self.valid)
        self.assertRedirects(response, f"/reports/{self.report.pk}/review/", fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)], ["Đã trả lại báo cáo của Xã Hùng Thắng."]
        )
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.RETURNED)
        self.assertEqual(
            list(ReviewComment.objects.values_list("anchor", "body")),
            [("figure:values.pakn_received", "Đề nghị kiểm tra lại."), ("section:ket-qua", "Bổ sung đánh giá.")],
        )
        event = self.report.events.get(kind="returned")
        self.assertEqual(event.note, "Số liệu PAKN chưa khớp cổng dịch vụ công quốc gia.")

    def test_the_commune_is_mailed_after_the_return(self) -> None:
        self.login(self.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url, self.valid)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Lý do: Số liệu PAKN chưa khớp", mail.outbox[0].body)

    def test_decomposed_vietnamese_is_stored_composed(self) -> None:
        self.login(self.reviewer)
        decomposed = "Thiếu số liệu".replace("ế", "e\u0302\u0301")
        self.client.post(self.url, {"reason": decomposed, "anchor_0": "", "body_0": decomposed})
        self.assertEqual(self.report.events.get(kind="returned").note, "Thiếu số liệu")
        self.assertEqual(ReviewComment.objects.get().body, "Thiếu số liệu")


class ReportAcceptTests(ReviewViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report.pk}/accept/"

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url), self.url)
        self.assertUnchanged()

    def test_outsiders_get_404_and_non_reviewers_403(self) -> None:
        self.assertStatusFor(OUTSIDERS, self.client.post, self.url, 404)
        self.assertStatusFor(NOT_REVIEWERS, self.client.post, self.url, 403)
        self.assertUnchanged()

    def test_get_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertUnchanged()

    def test_a_report_not_waiting_for_review_gives_403(self) -> None:
        cases = {
            ReportStatus.DRAFT: (403, None),
            ReportStatus.RETURNED: (302, "Thao tác không thực hiện được: báo cáo đang ở trạng thái “Bị trả lại”."),
            # A repeated "Tiếp nhận" is told it was done.
            ReportStatus.ACCEPTED: (302, "Báo cáo đã được tiếp nhận."),
        }
        for status, (code, message) in cases.items():
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report.pk).update(status=status)
                before = self.snapshot(self.report)
                self.login(self.reviewer)
                response = self.client.post(self.url)
                self.assertEqual(response.status_code, code)
                if message:
                    self.assertEqual([str(m) for m in get_messages(response.wsgi_request)][-1], message)
                self.assertEqual(self.snapshot(self.report), before)

    def test_the_reviewer_accepts(self) -> None:
        self.login(self.reviewer)
        response = self.client.post(self.url)
        self.assertRedirects(response, f"/reports/{self.report.pk}/review/", fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)], ["Đã tiếp nhận báo cáo của Xã Hùng Thắng."]
        )
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.status, ReportStatus.ACCEPTED)
        self.assertIsNotNone(stored.accepted_at)


class ReturnHistoryTests(WorkflowTestCase):
    def test_the_reviewer_sees_the_reasons_of_earlier_returns(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        workflow.return_report(report, by=self.reviewer, reason="Thiếu số liệu PAKN.")
        self.login(self.reviewer)
        response = self.client.get(f"/reports/{report.pk}/review/")
        self.assertContains(response, "Các lần trả lại")
        self.assertContains(response, "Thiếu số liệu PAKN.")
