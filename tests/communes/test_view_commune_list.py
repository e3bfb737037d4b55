"""Tests for the commune list "/communes/"."""

import unicodedata

from tests import factories
from tests.base import BaseTestCase


class CommuneListTests(BaseTestCase):
    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.client.get("/communes/")
        self.assertRedirects(response, "/accounts/login/?next=/communes/")

    def test_commune_staff_see_only_their_own_commune(self) -> None:
        for user, own, others in [
            (self.officer_a, "Xã Hùng Thắng", ["Xã Bình Giang", "Phường Ba Đình"]),
            (self.leader_a, "Xã Hùng Thắng", ["Xã Bình Giang", "Phường Ba Đình"]),
            (self.officer_b, "Xã Bình Giang", ["Xã Hùng Thắng", "Phường Ba Đình"]),
            (self.leader_b, "Xã Bình Giang", ["Xã Hùng Thắng", "Phường Ba Đình"]),
            (self.officer_c, "Phường Ba Đình", ["Xã Hùng Thắng", "Xã Bình Giang"]),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/communes/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, own)
                for other in others:
                    self.assertNotContains(response, other)

    def test_city_staff_see_the_communes_of_their_province(self) -> None:
        for user in (self.reviewer, self.city_admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/communes/")
                self.assertContains(response, "Xã Hùng Thắng")
                self.assertContains(response, '<a href="/communes/11809/">')
                self.assertContains(response, "Xã Bình Giang")
                self.assertNotContains(response, "Phường Ba Đình")

    def test_another_provinces_reviewer_sees_only_their_province(self) -> None:
        self.login(self.other_reviewer)
        response = self.client.get("/communes/")
        self.assertContains(response, "Phường Ba Đình")
        self.assertNotContains(response, "Xã Hùng Thắng")
        self.assertNotContains(response, "Xã Bình Giang")

    def test_the_superuser_sees_every_commune(self) -> None:
        self.login(self.superuser)
        response = self.client.get("/communes/")
        for name in ("Xã Hùng Thắng", "Xã Bình Giang", "Phường Ba Đình"):
            self.assertContains(response, name)

    def test_an_account_without_a_role_sees_an_empty_list(self) -> None:
        self.login(self.outsider)
        response = self.client.get("/communes/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Không có xã, phường nào.")
        self.assertNotContains(response, "Xã Hùng Thắng")

    def test_search_filters_by_name(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/communes/", {"q": "Bình"})
        self.assertContains(response, "Xã Bình Giang")
        self.assertNotContains(response, "Xã Hùng Thắng")
        self.assertContains(response, 'value="Bình"')

    def test_search_ignores_case_of_vietnamese_letters(self) -> None:
        factories.make_commune(11900, "Xã Đông Hải", self.province)
        self.login(self.reviewer)
        for query, expected in [
            ("đông hải", "Xã Đông Hải"),
            ("ĐÔNG HẢI", "Xã Đông Hải"),
            ("Đông", "Xã Đông Hải"),
            ("bình giang", "Xã Bình Giang"),
            ("XÃ BÌNH", "Xã Bình Giang"),
        ]:
            with self.subTest(query=query):
                response = self.client.get("/communes/", {"q": query})
                self.assertContains(response, expected)
                self.assertNotContains(response, "Xã Hùng Thắng")

    def test_search_matches_decomposed_input(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/communes/", {"q": unicodedata.normalize("NFD", "Hùng Thắng")})
        self.assertContains(response, "Xã Hùng Thắng")

    def test_search_does_not_widen_the_scope(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/communes/", {"q": "Bình"})
        self.assertContains(response, "Không có xã, phường nào.")
        self.assertNotContains(response, "Xã Bình Giang")

    def test_an_overlong_search_is_cut_not_refused(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/communes/", {"q": "x" * 5000})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Không có xã, phường nào.")

    def test_a_search_with_a_nul_character_is_not_an_error(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/communes/", {"q": "Bình\x00"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Xã Bình Giang")

    def test_a_bad_page_number_shows_a_page_not_an_error(self) -> None:
        self.login(self.reviewer)
        for page in ("abc", "999", "0", "-1", ""):
            with self.subTest(page=page):
                response = self.client.get("/communes/", {"page": page})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Xã Hùng Thắng")

    def test_long_lists_are_paged_and_keep_the_search(self) -> None:
        for code in range(20000, 20060):
            factories.make_commune(code, f"Xã Thử {code}", self.province)
        self.login(self.reviewer)
        response = self.client.get("/communes/", {"q": "Thử"})
        self.assertContains(response, "Trang 1/2")
        self.assertContains(response, "?q=Th%E1%BB%AD&amp;page=2")
        response = self.client.get("/communes/", {"q": "Thử", "page": "2"})
        self.assertContains(response, "Trang 2/2")
        self.assertContains(response, "Xã Thử 20059")

    def test_post_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        response = self.client.post("/communes/")
        self.assertEqual(response.status_code, 405)


class CommuneListQueryCountTests(BaseTestCase):
    def assertSameQueriesAfterAdding(self, user, expected: int) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.login(user)
        with self.assertNumQueries(expected):
            self.client.get("/communes/")
        for code in range(20000, 20030):
            factories.make_commune(code, f"Xã Thử {code}", self.province)
        with self.assertNumQueries(expected):
            response = self.client.get("/communes/")
        self.assertContains(response, "Xã Thử 20029")

    def test_for_the_superuser(self) -> None:
        # session, user, count, page with provinces (a superuser's scope needs no membership)
        self.assertSameQueriesAfterAdding(self.superuser, 4)

    def test_for_a_reviewer(self) -> None:
        # session, user, membership, count, page with provinces
        self.assertSameQueriesAfterAdding(self.reviewer, 5)
