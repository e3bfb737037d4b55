"""Tests for the home page "/", which differs by role."""

import time_machine

from reports.models import ReportStatus
from tests import factories
from tests.base import BaseTestCase

# Inside the May 2026 period (15/4–14/5/2026), before its deadline.
DURING_MAY_2026 = "2026-05-10 09:00 +07:00"


@time_machine.travel(DURING_MAY_2026, tick=False)
class HomeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.period = factories.make_period(slug="2026-05")
        cls.report_a = factories.make_report(cls.commune_a, cls.period, status=ReportStatus.RETURNED)
        factories.make_report(cls.commune_b, cls.period, status=ReportStatus.SUBMITTED)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/login/?next=/")

    def test_a_commune_officer_sees_their_commune_and_its_periods(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "communes/home_commune.html")
        self.assertContains(response, '<html lang="vi">')
        self.assertContains(response, "Xã Hùng Thắng")
        self.assertContains(response, "Cán bộ xã")
        self.assertContains(response, "Các kỳ báo cáo gần đây")
        self.assertContains(response, "Tháng 5 năm 2026")
        self.assertContains(response, "Bị trả lại")
        # The inbox lists the returned report with a link to it.
        self.assertContains(response, "Bị trả lại, cần chỉnh sửa")
        self.assertContains(response, f'href="/reports/{self.report_a.pk}/"')
        self.assertNotContains(response, "Xã Bình Giang")

    def test_a_commune_leader_sees_their_commune(self) -> None:
        self.login(self.leader_b)
        response = self.client.get("/")
        self.assertContains(response, "Xã Bình Giang")
        self.assertContains(response, "Lãnh đạo UBND xã")
        self.assertContains(response, "Đã gửi")
        self.assertNotContains(response, "Xã Hùng Thắng")

    def test_a_commune_without_a_report_shows_the_period_as_not_started(self) -> None:
        self.login(self.officer_c)
        response = self.client.get("/")
        self.assertContains(response, "Phường Ba Đình")
        # Hà Nội has no reporting regime in this test, so no period either.
        self.assertContains(response, "Chưa có chế độ báo cáo nào đang áp dụng cho xã.")

    def test_a_city_reviewer_sees_the_province_and_its_counts(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "communes/home_city.html")
        self.assertContains(response, "Thành phố Hải Phòng")
        self.assertContains(response, "2 xã, phường, đặc khu")
        self.assertContains(response, "Tình hình nộp báo cáo")
        self.assertContains(response, "Tháng 5 năm 2026")
        self.assertNotContains(response, "Thành phố Hà Nội")

    def test_a_city_admin_sees_the_province_page(self) -> None:
        self.login(self.city_admin)
        response = self.client.get("/")
        self.assertTemplateUsed(response, "communes/home_city.html")
        self.assertContains(response, "Quản trị viên thành phố")

    def test_another_provinces_reviewer_sees_their_province_only(self) -> None:
        self.login(self.other_reviewer)
        response = self.client.get("/")
        self.assertContains(response, "Thành phố Hà Nội")
        self.assertContains(response, "1 xã, phường, đặc khu")
        self.assertNotContains(response, "Thành phố Hải Phòng")

    def test_a_superuser_without_a_role_sees_all_provinces(self) -> None:
        self.login(self.superuser)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "communes/home_superuser.html")
        self.assertContains(response, "Toàn quốc")
        self.assertContains(response, "Thành phố Hải Phòng")
        self.assertContains(response, "Thành phố Hà Nội")
        self.assertContains(response, "Vào trang quản trị")

    def test_an_account_without_a_role_is_told_so(self) -> None:
        self.login(self.outsider)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "communes/home_no_role.html")
        self.assertContains(response, "chưa được phân quyền")
        self.assertNotContains(response, "Xã Hùng Thắng")

    def test_post_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        response = self.client.post("/")
        self.assertEqual(response.status_code, 405)

    def test_an_unknown_path_shows_the_vietnamese_404_page(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/khong-co-trang-nay/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertContains(response, '<html lang="vi">', status_code=404)


@time_machine.travel(DURING_MAY_2026, tick=False)
class HomeQueryCountTests(BaseTestCase):
    """The home pages' query counts do not grow with the number of communes or reports."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.period = factories.make_period(slug="2026-05")
        factories.make_period(slug="2026-04")
        factories.make_report(cls.commune_a, cls.period)
        factories.make_report(cls.commune_b, cls.period, status=ReportStatus.SUBMITTED)

    def add_communes(self, count: int) -> None:
        for code in range(20000, 20000 + count):
            commune = factories.make_commune(code, f"Xã Thử {code}", self.province)
            factories.make_report(commune, self.period, status=ReportStatus.ACCEPTED)

    def assertSameQueriesAfterAdding(self, user, expected: int) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.login(user)
        with self.assertNumQueries(expected):
            self.client.get("/")
        self.add_communes(30)
        with self.assertNumQueries(expected):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 200)

    def test_city_home(self) -> None:
        # session, user, membership, province, periods, per-period counts, commune count, inbox
        self.assertSameQueriesAfterAdding(self.reviewer, 8)
        response = self.client.get("/")
        self.assertContains(response, "32 xã, phường, đặc khu")

    def test_commune_home(self) -> None:
        # session, user, membership, commune, regimes, reports of recent periods, province,
        # and the inbox (open reports, accepted reports)
        self.assertSameQueriesAfterAdding(self.officer_a, 9)

    def test_superuser_home(self) -> None:
        # session, user, membership, provinces with their commune counts
        self.assertSameQueriesAfterAdding(self.superuser, 4)
