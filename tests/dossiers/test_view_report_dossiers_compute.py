"""POST /reports/<id>/dossiers/compute/: "Tính từ danh sách hồ sơ"."""

from dossiers.models import ComputedFigures
from reports.models import Report, ReportStatus
from tests.dossiers.cases import store
from tests.dossiers.hung_thang import hung_thang_may_2026
from tests.reports.entry_fixtures import EntryViewTestCase


class ReportDossiersComputeTests(EntryViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report.pk}/dossiers/compute/"

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url), self.url)

    def test_other_commune_gets_404(self) -> None:
        for user in (self.officer_b, self.officer_c, self.other_reviewer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url).status_code, 404)

    def test_reviewer_and_submitted_reports_get_403(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertFalse(ComputedFigures.objects.exists())

    def test_wrong_method_is_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_without_dossiers_a_message_and_nothing_changes(self) -> None:
        self.login(self.officer_a)
        version = self.stored().version
        response = self.client.post(self.url, follow=True)
        self.assertRedirects(response, f"/reports/{self.report.pk}/edit/")
        self.assertContains(response, "Chưa có hồ sơ nào của Xã Hùng Thắng trong tháng 5 năm 2026")
        self.assertEqual(self.stored().version, version)
        self.assertFalse(ComputedFigures.objects.exists())

    def test_success_fills_the_figures_and_marks_them(self) -> None:
        store(self.commune_a, hung_thang_may_2026())
        self.login(self.officer_a)
        response = self.client.post(self.url, follow=True)
        self.assertRedirects(response, f"/reports/{self.report.pk}/edit/")
        self.assertContains(response, "Đã tính số liệu từ danh sách hồ sơ")
        self.assertContains(response, 'id="computed-figures"')
        self.assertContains(response, "?figure=received_online&amp;source=H")
        # The computed inputs of the entry form are tinted, and the form names them that way.
        self.assertContains(response, '#report-form [name="results-0-online"]')
        self.assertContains(response, '#report-form [name="values-payments_online"]')
        # The tint is a <style> block: it applies only with the nonce of the page's CSP header.
        nonce = response.headers["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
        self.assertContains(response, f'<style nonce="{nonce}">#report-form')
        self.assertContains(response, 'name="results-0-online"')
        self.assertContains(response, 'name="values-payments_online"')
        report = self.stored()
        self.assertEqual([row["online"] for row in report.figures["results"]], [63, 116])
        self.assertEqual(ComputedFigures.objects.get().computed_by, self.officer_a)
        # The reviewer sees which figures were computed, with links to their dossiers, but no button.
        self.login(self.reviewer)
        detail = self.client.get(f"/reports/{self.report.pk}/")
        self.assertContains(detail, "tính từ hồ sơ")
        self.assertContains(detail, f"/reports/{self.report.pk}/dossiers/?figure=received_online")
        self.assertNotContains(detail, 'id="compute-from-dossiers"')
