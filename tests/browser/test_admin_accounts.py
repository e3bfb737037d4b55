"""The city administrator creates a commune officer in the Vietnamese admin, who then logs in."""

from django.contrib.auth import get_user_model

from communes.models import Role
from tests import factories
from tests.browser.base import BrowserTestCase

NEW_PASSWORD = "Mat-khau-2026!"


class AccountAdminJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        factories.make_commune(11809, "Xã Hùng Thắng", province)
        factories.make_commune(10966, "Xã Bình Giang", province)
        factories.make_user("quantri", Role.CITY_ADMIN, province=province, staff=True)

    def test_the_city_admin_creates_an_officer_who_then_logs_in(self) -> None:
        self.login("quantri")
        page = self.page
        page.goto(self.url("/admin/auth/user/add/"))
        page.fill("#id_username", "canbo.moi")
        page.fill("#id_password1", NEW_PASSWORD)
        page.fill("#id_password2", NEW_PASSWORD)
        page.fill("#id_first_name", "Lan")
        page.fill("#id_last_name", "Nguyễn Thị")
        page.select_option("#id_membership-0-role", Role.COMMUNE_OFFICER)
        # The commune box searches the province's communes as the administrator types.
        page.click("#membership-0 .field-commune .select2-selection")
        page.fill(".select2-search__field", "Hùng")
        page.click(".select2-results__option >> text=Xã Hùng Thắng")
        body = page.inner_text("body")
        for english in ("Select an option", "Please correct", "Enabled", "After you"):
            self.assertNotIn(english, body)
        page.click("input[name=_save]")
        # Django's user admin opens the new account's page after adding it.
        page.wait_for_url("**/admin/auth/user/*/change/")
        user = get_user_model().objects.get(username="canbo.moi")
        self.assertIn("được thêm vào thành công", page.inner_text(".messagelist"))
        self.assertEqual((user.membership.role, user.membership.commune_id), (Role.COMMUNE_OFFICER, 11809))

        page.click("#logout-form button")
        self.login("canbo.moi", NEW_PASSWORD)
        self.assertIn("Xã Hùng Thắng", page.inner_text("body"))
