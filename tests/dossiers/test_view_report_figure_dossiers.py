"""GET /reports/<id>/dossiers/: the dossiers behind a figure, filtered, and as CSV."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, DossierImport
from tests.dossiers.cases import BOUNDARY_CASES, CITY, store
from tests.dossiers.hung_thang import hung_thang_may_2026
from tests.reports.entry_fixtures import EntryViewTestCase


class ReportFigureDossiersTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        store(cls.commune_a, [facts for facts, _ in BOUNDARY_CASES.values()])

    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report.pk}/dossiers/"

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_other_commune_or_province_gets_404(self) -> None:
        for user in (self.officer_b, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_city_admin_gets_403(self) -> None:
        self.login(self.city_admin)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_wrong_method_is_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_unknown_figure_is_404(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url, {"figure": "drop table"}).status_code, 404)

    def test_commune_staff_and_reviewer_see_the_dossiers_of_a_figure(self) -> None:
        # Withdrawn in the period: H (HS-7) and J (HS-9).
        for user in (self.officer_a, self.reviewer):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url, {"figure": "withdrawn", "source": CITY})
                self.assertEqual([d.code for d in response.context["page"]], ["HS-9", "HS-7"])
                self.assertContains(response, "Trả lại, rút hồ sơ")
        response = self.client.get(self.url, {"figure": "pending", "q": "HS-1"})
        self.assertEqual([d.code for d in response.context["page"]], ["HS-10", "HS-12", "HS-13"])

    def test_csv_export_lists_the_same_dossiers_in_the_import_columns(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(self.url, {"figure": "resolved", "format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))  # type: ignore[arg-type]
        self.assertEqual(rows[0][:3], ["Hệ thống nguồn", "Mã hồ sơ", "Tên thủ tục"])
        self.assertEqual(sorted(row[1] for row in rows[1:]), ["HS-0", "HS-1", "HS-11", "HS-6"])


class ReportFigureDossiersQueriesTests(EntryViewTestCase):
    def test_queries_do_not_grow_with_the_number_of_dossiers(self) -> None:
        self.login(self.reviewer)
        url = f"/reports/{self.report.pk}/dossiers/"
        counts = []
        for size in (3, 30):
            store(self.commune_a, hung_thang_may_2026()[:size])
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url, {"figure": "received_online"})
            self.assertEqual(len(response.context["page"]), size)
            counts.append(len(captured))
            Dossier.objects.all().delete()
            DossierImport.objects.all().delete()
        self.assertEqual(counts[0], counts[1])
