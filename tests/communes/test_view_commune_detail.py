"""Tests for the commune page "/communes/<code>/"."""

from reports.models import ReportStatus
from tests import factories
from tests.base import BaseTestCase


class CommuneDetailTests(BaseTestCase):
    def assertNotFound(self, response) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertNotContains(response, "ỦY BAN NHÂN DÂN", status_code=404)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.client.get("/communes/11809/")
        self.assertRedirects(response, "/accounts/login/?next=/communes/11809/")

    def test_commune_staff_see_their_commune(self) -> None:
        for user in (self.officer_a, self.leader_a):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/communes/11809/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<h1 class="h3 mb-1">Xã Hùng Thắng</h1>', html=False)
                self.assertContains(response, "Mã 11809 · Thành phố Hải Phòng")
                self.assertContains(response, "ỦY BAN NHÂN DÂN<br>XÃ HÙNG THẮNG")
                self.assertContains(response, "BC-UBND")
                self.assertContains(response, "(chưa khai báo)")

    def test_commune_staff_get_404_for_another_commune_of_their_province(self) -> None:
        for user in (self.officer_a, self.leader_a):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotFound(self.client.get("/communes/10966/"))

    def test_commune_staff_get_404_for_a_commune_of_another_province(self) -> None:
        for user in (self.officer_a, self.leader_b):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotFound(self.client.get("/communes/4/"))

    def test_city_staff_see_every_commune_of_their_province(self) -> None:
        for user in (self.reviewer, self.city_admin):
            for path in ("/communes/11809/", "/communes/10966/"):
                with self.subTest(user=user.username, path=path):
                    self.login(user)
                    response = self.client.get(path)
                    self.assertEqual(response.status_code, 200)

    def test_city_staff_get_404_for_another_province(self) -> None:
        self.login(self.reviewer)
        self.assertNotFound(self.client.get("/communes/4/"))
        self.login(self.other_reviewer)
        self.assertNotFound(self.client.get("/communes/11809/"))
        self.assertEqual(self.client.get("/communes/4/").status_code, 200)

    def test_an_account_without_a_role_gets_404(self) -> None:
        self.login(self.outsider)
        self.assertNotFound(self.client.get("/communes/11809/"))

    def test_the_superuser_sees_every_commune(self) -> None:
        self.login(self.superuser)
        for path in ("/communes/11809/", "/communes/10966/", "/communes/4/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)

    def test_an_unknown_or_malformed_code_is_404(self) -> None:
        self.login(self.superuser)
        for path in ("/communes/99999/", "/communes/abc/", "/communes/-1/", "/communes/99999999999999999999999/"):
            with self.subTest(path=path):
                self.assertNotFound(self.client.get(path))

    def test_shows_the_communes_reports_with_their_status(self) -> None:
        factories.make_report(self.commune_a, factories.make_period(slug="2026-05"), status=ReportStatus.SUBMITTED)
        factories.make_report(self.commune_b, factories.make_period(slug="2026-04"))
        self.login(self.officer_a)
        response = self.client.get("/communes/11809/")
        self.assertContains(response, "Tháng 5 năm 2026")
        self.assertContains(response, "Đã gửi")
        self.assertNotContains(response, "Tháng 4 năm 2026")

    def test_a_commune_without_reports_says_so(self) -> None:
        self.login(self.officer_a)
        self.assertContains(self.client.get("/communes/11809/"), "Chưa có báo cáo.")

    def test_shows_an_edited_signer_escaped(self) -> None:
        self.commune_a.signer_name = "Trần <b>Đình</b> Nhuận"
        self.commune_a.save(update_fields=["signer_name"])
        self.login(self.officer_a)
        response = self.client.get("/communes/11809/")
        self.assertContains(response, "Trần &lt;b&gt;Đình&lt;/b&gt; Nhuận")

    def test_post_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post("/communes/11809/").status_code, 405)

    def test_query_count_does_not_grow_with_reports(self) -> None:
        self.login(self.officer_a)
        # session, user, membership, commune with province, reports with periods and regimes
        with self.assertNumQueries(5):
            self.client.get("/communes/11809/")
        regime = factories.make_regime()
        for month in range(1, 13):
            factories.make_report(self.commune_a, factories.make_period(regime, f"2025-{month:02d}"))
        with self.assertNumQueries(5):
            response = self.client.get("/communes/11809/")
        self.assertContains(response, "Tháng 12 năm 2025")
