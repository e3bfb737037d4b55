"""GET /communes/<code>/dossiers/: the commune's imports and the upload form."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services
from dossiers.models import DossierImport
from tests.base import BaseTestCase
from tests.dossiers.test_import import EXAMPLE


class DossierListTests(BaseTestCase):
    url = "/communes/11809/dossiers/"

    def import_example(self) -> None:
        services.import_dossiers(
            commune=self.commune_a,
            data=EXAMPLE.read_bytes(),
            file_name="ho-so-mau.csv",
            source_system="Hệ thống A",
            by=self.officer_a,
        )

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_other_communes_and_provinces_get_404(self) -> None:
        for user in (self.officer_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_city_staff_of_the_province_get_403(self) -> None:
        for user in (self.reviewer, self.city_admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_wrong_method_is_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_commune_staff_see_their_imports(self) -> None:
        self.import_example()
        for user in (self.officer_a, self.leader_a, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, "ho-so-mau.csv")
                self.assertContains(response, "đã có 4 hồ sơ")
                self.assertContains(response, 'id="upload-form"')

    def test_queries_do_not_grow_with_the_number_of_imports(self) -> None:
        self.login(self.officer_a)
        counts = []
        for total in (2, 12):
            while DossierImport.objects.count() < total:
                self.import_example()
            with CaptureQueriesContext(connection) as captured:
                self.client.get(self.url)
            counts.append(len(captured))
        self.assertEqual(counts[0], counts[1])


class DossierExampleTests(BaseTestCase):
    url = "/dossiers/example.csv"

    def test_signed_in_users_download_the_documented_example(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)
        self.login(self.officer_b)
        response = self.client.get(self.url)
        self.assertEqual(b"".join(response.streaming_content), EXAMPLE.read_bytes())  # type: ignore[arg-type]
        self.assertEqual(self.client.post(self.url).status_code, 405)
