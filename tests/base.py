"""The fixed cast every view test uses (the healthchecks Alice/Bob/Charlie idea)."""

from django.core.cache import cache
from django.test import TestCase

from communes.models import Role
from tests import factories


class BaseTestCase(TestCase):
    """Two communes of Hải Phòng (A: Hùng Thắng, B: Bình Giang), one of another province (C),
    their staff, the city's reviewer and administrator, another province's reviewer, an
    outsider without a role, and a superuser."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.province = factories.make_province(31, "Thành phố Hải Phòng")
        cls.other_province = factories.make_province(1, "Thành phố Hà Nội")
        cls.commune_a = factories.make_commune(11809, "Xã Hùng Thắng", cls.province)
        cls.commune_b = factories.make_commune(10966, "Xã Bình Giang", cls.province)
        cls.commune_c = factories.make_commune(4, "Phường Ba Đình", cls.other_province)
        cls.officer_a = factories.make_user("canbo.a", Role.COMMUNE_OFFICER, commune=cls.commune_a)
        cls.leader_a = factories.make_user("lanhdao.a", Role.COMMUNE_LEADER, commune=cls.commune_a)
        cls.officer_b = factories.make_user("canbo.b", Role.COMMUNE_OFFICER, commune=cls.commune_b)
        cls.leader_b = factories.make_user("lanhdao.b", Role.COMMUNE_LEADER, commune=cls.commune_b)
        cls.officer_c = factories.make_user("canbo.c", Role.COMMUNE_OFFICER, commune=cls.commune_c)
        cls.reviewer = factories.make_user("trungtam", Role.CITY_REVIEWER, province=cls.province)
        cls.city_admin = factories.make_user("quantri", Role.CITY_ADMIN, province=cls.province, staff=True)
        cls.other_reviewer = factories.make_user("trungtam.hn", Role.CITY_REVIEWER, province=cls.other_province)
        cls.outsider = factories.make_user("nguoingoai")
        cls.superuser = factories.make_user("sieuquantri", superuser=True)

    def setUp(self) -> None:
        super().setUp()
        # Per-user render slots (reports/rendering/limits.py) are counted in the cache, which outlives a test.
        cache.clear()

    def login(self, user) -> None:  # type: ignore[no-untyped-def]
        self.client.force_login(user)

    def assertLoginRedirect(self, response, path: str) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith("/accounts/login/"), response.url)
