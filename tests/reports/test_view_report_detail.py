"""Tests for the read-only report page "/reports/<id>/"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import OutlineSection, Report, ReportingRegime, ReportStatus, SectionKind
from reports.rendering.document import build_report_document
from tests import factories
from tests.reports.entry_fixtures import (
    HUNG_THANG,
    EntryViewTestCase,
    figures_doc,
    load_seed,
    result_row,
)


class ReportDetailTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed = load_seed(HUNG_THANG)
        Report.objects.filter(pk=cls.report.pk).update(
            figures=seed["figures"],
            narrative={"danh-gia": {"text": "Ủy ban nhân dân xã đã quan tâm, chỉ đạo.", "after": ""}},
        )
        cls.url = f"/reports/{cls.report.pk}/"

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/accounts/login/?next={self.url}")

    def test_other_communes_and_provinces_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotFound(self.client.get(self.url))

    def test_an_unknown_report_gives_404(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get("/reports/999999/").status_code, 404)

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_commune_and_city_staff_see_the_report(self) -> None:
        for user in (self.officer_a, self.leader_a, self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Báo cáo tháng 5 năm 2026")
                self.assertContains(response, "Dự thảo")

    def test_shows_figures_totals_rates_narrative_and_generated_paragraphs(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(self.url)
        # Total row: 63 + 116 = 179 received (all online), 60 + 107 = 167 resolved, 3 + 9 = 12 in progress.
        self.assertContains(response, '<td class="text-end">179</td>', count=2, html=False)
        self.assertContains(response, '<td class="text-end">167</td>', html=False)
        self.assertContains(response, "Tỷ lệ nộp hồ sơ trực tuyến")
        self.assertContains(response, "100%")
        self.assertContains(response, "tính từ số liệu")
        self.assertContains(response, "Chi nhánh Văn phòng đăng ký đất đai Tiên Lãng")
        self.assertContains(response, "Ủy ban nhân dân xã đã quan tâm, chỉ đạo.")
        self.assertContains(response, "II. ĐÁNH GIÁ CHUNG")
        self.assertContains(
            response,
            "- Tổng số 179 hồ sơ (kỳ trước chuyển sang 0 hồ sơ; tiếp nhận mới 179 hồ sơ, trong đó có 63 hồ sơ",
        )
        self.assertContains(response, "Số liệu khớp, không có cảnh báo.")

    def test_the_results_table_and_generated_paragraphs_are_the_documents_own(self) -> None:
        ReportingRegime.objects.filter(pk=self.regime.pk).update(include_appendix=True)
        self.login(self.officer_a)
        response = self.client.get(self.url)
        doc = build_report_document(Report.objects.get(pk=self.report.pk))
        assert doc.appendix is not None
        self.assertEqual(response.context["figures"].results, doc.appendix.table)
        self.assertGeneratedAsPrinted(response.context["sections"])

    def test_shows_findings_and_explanations(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            figures=figures_doc(result_row(online=179, on_time=167, pending_on_time=11)),
            explanations={"carried_over.mismatch": "Hai hồ sơ bị rút."},
        )
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(
            response, "Tổng số tiếp nhận (179) phải bằng đã giải quyết (167) cộng đang giải quyết (11)."
        )
        self.assertContains(response, "Còn 1 vấn đề cần sửa hoặc giải trình trước khi gửi.")
        self.assertContains(response, "Hai hồ sơ bị rút.")

    def test_buttons_follow_the_role(self) -> None:
        edit = f'href="/reports/{self.report.pk}/edit/"'
        submit = f'action="/reports/{self.report.pk}/submit/"'
        review = f'href="/reports/{self.report.pk}/review/"'
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, edit)
        self.assertNotContains(response, submit)
        self.login(self.leader_a)
        self.assertContains(self.client.get(self.url), submit)
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertNotContains(response, edit)
        self.assertContains(response, review)

    def test_a_submitted_report_has_no_edit_button(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "Đã gửi")
        self.assertNotContains(response, f'href="/reports/{self.report.pk}/edit/"')

    def test_shows_the_recent_history(self) -> None:
        self.login(self.officer_a)
        self.assertContains(self.client.get(self.url), "Tạo dự thảo")

    def test_queries_do_not_grow_with_sections_rows_and_history(self) -> None:
        self.login(self.officer_a)
        self.client.get(self.url)  # warm the session
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        self.grow_report()
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url)
        self.assertContains(response, "Mục thêm 19")
        self.assertEqual(len(large), len(small), [q["sql"] for q in large.captured_queries])
        # session, user, membership, report, outline, earlier periods, targets, review comments,
        # events, latest submission, signed scans, last editor, figures computed from dossiers
        # (dossier_panel)
        self.assertEqual(len(small), 13, [q["sql"] for q in small.captured_queries])

    def grow_report(self) -> None:
        """Twenty more sections, ten more rows, twelve earlier periods and more history."""
        for position in range(20):
            OutlineSection.objects.create(
                regime=self.regime,
                position=50 + position,
                key=f"them-{position}",
                title=f"Mục thêm {position}",
                kind=SectionKind.GENERATED,
                template="Tổng số {received_total} hồ sơ.",
            )
        rows = [result_row(f"Hệ thống {i}", online=10, on_time=10) for i in range(12)]
        Report.objects.filter(pk=self.report.pk).update(figures=figures_doc(*rows, pakn_received=3))
        for slug in [f"2025-{m:02d}" for m in range(5, 13)] + ["2026-01", "2026-02", "2026-03", "2026-04"]:
            factories.make_report(self.commune_a, factories.make_period(self.regime, slug), figures=figures_doc(*rows))
        for _ in range(5):
            services.record_event(
                self.report, kind="saved", by=self.officer_a, changes=[{"path": "x", "old": 1, "new": 2}]
            )


class ImportedReportDetailTests(EntryViewTestCase):
    """A report imported from a file has history without a user; its pages must still render."""

    def test_the_detail_and_history_pages_of_an_imported_report_render(self) -> None:
        from reports.exchange import import_report_data

        data = load_seed(HUNG_THANG)
        Report.objects.filter(commune=self.commune_a).delete()
        report = import_report_data(data)
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{report.pk}/")
        self.assertContains(response, "hệ thống")
        self.assertContains(self.client.get(f"/reports/{report.pk}/history/"), "hệ thống")
