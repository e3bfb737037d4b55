"""Tests for reports.queries.review: the diff a reviewer sees, comment anchors, and the archive."""

from datetime import date

from django.test import SimpleTestCase

from reports import services, workflow
from reports.models import Report, ReportStatus, ReviewComment
from reports.queries import review
from reports.queries.review import ChangeRow
from tests import factories
from tests.reports.workflow_helpers import (
    BEFORE_DEADLINE,
    TempMediaMixin,
    WorkflowTestCase,
    at,
    balanced_figures,
    pdf_bytes,
    upload,
)

CITY_SYSTEM = "Hệ thống thông tin giải quyết TTHC thành phố"
TITLES = {"ket-qua": "I. Kết quả thực hiện", "phuong-huong": "II. Phương hướng, nhiệm vụ tháng tới"}


def edit(report: Report, *, figures: dict, narrative: dict | None = None, by) -> Report:  # type: ignore[no-untyped-def]
    report = Report.objects.select_related("commune", "period__regime").get(pk=report.pk)
    return services.save_draft(
        report,
        figures=figures,
        narrative=report.narrative if narrative is None else narrative,
        explanations=report.explanations,
        expected_version=report.version,
        by=by,
    )


class CompareTests(SimpleTestCase):
    def test_nothing_to_compare_with_is_none(self) -> None:
        self.assertIsNone(review.compare(None, {"figures": {}}, TITLES))
        self.assertIsNone(review.compare({"figures": {}}, None, TITLES))

    def test_figure_changes_with_vietnamese_labels_and_numbers(self) -> None:
        old = {"figures": {"values": {"pakn_received": 1500, "rate_on_time": 93.5}}, "status": "submitted"}
        new = {"figures": {"values": {"pakn_received": 1909, "rate_on_time": 100}}, "status": "accepted"}
        self.assertEqual(
            review.compare(old, new, TITLES),
            [
                ChangeRow("Số phản ánh, kiến nghị đã tiếp nhận", "1.500", "1.909"),
                ChangeRow("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "93,5", "100"),
            ],
        )

    def test_a_whole_row_reads_as_its_labelled_cells(self) -> None:
        old = {"figures": {"sector_agencies": []}}
        new = {"figures": {"sector_agencies": [{"name": "Công an xã", "received": 3, "resolved": 2}]}}
        self.assertEqual(
            review.compare(old, new, TITLES),
            [
                ChangeRow(
                    "Cơ quan ngành dọc, dòng 1 (cả dòng)",
                    "—",
                    "tên cơ quan: Công an xã; tiếp nhận: 3; đã giải quyết: 2",
                )
            ],
        )

    def test_identical_content_has_no_changes(self) -> None:
        content = {"figures": {"values": {"pakn_received": 2}}, "narrative": {}}
        self.assertEqual(review.compare(content, dict(content), TITLES), [])


class ReviewContextTests(WorkflowTestCase):
    """April accepted; May submitted, returned, edited and submitted again."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        april = factories.make_report(cls.commune_a, factories.make_period(cls.regime, "2026-04"))
        narrative = {"ket-qua": {"text": "Tháng 4 tiếp nhận 8 hồ sơ.", "after": ""}}
        edit(april, figures=balanced_figures(8, pakn=1), narrative=narrative, by=cls.officer_a)
        with at(BEFORE_DEADLINE):
            workflow.submit_report(april, by=cls.leader_a)
            workflow.accept_report(april, by=cls.reviewer)
        cls.april = april

    def submit_twice(self) -> Report:
        narrative = {"ket-qua": {"text": "Tháng 5 tiếp nhận 10 hồ sơ.", "after": ""}}
        edit(self.report_a, figures=balanced_figures(10, pakn=2), narrative=narrative, by=self.officer_a)
        with at(BEFORE_DEADLINE):
            workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
            workflow.return_report(self.fresh(self.report_a), by=self.reviewer, reason="Sai số liệu.")
        edit(self.report_a, figures=balanced_figures(12, pakn=2), by=self.officer_a)
        with at(BEFORE_DEADLINE):
            workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        return self.fresh(self.report_a)

    def test_changes_between_the_two_latest_submissions(self) -> None:
        context = review.review_context(self.submit_twice())
        self.assertEqual((context["latest_submission"].sequence, context["earlier_submission"].sequence), (2, 1))
        row = f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM})"
        self.assertEqual(
            context["changes_since_submission"],
            [
                ChangeRow(f"{row}: tiếp nhận trực tuyến", "10", "12"),
                ChangeRow(f"{row}: giải quyết đúng hạn", "10", "12"),
            ],
        )

    def test_changes_against_last_periods_accepted_report(self) -> None:
        context = review.review_context(self.submit_twice())
        changes = {row.label: (row.old, row.new) for row in context["changes_since_last_period"]}
        row = f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM})"
        self.assertEqual(changes[f"{row}: tiếp nhận trực tuyến"], ("8", "12"))
        self.assertEqual(changes["Số phản ánh, kiến nghị đã tiếp nhận"], ("1", "2"))
        self.assertEqual(changes["Số phản ánh, kiến nghị đã xử lý"], ("1", "2"))
        self.assertEqual(changes["I. Kết quả thực hiện"], ("Tháng 4 tiếp nhận 8 hồ sơ.", "Tháng 5 tiếp nhận 10 hồ sơ."))

    def test_the_first_submission_has_nothing_earlier(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        context = review.review_context(report)
        self.assertEqual(context["latest_submission"].sequence, 1)
        self.assertIsNone(context["earlier_submission"])
        self.assertIsNone(context["changes_since_submission"])
        self.assertTrue(context["can_decide"])

    def test_a_draft_has_no_submission_to_compare(self) -> None:
        context = review.review_context(self.fresh(self.report_a))
        self.assertIsNone(context["latest_submission"])
        self.assertIsNone(context["changes_since_submission"])
        self.assertIsNone(context["changes_since_last_period"])
        self.assertFalse(context["can_decide"])

    def test_last_period_counts_only_when_accepted_or_issued(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        Report.objects.filter(pk=self.april.pk).update(status=ReportStatus.RETURNED)
        self.assertIsNone(review.review_context(report)["changes_since_last_period"])
        Report.objects.filter(pk=self.april.pk).update(
            status=ReportStatus.ISSUED, number=4, issued_on=date(2026, 4, 20)
        )
        self.assertIsNotNone(review.review_context(report)["changes_since_last_period"])

    def test_another_communes_last_period_is_not_compared(self) -> None:
        report = self.drive(self.report_b, ReportStatus.SUBMITTED)
        self.assertIsNone(review.review_context(report)["changes_since_last_period"])

    def test_comments_show_where_they_are_pinned(self) -> None:
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        workflow.return_report(
            report,
            by=self.reviewer,
            reason="Xem lại.",
            comments=[
                workflow.CommentInput("figure:values.pakn_received", "Số PAKN?"),
                workflow.CommentInput("section:ket-qua", "Thiếu đánh giá."),
                workflow.CommentInput("figure:results.0", "Dòng 1?"),
                workflow.CommentInput("", "Chung."),
            ],
        )
        comments = review.review_context(self.fresh(report))["comments"]
        self.assertEqual(
            [(item.comment.body, item.where) for item in comments],
            [
                ("Số PAKN?", "Số liệu: Số phản ánh, kiến nghị đã tiếp nhận"),
                ("Thiếu đánh giá.", "Mục I. Kết quả thực hiện"),
                ("Dòng 1?", "Số liệu: Bảng kết quả giải quyết TTHC, dòng 1 (cả dòng)"),
                ("Chung.", "Toàn bộ báo cáo"),
            ],
        )

    def test_the_query_count_is_fixed(self) -> None:
        report = self.submit_twice()
        for index in range(5):
            ReviewComment.objects.create(report=report, body=f"Ý kiến {index}", author=self.reviewer)
        with self.assertNumQueries(5):
            context = review.review_context(report)
            for item in context["comments"]:
                str(item.comment.author), str(item.comment.answered_by)
        self.assertEqual(len(context["comments"]), 5)


class AnchorChoicesTests(WorkflowTestCase):
    def test_sections_then_result_rows_then_typed_values(self) -> None:
        report = edit(self.report_a, figures=balanced_figures(10, pakn=2), by=self.officer_a)
        choices = review.anchor_choices(report)
        self.assertEqual(
            choices[:3],
            [
                ("section:ket-qua", "Mục I. Kết quả thực hiện"),
                ("section:phuong-huong", "Mục II. Phương hướng, nhiệm vụ tháng tới"),
                ("figure:results.0", f"Số liệu: Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM}) (cả dòng)"),
            ],
        )
        anchors = dict(choices)
        # Every cell of the row, every typed value and every rate can carry a comment.
        self.assertIn("figure:results.0.online", anchors)
        self.assertIn("figure:results.0.pending_overdue", anchors)
        self.assertEqual(anchors["figure:values.pakn_received"], "Số liệu: Số phản ánh, kiến nghị đã tiếp nhận")
        self.assertIn("figure:values.pakn_resolved", anchors)
        self.assertIn("figure:values.rate_online_submission", anchors)


class ArchiveContextTests(TempMediaMixin, WorkflowTestCase):
    def test_scans_and_versions_newest_first_with_the_current_scan(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        first = workflow.upload_signed_scan(report, by=self.officer_a, upload=upload(pdf_bytes()))
        workflow.amend_report(report, by=self.leader_a, reason="Đính chính.")
        report = self.drive(report, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        context = review.archive_context(report)
        self.assertEqual(context["scans"], [first])
        self.assertIsNone(context["current_scan"])
        self.assertEqual([v.revision for v in context["versions"]], [0])
        second = workflow.upload_signed_scan(report, by=self.officer_a, upload=upload(pdf_bytes(2)))
        context = review.archive_context(self.fresh(report))
        self.assertEqual(context["scans"], [second, first])
        self.assertEqual(context["current_scan"], second)


class ReadingOrderTests(SimpleTestCase):
    def test_changes_follow_the_form_and_the_outline_not_the_stored_key_order(self) -> None:
        titles = {"cong-khai": "1. Công khai", "danh-gia": "II. ĐÁNH GIÁ CHUNG"}
        # Keys in the order PostgreSQL's jsonb returns them (shortest first), not the form's.
        old = {
            "narrative": {"danh-gia": {"text": "a"}, "cong-khai": {"text": "a"}},
            "figures": {"values": {"pakn_received": 1, "procedures_fully_online": 1}},
        }
        new = {
            "narrative": {"danh-gia": {"text": "b"}, "cong-khai": {"text": "b"}},
            "figures": {"values": {"pakn_received": 2, "procedures_fully_online": 2}},
        }
        rows = review.compare(old, new, titles)
        self.assertEqual(
            [row.label for row in rows],
            [
                "Số TTHC cung cấp dịch vụ công trực tuyến toàn trình",
                "Số phản ánh, kiến nghị đã tiếp nhận",
                "1. Công khai",
                "II. ĐÁNH GIÁ CHUNG",
            ],
        )
